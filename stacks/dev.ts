import { Construct } from "constructs";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { AppTier, InstanceRedundancy } from "../modules/app-tier";
import { AuroraCluster, DatabaseAvailability } from "../modules/aurora-cluster";
import { Guardrails } from "../modules/guardrails";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { inventoryUserDataFor } from "../modules/inventory-app";
import { LabStackProps } from "./lab";
import { appOutputs, databaseOutputs, networkOutputs } from "./outputs";

/** Properties of {@link DevStack}. */
export type DevStackProps = LabStackProps;

/**
 * The cheaper layout: the same modules as `lab`, with each cost-over-HA trade-off named here.
 * - `StackIntent.DEVELOPMENT`: no deletion protection, final snapshot or ALB access logs, so it
 *   tears down cleanly.
 * - `NatGatewayMode.SINGLE`: one NAT gateway; losing its AZ cuts private egress in every AZ.
 * - `InstanceRedundancy.REDUCED` with one instance (max 2): losing that instance or its AZ takes
 *   the app down until the ASG has booted a replacement (minutes).
 * - `DatabaseAvailability.SINGLE_INSTANCE` on `db.t4g.medium`: one Aurora instance, no failover
 *   replica; losing it or its AZ takes the database down (the module warns at synth).
 *
 * Each trade-off that breaks an HA or security rule is suppressed here with its reason, so the
 * synth passes and the report (`npm run report`) still lists it.
 */
export class DevStack extends HaStack {
  public readonly network: HaVpc;
  public readonly database: AuroraCluster;
  public readonly app: AppTier;

  constructor(scope: Construct, id: string, props: DevStackProps) {
    super(scope, id, {
      region: props.region,
      environment: "dev",
      backend: props.backend,
      intent: StackIntent.DEVELOPMENT,
      localEndpoint: props.localEndpoint,
      teardown: props.teardown,
    });
    this.network = new HaVpc(this, "Network", {
      name: id,
      azs: props.azs,
      natGateways: NatGatewayMode.SINGLE,
    });
    Guardrails.suppress(
      this.network,
      "HA-NAT-1",
      "dev runs one NAT gateway to save one gateway's hourly and data charges per extra AZ; losing the NAT's AZ cuts private egress of the other AZs until it is back",
    );

    this.database = new AuroraCluster(this, "Database", {
      vpc: this.network,
      availability: DatabaseAvailability.SINGLE_INSTANCE,
      instanceClass: "db.t4g.medium",
    });
    Guardrails.suppress(
      this.database,
      "HA-DB-1",
      "dev runs a single Aurora instance to halve database cost; losing it or its AZ takes the database down until Aurora re-creates the instance",
    );
    Guardrails.suppress(
      this.database,
      "SEC-RDS-3",
      "dev is torn down and rebuilt freely (StackIntent.DEVELOPMENT); its data is disposable, so deletion protection is off",
    );

    this.app = new AppTier(this, "App", {
      vpc: this.network,
      name: `${id}-app`,
      userData: inventoryUserDataFor(this.database, { region: props.region }),
      redundancy: InstanceRedundancy.REDUCED,
      minCapacity: 1,
      desiredCapacity: 1,
      maxCapacity: 2,
    });
    Guardrails.suppress(
      this.app,
      "HA-ASG-2",
      "dev keeps one app instance to save cost; losing it or its AZ takes the app down until the ASG boots a replacement",
    );
    Guardrails.suppress(
      this.app,
      "SEC-ALB-3",
      "dev's ALB keeps no access logs (StackIntent.DEVELOPMENT) to avoid a log bucket that blocks teardown; nothing in dev needs an audit trail",
    );
    this.database.allowFrom(this.app);

    networkOutputs(this, this.network);
    databaseOutputs(this, this.database);
    appOutputs(this, this.app);
  }
}
