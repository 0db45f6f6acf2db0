import { SynthesizedStack, SynthResource, blocks, literal } from "./synthesized-stack";

/** Fewest AZs a tier must span to survive the loss of one. */
export const MIN_HA_AZS = 2;

/** One ingress permission, whichever of the three Terraform ways declared it. */
export interface IngressPermission {
  /** Where it is declared: a rule resource, or the security group with an inline `ingress` block. */
  readonly declaredIn: SynthResource;
  /** The security group it opens, when that is a resource of this stack. */
  readonly securityGroup?: SynthResource;
  /** Normalized: `tcp`, `udp`, `icmp`, `all`, or the number as written. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  /** IPv4/IPv6 CIDR blocks and prefix lists it admits (security-group sources are not listed). */
  readonly networkSources: readonly string[];
  readonly description?: string;
}

const PROTOCOL_NAMES: Record<string, string> = { "-1": "all", all: "all", "6": "tcp", tcp: "tcp", "17": "udp", udp: "udp" };

/** Ingress permissions declared by a resource (ingress rule resource, `aws_security_group_rule`, inline block). */
export function ingressPermissions(resource: SynthResource, stack: SynthesizedStack): IngressPermission[] {
  const v = resource.values;
  switch (resource.type) {
    case "aws_vpc_security_group_ingress_rule":
      return [
        {
          declaredIn: resource,
          securityGroup: stack.ref(v.security_group_id),
          protocol: protocolName(v.ip_protocol),
          fromPort: portNumber(v.from_port),
          toPort: portNumber(v.to_port),
          networkSources: [v.cidr_ipv4, v.cidr_ipv6, v.prefix_list_id].filter(Boolean),
          description: v.description,
        },
      ];
    case "aws_security_group_rule":
      if (v.type !== "ingress") return [];
      return [
        {
          declaredIn: resource,
          securityGroup: stack.ref(v.security_group_id),
          protocol: protocolName(v.protocol),
          fromPort: portNumber(v.from_port),
          toPort: portNumber(v.to_port),
          networkSources: [...asList(v.cidr_blocks), ...asList(v.ipv6_cidr_blocks), ...asList(v.prefix_list_ids)].map(String),
          description: v.description,
        },
      ];
    case "aws_security_group":
      return blocks(v.ingress).map((b) => ({
        declaredIn: resource,
        securityGroup: resource,
        protocol: protocolName(b.protocol),
        fromPort: portNumber(b.from_port),
        toPort: portNumber(b.to_port),
        networkSources: [...asList(b.cidr_blocks), ...asList(b.ipv6_cidr_blocks), ...asList(b.prefix_list_ids)].map(String),
        description: b.description ?? undefined,
      }));
    default:
      return [];
  }
}

/** True when the permission admits TCP or UDP traffic to the port (a port range or all protocols). */
export function coversPort(permission: IngressPermission, port: number): boolean {
  if (permission.protocol === "all") return true;
  if (permission.protocol !== "tcp" && permission.protocol !== "udp") return false;
  // A port written as an expression cannot be bounded at synth; assume it may be the admin port.
  if (permission.fromPort === undefined || permission.toPort === undefined) return true;
  return permission.fromPort <= port && port <= permission.toPort;
}

/** Security groups attached to a database (RDS/Aurora cluster or DB instance) in this stack. */
export function databaseSecurityGroups(stack: SynthesizedStack): Map<SynthResource, SynthResource> {
  const groups = new Map<SynthResource, SynthResource>();
  for (const db of [...stack.resources("aws_rds_cluster"), ...stack.resources("aws_db_instance")]) {
    for (const sg of stack.refs(db.values.vpc_security_group_ids, "aws_security_group")) groups.set(sg, db);
  }
  return groups;
}

/** Application load balancers only: `load_balancer_type` unset or `application`. */
export function isApplicationLoadBalancer(lb: SynthResource): boolean {
  const type = lb.values.load_balancer_type;
  return type === undefined || type === null || type === "application";
}

/** The subnets of a load balancer, from `subnets` and `subnet_mapping`. */
export function loadBalancerSubnetIds(lb: SynthResource): unknown[] {
  // `subnets` is a list, or one string when written as a Terraform expression (`${concat(...)}`).
  return [...asList(lb.values.subnets), ...blocks(lb.values.subnet_mapping).map((m) => m.subnet_id)];
}

/** The AZs an Auto Scaling group launches into: its subnets' AZs, else its `availability_zones`. */
export function autoScalingAzs(group: SynthResource, stack: SynthesizedStack): { azs: string[]; unknown: string[] } {
  const subnets = group.values.vpc_zone_identifier;
  if (Array.isArray(subnets) ? subnets.length > 0 : subnets) {
    const spread = stack.subnetSpread(subnets);
    return { azs: [...spread.azs], unknown: [...spread.unknown] };
  }
  const named: unknown[] = Array.isArray(group.values.availability_zones) ? group.values.availability_zones : [];
  const azs = [...new Set(named.map(literal).filter((az): az is string => az !== undefined))].sort();
  return { azs, unknown: named.filter((az) => literal(az) === undefined).map(String) };
}

/** A list attribute as a list: arrays as they are, a single value (an expression) as one item. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** The instances of an RDS/Aurora cluster in this stack. */
export function clusterInstances(cluster: SynthResource, stack: SynthesizedStack): SynthResource[] {
  return stack.referrers("aws_rds_cluster_instance", "cluster_identifier", cluster);
}

/** A numeric literal (numbers or numeric strings); undefined for expressions. */
export function numberValue(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function portNumber(value: unknown): number | undefined {
  return numberValue(value);
}

function protocolName(value: unknown): string {
  const text = String(value ?? "").toLowerCase();
  return PROTOCOL_NAMES[text] ?? text;
}

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/**
 * Interface endpoints with private DNS: the service's usual host name resolves to them from the
 * whole VPC, so every client's calls to that service go through their network interfaces (a NAT
 * gateway no longer carries them).
 */
export function privateDnsInterfaceEndpoints(stack: SynthesizedStack): SynthResource[] {
  return stack
    .resources("aws_vpc_endpoint")
    .filter((e) => e.values.vpc_endpoint_type === "Interface" && (e.values.private_dns_enabled === true || e.values.private_dns_enabled === "true"));
}

/** Gateway endpoints (S3, DynamoDB): routes in route tables, regional, no AZ to lose. */
export function gatewayEndpoints(stack: SynthesizedStack): SynthResource[] {
  return stack.resources("aws_vpc_endpoint").filter((e) => e.values.vpc_endpoint_type === "Gateway");
}

/**
 * The short service name of an endpoint (`com.amazonaws.us-east-1.secretsmanager` → `secretsmanager`;
 * also China's `cn.com.amazonaws.cn-north-1.ec2` → `ec2`). Other names (a PrivateLink service
 * `com.amazonaws.vpce.<region>.vpce-svc-…`, `aws.sagemaker.…`) are kept whole.
 */
export function endpointService(endpoint: SynthResource): string {
  const name = String(endpoint.values.service_name ?? "unknown service");
  return /^(?:cn\.)?com\.amazonaws\.[a-z]{2}(?:-[a-z]+)+-\d+\.(.+)$/.exec(name)?.[1] ?? name;
}

/** Route tables a gateway endpoint is routed from: `route_table_ids` and separate associations. */
export function gatewayEndpointRouteTables(endpoint: SynthResource, stack: SynthesizedStack): SynthResource[] {
  const associated = stack
    .referrers("aws_vpc_endpoint_route_table_association", "vpc_endpoint_id", endpoint)
    .map((a) => stack.ref(a.values.route_table_id))
    .filter((t): t is SynthResource => t !== undefined);
  return [...new Set([...stack.refs(endpoint.values.route_table_ids, "aws_route_table"), ...associated])];
}

/**
 * Subnets where the stack's workloads call AWS APIs from: those Auto Scaling groups launch into,
 * and private subnets (default route through a NAT gateway).
 */
export function workloadSubnets(stack: SynthesizedStack): SynthResource[] {
  const subnets = new Set<SynthResource>();
  for (const group of stack.resources("aws_autoscaling_group")) {
    for (const subnet of stack.refs(group.values.vpc_zone_identifier, "aws_subnet")) subnets.add(subnet);
  }
  for (const subnet of stack.resources("aws_subnet")) {
    if (stack.defaultRouteOf(subnet)?.kind === "nat") subnets.add(subnet);
  }
  return [...subnets];
}
