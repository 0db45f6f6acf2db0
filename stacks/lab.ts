import { Construct } from "constructs";
import { HaStack, StackIntent, StateBackendConfig } from "../lib/ha-stack";
import { AppTier } from "../modules/app-tier";
import { AuroraCluster, DatabaseAvailability } from "../modules/aurora-cluster";
import { FailureDrills } from "../modules/drills";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { inventoryUserDataFor } from "../modules/inventory-app";
import { REFERENCE_PROJECT } from "./config";
import { HaMonitoring } from "../modules/monitoring";
import { appOutputs, databaseOutputs, drillOutputs, networkOutputs } from "./outputs";

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
 * - Network: a NAT gateway per AZ, and the S3 gateway endpoint (HaVpc's default; free). No
 *   interface endpoints: with a NAT in every AZ they would add no AZ resilience, at 0.01 USD per
 *   endpoint per AZ-hour.
 * - App: one instance per AZ (2 / 2 / 4 over two AZs); the production intent turns on the ALB's
 *   deletion protection and access logs.
 * - Database: an Aurora writer plus a reader in the second AZ. `db.t4g.medium` is a deliberate lab
 *   saving over the module's db.r6g.large default: fine for lab load, still large enough for
 *   Performance Insights.
 * - Monitoring and drills: every alarm, and every drill (instance loss, database failover, AZ
 *   power loss in each AZ), so Tasks 5 and 8 and an AZ outage can be rehearsed (`npm run drill`).
 */
export class LabStack extends HaStack {
  public readonly network: HaVpc;
  public readonly database: AuroraCluster;
  public readonly app: AppTier;
  public readonly monitoring: HaMonitoring;
  public readonly drills: FailureDrills;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id, {
      region: props.region,
      environment: "lab",
      project: REFERENCE_PROJECT,
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
    this.monitoring = new HaMonitoring(this, "Monitoring", { app: this.app, database: this.database });
    this.drills = new FailureDrills(this, "Drills", {
      network: this.network,
      app: this.app,
      database: this.database,
      monitoring: this.monitoring,
    });

    networkOutputs(this, this.network);
    databaseOutputs(this, this.database);
    appOutputs(this, this.app);
    drillOutputs(this, this.monitoring, this.drills);
  }
}
