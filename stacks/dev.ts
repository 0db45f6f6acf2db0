import { Construct } from "constructs";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { LabStackProps } from "./lab";
import { networkOutputs } from "./outputs";

/** Properties of {@link DevStack}. */
export type DevStackProps = LabStackProps;

/**
 * The cheaper layout: the same modules as `lab`, with each cost-over-HA trade-off named here.
 * - `StackIntent.DEVELOPMENT`: no deletion protection or final snapshot, so it tears down cleanly.
 * - `NatGatewayMode.SINGLE`: one NAT gateway; losing its AZ cuts private egress in every AZ.
 */
export class DevStack extends HaStack {
  public readonly network: HaVpc;

  constructor(scope: Construct, id: string, props: DevStackProps) {
    super(scope, id, { region: props.region, environment: "dev", backend: props.backend, intent: StackIntent.DEVELOPMENT });
    this.network = new HaVpc(this, "Network", {
      name: id,
      azs: props.azs,
      natGateways: NatGatewayMode.SINGLE,
    });
    networkOutputs(this, this.network);
  }
}
