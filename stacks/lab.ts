import { Construct } from "constructs";
import { HaStack, StackIntent, StateBackendConfig } from "../lib/ha-stack";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { networkOutputs } from "./outputs";

/** Properties of {@link LabStack}. */
export interface LabStackProps {
  readonly region: string;
  /** Two or more AZs of the region. */
  readonly azs: string[];
  /** @default - local state */
  readonly backend?: StateBackendConfig;
}

/** The reference lab: the full HA layout (NAT per AZ). */
export class LabStack extends HaStack {
  public readonly network: HaVpc;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id, { region: props.region, environment: "lab", backend: props.backend, intent: StackIntent.PRODUCTION });
    this.network = new HaVpc(this, "Network", {
      name: id,
      azs: props.azs,
      natGateways: NatGatewayMode.PER_AZ,
    });
    networkOutputs(this, this.network);
  }
}
