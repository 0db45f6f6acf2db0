import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { GatewayEndpointService, InterfaceEndpointService } from "./endpoints";

/**
 * How private (app) subnets reach the internet. A choice that trades HA for cost, so it is a
 * named mode rather than booleans (see the NAT scenarios table in README.md).
 */
export enum NatGatewayMode {
  /** One NAT gateway per AZ; each private subnet routes through the NAT in its own AZ. Losing one AZ cuts no other AZ off. */
  PER_AZ = "PER_AZ",
  /**
   * One NAT gateway, in the AZ with the lowest letter (whatever the list order), for every private
   * subnet. Cheaper; losing that AZ cuts all private egress. Not HA.
   */
  SINGLE = "SINGLE",
  /** No NAT gateway: private subnets have no internet egress. Requires `allowPrivateSubnetsWithoutEgress: true`. */
  NONE = "NONE",
}

/** The three subnet tiers, one subnet of each per AZ. */
export type SubnetTier = "public" | "private" | "isolated";

/** All tiers, in the order subnet ids and layouts are reported. */
export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "isolated"];

/** Default VPC block. */
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";

/** Default subnet prefix length per tier: /24 public (ALB, NAT), /20 private (app), /24 isolated (database). */
export const DEFAULT_SUBNET_PREFIX_LENGTHS: Readonly<Record<SubnetTier, number>> = {
  public: 24,
  private: 20,
  isolated: 24,
};

/** Fewest and most AZs a network may span. */
export const MIN_AZS = 2;
export const MAX_AZS = 6;

/** Days flow logs are kept in CloudWatch Logs. */
export const DEFAULT_FLOW_LOG_RETENTION_DAYS = 90;

/** Values CloudWatch Logs accepts for retention. */
export const VALID_LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Properties of {@link HaVpc}. */
export interface HaVpcProps {
  /**
   * Availability Zone names, e.g. `["us-east-1a", "us-east-1b"]`. Passed in (never looked up),
   * so synth and plan work offline. Each AZ's subnets take the CIDR slot of its letter
   * (a = 0 … f = 5), so adding an AZ later replaces nothing that exists.
   */
  readonly azs: string[];
  /**
   * Name used in `Name` tags and in the flow log group `/vpc/<name>/flow-logs`: 1–200 letters,
   * digits and `. _ - #`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Region the AZs must belong to; inside an HaStack it must equal the stack's region.
   * @default - the region of the enclosing HaStack; unchecked outside one
   */
  readonly region?: string;
  /**
   * The VPC's IPv4 block (AWS allows /16 to /28).
   * @default DEFAULT_VPC_CIDR (10.0.0.0/16)
   */
  readonly cidr?: string;
  /**
   * Prefix length of each tier's subnets; the computed layout reserves six AZ slots per tier.
   * @default DEFAULT_SUBNET_PREFIX_LENGTHS (public 24, private 20, isolated 24)
   */
  readonly subnetPrefixLengths?: Partial<Record<SubnetTier, number>>;
  /**
   * Explicit subnet CIDRs per tier, keyed by AZ name; any not given are computed.
   * Each must lie inside the VPC and overlap no other subnet.
   * @default - all computed from the VPC CIDR
   */
  readonly subnetCidrs?: Partial<Record<SubnetTier, Record<string, string>>>;
  /**
   * NAT gateway layout for private-subnet egress.
   * @default NatGatewayMode.PER_AZ
   */
  readonly natGateways?: NatGatewayMode;
  /**
   * Accept private subnets without internet egress (required with `NatGatewayMode.NONE`).
   * @default false
   */
  readonly allowPrivateSubnetsWithoutEgress?: boolean;
  /**
   * Accept a network in a single AZ (no AZ redundancy at all).
   * @default false
   */
  readonly allowSingleAz?: boolean;
  /**
   * Days to keep VPC flow logs.
   * @default DEFAULT_FLOW_LOG_RETENTION_DAYS (90)
   */
  readonly flowLogRetentionDays?: number;
  /**
   * Gateway endpoints, routed from every private route table and the isolated route table. Free,
   * regional (no AZ to lose), and they keep that traffic off the NAT gateways; `[]` for none.
   * @default DEFAULT_GATEWAY_ENDPOINTS ([GatewayEndpointService.S3])
   */
  readonly gatewayEndpoints?: GatewayEndpointService[];
  /**
   * Interface endpoints (AWS PrivateLink), by service name: one per service, with a network
   * interface in every AZ's private subnet and private DNS, so the usual service host names resolve
   * to it from the whole VPC. Each costs per AZ per hour (see README "Cost note"). With them, a
   * private subnet keeps those services when another AZ and its NAT gateway are lost, and
   * `NatGatewayMode.NONE` can serve an app that needs AWS APIs.
   * @default DEFAULT_INTERFACE_ENDPOINTS (none)
   */
  readonly interfaceEndpoints?: InterfaceEndpointService[];
  /**
   * Admit only security groups to the interface endpoints on 443, not the whole VPC CIDR: these
   * ids, plus the clients wired later with `allowInterfaceEndpointsFrom(tier)` (`[]` when all are
   * wired that way). Only with `interfaceEndpoints`.
   * @default - every address of the VPC CIDR may connect on 443
   */
  readonly interfaceEndpointClientSecurityGroupIds?: string[];
}

/** A client of the interface endpoints, e.g. an `AppTier`: its instances' security group. */
export interface EndpointClient {
  readonly securityGroup: SecurityGroup;
}
