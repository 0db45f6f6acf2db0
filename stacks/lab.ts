import { Construct } from "constructs";
import { HaStack, StackIntent, StateBackendConfig } from "../lib/ha-stack";
import { AppTier } from "../modules/app-tier";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { appOutputs, networkOutputs } from "./outputs";

/** Properties of {@link LabStack}. */
export interface LabStackProps {
  readonly region: string;
  /** Two or more AZs of the region. */
  readonly azs: string[];
  /** @default - local state */
  readonly backend?: StateBackendConfig;
}

/**
 * The reference lab: the full HA layout (NAT per AZ; app tier with one instance per AZ, 2 / 2 / 4
 * with two AZs, deletion protection and ALB access logs on by the production intent).
 */
export class LabStack extends HaStack {
  public readonly network: HaVpc;
  public readonly app: AppTier;

  constructor(scope: Construct, id: string, props: LabStackProps) {
    super(scope, id, { region: props.region, environment: "lab", backend: props.backend, intent: StackIntent.PRODUCTION });
    this.network = new HaVpc(this, "Network", {
      name: id,
      azs: props.azs,
      natGateways: NatGatewayMode.PER_AZ,
    });
    networkOutputs(this, this.network);
    this.app = new AppTier(this, "App", { vpc: this.network, name: `${id}-app` });
    appOutputs(this, this.app);
  }
}
