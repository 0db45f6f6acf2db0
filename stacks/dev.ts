import { Construct } from "constructs";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { Guardrails } from "../modules/guardrails";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { LabStackProps } from "./lab";
import { networkOutputs } from "./outputs";

/** Properties of {@link DevStack}. */
export type DevStackProps = LabStackProps;

/**
 * The cheaper layout: the same modules as `lab`, with each cost-over-HA trade-off named here.
 * - `StackIntent.DEVELOPMENT`: no deletion protection or final snapshot, so it tears down cleanly.
 * - `NatGatewayMode.SINGLE`: one NAT gateway; losing its AZ cuts private egress in every AZ.
 *
 * Each trade-off that breaks an HA or security rule is suppressed here with its reason, so the
 * synth passes and the report (`npm run report`) still lists it.
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
    Guardrails.suppress(
      this.network,
      "HA-NAT-1",
      "dev runs one NAT gateway to save one gateway's hourly and data charges per extra AZ; losing the NAT's AZ cuts private egress of the other AZs until it is back",
    );
    networkOutputs(this, this.network);
  }
}
