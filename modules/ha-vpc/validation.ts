import { IConstruct } from "constructs";
import { Token } from "cdktf";
import { ValidationError, show } from "../../lib/errors";
import { cidrProblem, parseCidr } from "../../lib/cidr";
import { AZ_SLOTS, PlannedSubnet, computeLayout, layoutProblem, requiredAddresses } from "./layout";
import {
  DEFAULT_FLOW_LOG_RETENTION_DAYS,
  DEFAULT_SUBNET_PREFIX_LENGTHS,
  DEFAULT_VPC_CIDR,
  HaVpcProps,
  MAX_AZS,
  MIN_AZS,
  NatGatewayMode,
  SUBNET_TIERS,
  SubnetTier,
  VALID_LOG_RETENTION_DAYS,
} from "./props";
import {
  DEFAULT_GATEWAY_ENDPOINTS,
  DEFAULT_INTERFACE_ENDPOINTS,
  GatewayEndpointService,
  InterfaceEndpointService,
} from "./endpoints";

/** HaVpcProps with every default applied and every rule checked. */
export interface ResolvedHaVpcConfig {
  readonly name: string;
  readonly azs: readonly string[];
  readonly cidr: string;
  readonly natGateways: NatGatewayMode;
  readonly subnets: readonly PlannedSubnet[];
  readonly flowLogRetentionDays: number;
  /** The region of the AZs, for endpoint service names. */
  readonly region: string;
  readonly gatewayEndpoints: readonly GatewayEndpointService[];
  readonly interfaceEndpoints: readonly InterfaceEndpointService[];
  /** Undefined: the VPC CIDR is admitted to the interface endpoints. */
  readonly interfaceEndpointClientSecurityGroupIds?: readonly string[];
}

/** An AZ name: region plus one letter a–f (local and wavelength zones are not subnet homes here). */
const AZ_PATTERN = /^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d)([a-f])$/;
const VPC_MIN_PREFIX = 16;
const VPC_MAX_PREFIX = 28;

/** Applies defaults and checks every rule before any resource exists; throws ValidationError. */
export function resolveHaVpcConfig(
  props: HaVpcProps,
  id: string,
  stackRegion: string | undefined,
  scope: IConstruct,
): ResolvedHaVpcConfig {
  const fail = (message: string): never => {
    throw new ValidationError(`HaVpc: ${message}`, scope);
  };
  const azs = props.azs ?? [];

  // --- Availability Zones ---
  if (azs.length === 0) fail(`azs (${show(azs)}) is empty; pass ${MIN_AZS} to ${MAX_AZS} AZ names like ["us-east-1a", "us-east-1b"]`);
  if (azs.length < MIN_AZS && !props.allowSingleAz) {
    fail(
      `azs (${show(azs)}) has ${azs.length} AZ; an HA network needs ${MIN_AZS} to ${MAX_AZS}. ` +
        `Add an AZ, or set allowSingleAz: true to accept a network with no AZ redundancy`,
    );
  }
  if (azs.length > MAX_AZS) fail(`azs (${show(azs)}) has ${azs.length} AZs; pass at most ${MAX_AZS}`);
  const duplicates = azs.filter((az, i) => azs.indexOf(az) !== i);
  if (duplicates.length > 0) {
    fail(`azs (${show(azs)}) lists ${show(duplicates[0])} more than once; list each AZ once`);
  }
  const regions = new Set<string>();
  for (const az of azs) {
    const match = AZ_PATTERN.exec(az);
    if (!match) {
      fail(`azs contains ${show(az)}, which is not an AZ name (region + letter a–f, e.g. "us-east-1a")`);
    }
    regions.add(match![1]);
  }
  if (regions.size > 1) {
    fail(`azs (${show(azs)}) spans regions ${show([...regions])}; a VPC lives in one region, so pick AZs of one`);
  }
  const azRegion = [...regions][0];
  const expectedRegion = props.region ?? stackRegion;
  if (expectedRegion && azRegion !== expectedRegion) {
    fail(
      `azs (${show(azs)}) are in ${azRegion} but the stack's region is ${expectedRegion}; ` +
        `use AZs of ${expectedRegion} (e.g. "${expectedRegion}a") or change the region`,
    );
  }

  // --- VPC and subnet CIDRs ---
  const cidr = props.cidr ?? DEFAULT_VPC_CIDR;
  const cidrIssue = cidrProblem(cidr);
  if (cidrIssue) fail(`cidr (${show(cidr)}) ${cidrIssue}; pass a block like "10.0.0.0/16"`);
  const vpcBlock = parseCidr(cidr)!;
  if (vpcBlock.prefix < VPC_MIN_PREFIX || vpcBlock.prefix > VPC_MAX_PREFIX) {
    fail(`cidr (${show(cidr)}) has prefix /${vpcBlock.prefix}; AWS allows /${VPC_MIN_PREFIX} to /${VPC_MAX_PREFIX}`);
  }

  const prefixLengths = { ...DEFAULT_SUBNET_PREFIX_LENGTHS, ...props.subnetPrefixLengths };
  for (const tier of SUBNET_TIERS) {
    const p = prefixLengths[tier];
    if (!Number.isInteger(p) || p < vpcBlock.prefix || p > VPC_MAX_PREFIX) {
      fail(
        `subnetPrefixLengths.${tier} (${show(p)}) must be a whole number from the VPC's /${vpcBlock.prefix} ` +
          `to /${VPC_MAX_PREFIX}`,
      );
    }
  }

  const custom = props.subnetCidrs ?? {};
  for (const tier of Object.keys(custom) as SubnetTier[]) {
    if (!SUBNET_TIERS.includes(tier)) fail(`subnetCidrs has unknown tier ${show(tier)}; use ${show(SUBNET_TIERS)}`);
    for (const [az, subnetCidr] of Object.entries(custom[tier] ?? {})) {
      if (!azs.includes(az)) {
        fail(`subnetCidrs.${tier} names AZ ${show(az)}, which is not in azs (${show(azs)}); key custom CIDRs by a listed AZ`);
      }
      const issue = cidrProblem(subnetCidr);
      if (issue) fail(`subnetCidrs.${tier}["${az}"] (${show(subnetCidr)}) ${issue}`);
    }
  }

  const computed = computeLayout(vpcBlock, azs, prefixLengths);
  const needsComputed = SUBNET_TIERS.some((tier) => azs.some((az) => !custom[tier]?.[az]));
  if (!computed && needsComputed) {
    fail(
      `cidr (${show(cidr)}) is too small for the subnets asked for: ${AZ_SLOTS} AZ slots per tier at ` +
        `public /${prefixLengths.public}, private /${prefixLengths.private}, isolated /${prefixLengths.isolated} ` +
        `need ${requiredAddresses(prefixLengths)} addresses, the VPC has ${2 ** (32 - vpcBlock.prefix)}. ` +
        `Use a larger VPC CIDR or longer subnetPrefixLengths`,
    );
  }
  const subnets = SUBNET_TIERS.flatMap((tier) =>
    azs.map((az) => ({
      tier,
      az,
      cidr: custom[tier]?.[az] ?? computed!.find((s) => s.tier === tier && s.az === az)!.cidr,
    })),
  );
  const problem = layoutProblem(vpcBlock, subnets);
  if (problem) fail(problem);

  // --- NAT ---
  const natGateways = props.natGateways ?? NatGatewayMode.PER_AZ;
  if (!Object.values(NatGatewayMode).includes(natGateways)) {
    fail(`natGateways (${show(natGateways)}) is not a NatGatewayMode; use ${show(Object.values(NatGatewayMode))}`);
  }
  if (natGateways === NatGatewayMode.NONE && !props.allowPrivateSubnetsWithoutEgress) {
    fail(
      `natGateways (NONE) leaves the private subnets without internet egress, which app instances need for ` +
        `packages and AWS APIs. Use NatGatewayMode.PER_AZ, or set allowPrivateSubnetsWithoutEgress: true ` +
        `if you provide egress another way (VPC endpoints, a proxy)`,
    );
  }
  if (natGateways !== NatGatewayMode.NONE && props.allowPrivateSubnetsWithoutEgress) {
    fail(
      `allowPrivateSubnetsWithoutEgress (true) conflicts with natGateways (${natGateways}); ` +
        `set it only with NatGatewayMode.NONE`,
    );
  }

  const flowLogRetentionDays = props.flowLogRetentionDays ?? DEFAULT_FLOW_LOG_RETENTION_DAYS;
  if (!VALID_LOG_RETENTION_DAYS.includes(flowLogRetentionDays)) {
    fail(`flowLogRetentionDays (${show(flowLogRetentionDays)}) is not a CloudWatch Logs retention; use one of ${show(VALID_LOG_RETENTION_DAYS)}`);
  }

  // --- VPC endpoints ---
  const gatewayEndpoints = endpointList(
    "gatewayEndpoints",
    props.gatewayEndpoints ?? DEFAULT_GATEWAY_ENDPOINTS,
    Object.values(GatewayEndpointService),
    Object.values(InterfaceEndpointService),
    "interfaceEndpoints",
    "GatewayEndpointService.S3",
    fail,
  );
  const interfaceEndpoints = endpointList(
    "interfaceEndpoints",
    props.interfaceEndpoints ?? DEFAULT_INTERFACE_ENDPOINTS,
    Object.values(InterfaceEndpointService),
    Object.values(GatewayEndpointService),
    "gatewayEndpoints",
    "InterfaceEndpointService.SECRETS_MANAGER",
    fail,
  );
  const clients = props.interfaceEndpointClientSecurityGroupIds;
  if (clients !== undefined) {
    if (!Array.isArray(clients)) {
      fail(`interfaceEndpointClientSecurityGroupIds (${show(clients)}) must be an array of security group ids, e.g. [app.securityGroup.id]`);
    }
    if (interfaceEndpoints.length === 0) {
      fail(
        `interfaceEndpointClientSecurityGroupIds (${show(clients)}) is set but interfaceEndpoints is empty; ` +
          "list the interface endpoints the groups should reach, or remove interfaceEndpointClientSecurityGroupIds",
      );
    }
    for (const group of clients) {
      if (typeof group !== "string" || (!Token.isUnresolved(group) && !SECURITY_GROUP_ID.test(group))) {
        fail(
          `interfaceEndpointClientSecurityGroupIds contains ${show(group)}, which is not a security group id; ` +
            'pass ids like "sg-0123456789abcdef0" or a reference such as app.securityGroup.id',
        );
      }
    }
  }

  return {
    name: props.name ?? id,
    azs,
    cidr,
    natGateways,
    subnets,
    flowLogRetentionDays,
    region: azRegion,
    gatewayEndpoints,
    interfaceEndpoints,
    interfaceEndpointClientSecurityGroupIds: clients,
  };
}

const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;

/**
 * Checks a list of endpoint service names: an array, known names (else the supported ones are
 * listed, and a name of the other kind is pointed at the other prop), each once.
 */
function endpointList<T extends string>(
  field: string,
  value: unknown,
  supported: readonly T[],
  otherKind: readonly string[],
  otherField: string,
  example: string,
  fail: (message: string) => never,
): T[] {
  if (!Array.isArray(value)) {
    fail(`${field} (${show(value)}) must be an array of service names, e.g. [${example}]; use [] for none`);
  }
  const list = value as unknown[];
  for (const service of list) {
    if (otherKind.includes(service as string)) {
      fail(`${field} contains ${show(service)}, which HaVpc reaches through a ${otherField === "gatewayEndpoints" ? "gateway" : "interface"} endpoint; list it in ${otherField}`);
    }
    if (!supported.includes(service as T)) {
      fail(`${field} contains ${show(service)}, which is not a supported service; supported: ${show(supported)}`);
    }
  }
  const duplicate = list.find((service, i) => list.indexOf(service) !== i);
  if (duplicate !== undefined) fail(`${field} (${show(list)}) lists ${show(duplicate)} more than once; list each service once`);
  return list as T[];
}
