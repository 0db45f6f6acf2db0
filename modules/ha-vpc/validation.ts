import { IConstruct } from "constructs";
import { Token } from "cdktf";
import { ValidationError, show } from "../../lib/errors";
import { Fail, checks, regionProblem } from "../../lib/checks";
import { Ipv4Block, cidrProblem, formatCidr, overlaps, parseCidr } from "../../lib/cidr";
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
/** Log group names allow letters, digits and `._-/#`; the name is one path segment of /vpc/<name>/flow-logs. */
const VPC_NAME_PATTERN = /^[A-Za-z0-9._#-]+$/;
const MAX_VPC_NAME = 200;

/**
 * Blocks that are no unicast host space (IANA special-purpose registry), so no VPC can use them:
 * "this network", loopback, link-local, multicast and the reserved class E range (with the
 * broadcast address). AWS refuses them at apply (InvalidVpc.Range), after other resources exist.
 */
const RESERVED_RANGES: ReadonlyArray<{ readonly block: Ipv4Block; readonly what: string }> = [
  { cidr: "0.0.0.0/8", what: "\"this network\"" },
  { cidr: "127.0.0.0/8", what: "loopback" },
  { cidr: "169.254.0.0/16", what: "link-local" },
  { cidr: "224.0.0.0/4", what: "multicast" },
  { cidr: "240.0.0.0/4", what: "reserved, class E" },
].map((r) => ({ block: parseCidr(r.cidr)!, what: r.what }));

/** How an AZ list is named and judged: HaVpc's `azs` prop, or an environment variable (HA_AZS). */
export interface AzListContext {
  /** The field or variable, as the user wrote it. */
  readonly field: string;
  /** How the value reads in a message. */
  readonly shown: (azs: readonly unknown[]) => string;
  /** Region the AZs must be in, when known. */
  readonly expectedRegion?: string;
  /** Where that region comes from, completing "but the …": "stack's region is us-east-1". */
  readonly regionSource: string;
  readonly allowSingleAz: boolean;
  /** The fix when only one AZ is given. */
  readonly singleAzFix: string;
  /** The fix when no AZ is given. */
  readonly emptyFix: string;
}

/** Checks a list of AZ names (count, duplicates, names, one region); returns it. Shared by HaVpc and stacks/config. */
export function checkAzList(value: unknown, fail: Fail, ctx: AzListContext): string[] {
  const azs = checks(fail).list<unknown>(value, ctx.field, '["us-east-1a", "us-east-1b"]');
  const shown = ctx.shown(azs);
  if (azs.length === 0) fail(`${ctx.field} (${shown}) is empty; ${ctx.emptyFix}`);
  if (azs.length < MIN_AZS && !ctx.allowSingleAz) {
    fail(`${ctx.field} (${shown}) has ${azs.length} AZ; an HA network needs ${MIN_AZS} to ${MAX_AZS}. ${ctx.singleAzFix}`);
  }
  if (azs.length > MAX_AZS) fail(`${ctx.field} (${shown}) has ${azs.length} AZs; pass at most ${MAX_AZS}`);
  const duplicates = azs.filter((az, i) => azs.indexOf(az) !== i);
  if (duplicates.length > 0) {
    fail(`${ctx.field} (${shown}) lists ${show(duplicates[0])} more than once; list each AZ once`);
  }
  const regions = new Set<string>();
  for (const az of azs) {
    const match = typeof az === "string" ? AZ_PATTERN.exec(az) : null;
    if (!match) {
      fail(`${ctx.field} contains ${show(az)}, which is not an AZ name (region + letter a–f, e.g. "us-east-1a")`);
    }
    regions.add(match![1]);
  }
  if (regions.size > 1) {
    fail(`${ctx.field} (${shown}) spans regions ${show([...regions])}; a VPC lives in one region, so pick AZs of one`);
  }
  const azRegion = [...regions][0];
  if (ctx.expectedRegion && azRegion !== ctx.expectedRegion) {
    fail(
      `${ctx.field} (${shown}) are in ${azRegion} but the ${ctx.regionSource}; ` +
        `use AZs of ${ctx.expectedRegion} (e.g. "${ctx.expectedRegion}a") or change the region`,
    );
  }
  return azs as string[];
}

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
  const check = checks(fail);
  check.record(props, "props", '{ azs: ["us-east-1a", "us-east-1b"] }');
  const allowSingleAz = check.optionalBoolean(props.allowSingleAz, "allowSingleAz");
  const allowNoEgress = check.optionalBoolean(props.allowPrivateSubnetsWithoutEgress, "allowPrivateSubnetsWithoutEgress");

  // --- Availability Zones ---
  if (props.region !== undefined) {
    const problem = regionProblem(props.region);
    if (problem) fail(`region (${show(props.region)}) ${problem}; pass one like "us-east-1", or leave it unset for the stack's`);
  }
  const azs = checkAzList(props.azs ?? [], fail, {
    field: "azs",
    shown: (list) => show(list),
    expectedRegion: props.region ?? stackRegion,
    regionSource: props.region !== undefined ? `region is ${props.region}` : `stack's region is ${stackRegion}`,
    allowSingleAz: allowSingleAz ?? false,
    singleAzFix: "Add an AZ, or set allowSingleAz: true to accept a network with no AZ redundancy",
    emptyFix: `pass ${MIN_AZS} to ${MAX_AZS} AZ names like ["us-east-1a", "us-east-1b"]`,
  });
  if (props.region !== undefined && stackRegion !== undefined && props.region !== stackRegion) {
    fail(
      `region (${show(props.region)}) differs from the stack's region (${stackRegion}); a VPC is created in its stack's ` +
        `region, so drop region (it defaults to the stack's) or build the VPC in a stack of ${props.region}`,
    );
  }

  // --- Name: Name tags and the flow log group /vpc/<name>/flow-logs ---
  const name = props.name ?? id;
  const nameField = props.name === undefined ? "name (defaulted from the construct id)" : "name";
  check.string(name, nameField, 'pass a name like "shop-prod"');
  if (!VPC_NAME_PATTERN.test(name) || name.length > MAX_VPC_NAME) {
    const why =
      name === ""
        ? "is empty, which leaves the Name tags empty"
        : name.length > MAX_VPC_NAME
          ? `has ${name.length} characters, too long for the flow log group /vpc/<name>/flow-logs`
          : "cannot name the flow log group /vpc/<name>/flow-logs";
    fail(`${nameField} (${show(name)}) ${why}; use 1 to ${MAX_VPC_NAME} letters, digits and . _ - #, e.g. "shop-prod"`);
  }

  // --- VPC and subnet CIDRs ---
  const cidr = check.string(props.cidr ?? DEFAULT_VPC_CIDR, "cidr", 'pass a block like "10.0.0.0/16"');
  const cidrIssue = cidrProblem(cidr);
  if (cidrIssue) fail(`cidr (${show(cidr)}) ${cidrIssue}; pass a block like "10.0.0.0/16"`);
  const vpcBlock = parseCidr(cidr)!;
  if (vpcBlock.prefix < VPC_MIN_PREFIX || vpcBlock.prefix > VPC_MAX_PREFIX) {
    fail(
      `cidr (${show(cidr)}) has prefix /${vpcBlock.prefix}; AWS allows /${VPC_MIN_PREFIX} to /${VPC_MAX_PREFIX}, ` +
        `so pass a block of that size, e.g. "10.0.0.0/16"`,
    );
  }
  const reserved = RESERVED_RANGES.find((r) => overlaps(r.block, vpcBlock));
  if (reserved) {
    fail(
      `cidr (${show(cidr)}) overlaps ${formatCidr(reserved.block)} (${reserved.what}), which AWS does not allow for a VPC; ` +
        `use a private block such as "10.0.0.0/16", "172.16.0.0/16" or "192.168.0.0/16"`,
    );
  }

  const givenPrefixLengths = check.optionalRecord<Record<string, unknown>>(props.subnetPrefixLengths, "subnetPrefixLengths", "{ private: 20 }") ?? {};
  for (const tier of Object.keys(givenPrefixLengths)) {
    if (!SUBNET_TIERS.includes(tier as SubnetTier)) {
      fail(`subnetPrefixLengths has unknown tier ${show(tier)}; use ${show(SUBNET_TIERS)}`);
    }
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

  const custom = check.optionalRecord<NonNullable<HaVpcProps["subnetCidrs"]>>(props.subnetCidrs, "subnetCidrs", '{ private: { "us-east-1a": "10.0.0.0/20" } }') ?? {};
  for (const tier of Object.keys(custom) as SubnetTier[]) {
    if (!SUBNET_TIERS.includes(tier)) fail(`subnetCidrs has unknown tier ${show(tier)}; use ${show(SUBNET_TIERS)}`);
    const byAz = check.optionalRecord<Record<string, unknown>>(custom[tier], `subnetCidrs.${tier}`, '{ "us-east-1a": "10.0.0.0/20" }') ?? {};
    for (const [az, subnetCidr] of Object.entries(byAz)) {
      if (!azs.includes(az)) {
        fail(`subnetCidrs.${tier} names AZ ${show(az)}, which is not in azs (${show(azs)}); key custom CIDRs by a listed AZ`);
      }
      const field = `subnetCidrs.${tier}["${az}"]`;
      const issue = cidrProblem(check.string(subnetCidr, field, 'pass a block like "10.0.0.0/24"'));
      if (issue) fail(`${field} (${show(subnetCidr)}) ${issue}; pass a block like "10.0.0.0/24"`);
      const prefix = parseCidr(subnetCidr as string)!.prefix;
      if (prefix > VPC_MAX_PREFIX) {
        fail(`${field} (${show(subnetCidr)}) has prefix /${prefix}; AWS subnets are /${VPC_MIN_PREFIX} to /${VPC_MAX_PREFIX} (a /${VPC_MAX_PREFIX} holds 11 usable addresses), so use /${VPC_MAX_PREFIX} or larger`);
      }
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
  check.oneOf(natGateways, NatGatewayMode, "natGateways", "NatGatewayMode");
  if (natGateways === NatGatewayMode.NONE && !allowNoEgress) {
    fail(
      `natGateways (NONE) leaves the private subnets without internet egress, which app instances need for ` +
        `packages and AWS APIs. Use NatGatewayMode.PER_AZ, or set allowPrivateSubnetsWithoutEgress: true ` +
        `if you provide egress another way (VPC endpoints, a proxy)`,
    );
  }
  if (natGateways !== NatGatewayMode.NONE && allowNoEgress) {
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
    // Each id becomes one ingress rule; AWS refuses a second identical rule at apply (InvalidPermission.Duplicate).
    const twice = clients.find((group, i) => clients.indexOf(group) !== i);
    if (twice !== undefined) {
      fail(`interfaceEndpointClientSecurityGroupIds (${show(clients)}) lists ${show(twice)} more than once; list each security group once`);
    }
  }

  return {
    name,
    // Name order, not list order: every per-AZ list (subnet ids, outputs, the single NAT's AZ) is then
    // the same whatever order the AZs were listed in, so reordering the list changes nothing.
    azs: [...azs].sort(),
    cidr,
    natGateways,
    subnets,
    flowLogRetentionDays,
    region: azs[0].slice(0, -1), // an AZ name is its region plus one letter
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
      fail(`${field} contains ${show(service)}, which HaVpc reaches through ${otherField === "gatewayEndpoints" ? "a gateway" : "an interface"} endpoint; list it in ${otherField}`);
    }
    if (!supported.includes(service as T)) {
      fail(`${field} contains ${show(service)}, which is not a supported service; supported: ${show(supported)}`);
    }
  }
  const duplicate = list.find((service, i) => list.indexOf(service) !== i);
  if (duplicate !== undefined) fail(`${field} (${show(list)}) lists ${show(duplicate)} more than once; list each service once`);
  return list as T[];
}
