import { Construct } from "constructs";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { AuroraCluster, DatabaseAvailability } from "../modules/aurora-cluster";
import { LabStackProps } from "./lab";
import { databaseOutputs, networkOutputs } from "./outputs";

/** Properties of {@link DevStack}. */
export type DevStackProps = LabStackProps;

/**
 * The cheaper layout: the same modules as `lab`, with each cost-over-HA trade-off named here.
 * - `StackIntent.DEVELOPMENT`: no deletion protection or final snapshot, so it tears down cleanly.
 * - `NatGatewayMode.SINGLE`: one NAT gateway; losing its AZ cuts private egress in every AZ.
 * - `DatabaseAvailability.SINGLE_INSTANCE` on `db.t4g.medium`: one Aurora instance, no failover
 *   replica; losing it or its AZ takes the database down (the module warns at synth).
 */
export class DevStack extends HaStack {
  public readonly network: HaVpc;
  public readonly database: AuroraCluster;

  constructor(scope: Construct, id: string, props: DevStackProps) {
    super(scope, id, { region: props.region, environment: "dev", backend: props.backend, intent: StackIntent.DEVELOPMENT });
    this.network = new HaVpc(this, "Network", {
      name: id,
      azs: props.azs,
      natGateways: NatGatewayMode.SINGLE,
    });
    networkOutputs(this, this.network);
    this.database = new AuroraCluster(this, "Database", {
      vpc: this.network,
      availability: DatabaseAvailability.SINGLE_INSTANCE,
      instanceClass: "db.t4g.medium",
    });
    databaseOutputs(this, this.database);
  }
}
