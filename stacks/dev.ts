import { Construct } from "constructs";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { AppTier, InstanceRedundancy } from "../modules/app-tier";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { LabStackProps } from "./lab";
import { appOutputs, networkOutputs } from "./outputs";

/** Properties of {@link DevStack}. */
export type DevStackProps = LabStackProps;

/**
 * The cheaper layout: the same modules as `lab`, with each cost-over-HA trade-off named here.
 * - `StackIntent.DEVELOPMENT`: no deletion protection or final snapshot, so it tears down cleanly.
 * - `NatGatewayMode.SINGLE`: one NAT gateway; losing its AZ cuts private egress in every AZ.
 * - `InstanceRedundancy.REDUCED` with one instance (max 2): losing that instance or its AZ takes
 *   the app down until the ASG has booted a replacement (minutes). The intent also turns the
 *   ALB's deletion protection and access logs off.
 */
export class DevStack extends HaStack {
  public readonly network: HaVpc;
  public readonly app: AppTier;

  constructor(scope: Construct, id: string, props: DevStackProps) {
    super(scope, id, { region: props.region, environment: "dev", backend: props.backend, intent: StackIntent.DEVELOPMENT });
    this.network = new HaVpc(this, "Network", {
      name: id,
      azs: props.azs,
      natGateways: NatGatewayMode.SINGLE,
    });
    networkOutputs(this, this.network);
    this.app = new AppTier(this, "App", {
      vpc: this.network,
      name: `${id}-app`,
      redundancy: InstanceRedundancy.REDUCED,
      minCapacity: 1,
      desiredCapacity: 1,
      maxCapacity: 2,
    });
    appOutputs(this, this.app);
  }
}
