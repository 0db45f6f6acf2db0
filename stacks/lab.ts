import { Construct } from "constructs";
import { HaStack, StackIntent, StateBackendConfig } from "../lib/ha-stack";
import { AppTier } from "../modules/app-tier";
import { AuroraCluster, DatabaseAvailability } from "../modules/aurora-cluster";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { inventoryUserDataFor } from "../modules/inventory-app";
import { appOutputs, databaseOutputs, networkOutputs } from "./outputs";

/** Properties of {@link LabStack}. */
export interface LabStackProps {
  readonly region: string;
  /** Two or more AZs of the region. */
  readonly azs: string[];
  /** @default - local state */
  readonly backend?: StateBackendConfig;
  /** A local AWS emulator URL (HaStack `localEndpoint`). @default - none: AWS */
  readonly localEndpoint?: string;
  /** Build for teardown (HaStack `teardown`). @default false */
  readonly teardown?: boolean;
}

/**
 * The reference lab: the full HA layout.
 * - Network: a NAT gateway per AZ.
 * - App: one instance per AZ (2 / 2 / 4 over two AZs); the production intent turns on the ALB's
 *   deletion protection and access logs.
 * - Database: an Aurora writer plus a reader in the second AZ. `db.t4g.medium` is a deliberate lab
 *   saving over the module's db.r6g.large default: fine for lab load, still large enough for
 *   Performance Insights.
 */
export class LabStack extends HaStack {
  public readonly network: HaVpc;
  public readonly database: AuroraCluster;
  public readonly app: AppTier;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id, {
      region: props.region,
      environment: "lab",
      backend: props.backend,
      intent: StackIntent.PRODUCTION,
      localEndpoint: props.localEndpoint,
      teardown: props.teardown,
    });
    this.network = new HaVpc(this, "Network", {
      name: id,
      azs: props.azs,
      natGateways: NatGatewayMode.PER_AZ,
    });
    this.database = new AuroraCluster(this, "Database", {
      vpc: this.network,
      availability: DatabaseAvailability.MULTI_AZ,
      instances: 2,
      instanceClass: "db.t4g.medium",
    });
    this.app = new AppTier(this, "App", {
      vpc: this.network,
      name: `${id}-app`,
      userData: inventoryUserDataFor(this.database, { region: props.region }),
    });
    this.database.allowFrom(this.app);

    networkOutputs(this, this.network);
    databaseOutputs(this, this.database);
    appOutputs(this, this.app);
  }
}
