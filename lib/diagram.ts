/**
 * Architecture diagrams drawn from what a stack synthesizes, so the picture cannot drift from the
 * code: AZs and their subnets, NAT routing, load balancer, Auto Scaling group, Aurora, and the
 * security-group edges between tiers.
 *
 * Why the synthesized JSON and not `instanceof` on provider classes: the JSON is what Terraform
 * builds, so it includes escape-hatch overrides, resources any module wraps in any construct, and
 * references exactly as Terraform resolves them; and it needs no provider class imports (a
 * consumer with a second copy of the provider package would fail `instanceof`).
 */
import { TerraformStack, Testing } from "cdktf";
import { referencedAddresses } from "./references";

export { referencedAddresses };

/** What a node stands for. */
export type NodeKind =
  | "internet-gateway"
  | "subnet"
  | "nat-gateway"
  | "load-balancer"
  | "auto-scaling-group"
  | "db-cluster"
  | "db-instance"
  | "security-group"
  | "cidr";

/** A resource drawn as a node. */
export interface DiagramNode {
  /** Mermaid id: the kind plus the Terraform logical name without its hash, unique in the diagram. */
  readonly id: string;
  readonly kind: NodeKind;
  /** Terraform address (`aws_subnet.Network_us-east-1a_PublicSubnet_74B68574`); `cidr:<block>` for CIDR sources. */
  readonly address: string;
  /** Text shown in the node; lines separated by `<br/>`. */
  readonly label: string;
  /** Id of the VPC group the node is drawn in; undefined: outside every VPC. */
  readonly vpc?: string;
  /** AZ the node is drawn in; undefined for resources spanning AZs (ALB, ASG, cluster). */
  readonly az?: string;
  /** Subnet tier (the `tier` tag, else guessed from the `Name` tag); subnets only. */
  readonly tier?: string;
}

/** A VPC, drawn as a group holding its AZs. */
export interface DiagramVpc {
  readonly id: string;
  readonly address: string;
  readonly label: string;
}

/**
 * How two nodes relate:
 * - `route`: a subnet's route table sends `label` (a destination) to a NAT or internet gateway;
 * - `placement`: a resource (NAT, ALB, ASG, cluster) is placed in a subnet;
 * - `traffic`: a load balancer listener forwards to an Auto Scaling group through a target group;
 * - `member`: a database instance belongs to a cluster;
 * - `ingress`: a security-group ingress rule lets `from` reach `to` on `label` (protocol and ports).
 */
export type EdgeKind = "route" | "placement" | "traffic" | "member" | "ingress";

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

/** What {@link describeArchitecture} found in a synthesized stack. */
export interface Architecture {
  readonly vpcs: DiagramVpc[];
  readonly nodes: DiagramNode[];
  readonly edges: DiagramEdge[];
}

/** A synthesized Terraform JSON configuration (`cdk.tf.json`, or `Testing.synth` output parsed). */
export interface SynthesizedConfig {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

type Values = Record<string, any>;
interface Resource {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly values: Values;
}

const LB_TYPES = ["aws_lb", "aws_alb"];
const LISTENER_TYPES = ["aws_lb_listener", "aws_alb_listener"];
const LISTENER_RULE_TYPES = ["aws_lb_listener_rule", "aws_alb_listener_rule"];
const TARGET_GROUP_TYPES = ["aws_lb_target_group", "aws_alb_target_group"];
const TIER_ORDER = ["public", "private", "isolated"];
const KIND_ORDER: NodeKind[] = [
  "internet-gateway",
  "load-balancer",
  "auto-scaling-group",
  "db-cluster",
  "subnet",
  "nat-gateway",
  "db-instance",
  "security-group",
  "cidr",
];
const EDGE_ORDER: EdgeKind[] = ["route", "placement", "traffic", "member", "ingress"];
const ID_PREFIX: Record<NodeKind | "vpc", string> = {
  vpc: "vpc",
  "internet-gateway": "igw",
  subnet: "subnet",
  "nat-gateway": "nat",
  "load-balancer": "lb",
  "auto-scaling-group": "asg",
  "db-cluster": "db",
  "db-instance": "dbi",
  "security-group": "sg",
  cidr: "cidr",
};
/** Hash cdktf appends to logical names; dropped from ids and labels to keep them readable. */
const LOGICAL_ID_HASH = /_[0-9A-F]{8}$/;
/** A plain value as text; undefined for references and expressions, which have no value at synth. */
function literal(value: unknown): string | undefined {
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string" && value !== "" && !value.includes("${")) return value;
  return undefined;
}

function displayName(resource: Resource): string {
  const v = resource.values;
  return (
    literal(v.name) ??
    literal(v.name_prefix) ??
    literal(v.identifier) ??
    literal(v.cluster_identifier) ??
    literal(v.cluster_identifier_prefix) ??
    literal(v.tags?.Name) ??
    resource.name.replace(LOGICAL_ID_HASH, "")
  );
}

function ports(protocol: unknown, from: unknown, to: unknown): string {
  const p = literal(protocol)?.toLowerCase();
  if (p === undefined || p === "-1" || p === "all") return "all traffic";
  const [f, t] = [literal(from), literal(to)];
  if (f === undefined) return p;
  return f === t || t === undefined ? `${p} ${f}` : `${p} ${f}-${t}`;
}

/**
 * Reads a synthesized configuration into nodes and edges, following references between resources
 * (NAT → subnet, route table association → route → NAT, ASG → launch template → security groups,
 * cluster → subnet group → subnets, rule → security groups). Deterministic: nodes and edges are
 * sorted, ids come from logical names.
 */
export function describeArchitecture(config: SynthesizedConfig): Architecture {
  const all: Resource[] = Object.entries(config.resource ?? {})
    .flatMap(([type, byName]) =>
      Object.entries(byName).map(([name, values]) => ({ type, name, address: `${type}.${name}`, values: values as Values })),
    )
    .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  const ofType = (...types: string[]) => all.filter((r) => types.includes(r.type));
  const byAddress = new Map(all.map((r) => [r.address, r]));
  const first = (value: unknown, ...types: string[]) => referencedAddresses(value, types)[0];

  const usedIds = new Set<string>();
  const idOf = new Map<string, string>();
  const newId = (kind: NodeKind | "vpc", address: string, base: string): string => {
    const stem = `${ID_PREFIX[kind]}_${base.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_|_$/g, "")}`;
    let id = stem;
    for (let n = 2; usedIds.has(id); n++) id = `${stem}_${n}`;
    usedIds.add(id);
    idOf.set(address, id);
    return id;
  };
  const logical = (r: Resource) => r.name.replace(LOGICAL_ID_HASH, "");

  const vpcs: DiagramVpc[] = ofType("aws_vpc").map((r) => {
    const cidr = literal(r.values.cidr_block);
    return {
      id: newId("vpc", r.address, logical(r)),
      address: r.address,
      label: ["VPC", literal(r.values.tags?.Name), cidr].filter(Boolean).join(" "),
    };
  });
  const vpcIdOf = (address: string | undefined) => (address ? idOf.get(address) : undefined);

  const nodes = new Map<string, DiagramNode>(); // by address
  const add = (node: Omit<DiagramNode, "id">, base: string) => {
    const full = { id: newId(node.kind, node.address, base), ...node };
    nodes.set(node.address, full);
    return full;
  };

  for (const r of ofType("aws_internet_gateway")) {
    add({ kind: "internet-gateway", address: r.address, label: "Internet gateway", vpc: vpcIdOf(first(r.values.vpc_id, "aws_vpc")) }, logical(r));
  }
  for (const r of ofType("aws_subnet")) {
    const az = literal(r.values.availability_zone) ?? literal(r.values.availability_zone_id) ?? "AZ unknown";
    const tier = literal(r.values.tags?.tier) ?? TIER_ORDER.find((t) => literal(r.values.tags?.Name)?.includes(t)) ?? "subnet";
    const label = [tier === "subnet" ? displayName(r) : `${tier} subnet`, literal(r.values.cidr_block)].filter(Boolean).join("<br/>");
    add({ kind: "subnet", address: r.address, label, vpc: vpcIdOf(first(r.values.vpc_id, "aws_vpc")), az, tier }, logical(r));
  }
  const subnet = (address: string | undefined) => (address ? nodes.get(address) : undefined);
  /** The VPC of a set of subnets (the first one's); undefined when none is known. */
  const vpcOfSubnets = (addresses: string[]) => addresses.map((a) => subnet(a)?.vpc).find(Boolean);

  const edges: DiagramEdge[] = [];
  const edge = (from: string | undefined, to: string | undefined, kind: EdgeKind, label?: string) => {
    const [f, t] = [from && idOf.get(from), to && idOf.get(to)];
    if (f && t && nodes.has(from!) && nodes.has(to!)) edges.push({ from: f, to: t, kind, label });
  };

  for (const r of ofType("aws_nat_gateway")) {
    const s = subnet(first(r.values.subnet_id, "aws_subnet"));
    const kind = literal(r.values.connectivity_type) === "private" ? "Private NAT gateway" : "NAT gateway";
    add({ kind: "nat-gateway", address: r.address, label: kind, vpc: s?.vpc, az: s?.az }, logical(r));
    edge(r.address, s?.address, "placement");
  }

  // Routes: from aws_route resources and inline route blocks, by route table.
  const routes = new Map<string, Array<{ destination: string; target: string }>>();
  const addRoute = (table: string | undefined, route: Values) => {
    const target = first([route.nat_gateway_id, route.gateway_id], "aws_nat_gateway", "aws_internet_gateway");
    const destination = literal(route.destination_cidr_block) ?? literal(route.cidr_block) ?? literal(route.destination_ipv6_cidr_block) ?? literal(route.ipv6_cidr_block);
    if (table && target && destination) routes.set(table, [...(routes.get(table) ?? []), { destination, target }]);
  };
  for (const r of ofType("aws_route")) addRoute(first(r.values.route_table_id, "aws_route_table"), r.values);
  for (const r of ofType("aws_route_table")) {
    for (const inline of Array.isArray(r.values.route) ? r.values.route : []) addRoute(r.address, inline);
  }
  for (const r of ofType("aws_route_table_association")) {
    for (const route of routes.get(first(r.values.route_table_id, "aws_route_table") ?? "") ?? []) {
      edge(first(r.values.subnet_id, "aws_subnet"), route.target, "route", route.destination);
    }
  }

  // Security groups each resource uses, for the security-group labels.
  const usedBy = new Map<string, Set<string>>();
  const uses = (groups: string[], what: string) => {
    for (const g of groups) usedBy.set(g, (usedBy.get(g) ?? new Set()).add(what));
  };

  for (const r of ofType(...LB_TYPES)) {
    const subnets = referencedAddresses([r.values.subnets, r.values.subnet_mapping], ["aws_subnet"]);
    const type = literal(r.values.load_balancer_type) ?? "application";
    const short = type === "network" ? "NLB" : type === "gateway" ? "GWLB" : "ALB";
    const scheme = r.values.internal === true ? "internal" : "internet-facing";
    add({ kind: "load-balancer", address: r.address, label: `${short} ${displayName(r)}<br/>${scheme}`, vpc: vpcOfSubnets(subnets) }, logical(r));
    subnets.forEach((s) => edge(r.address, s, "placement"));
    uses(referencedAddresses(r.values.security_groups, ["aws_security_group"]), short);
  }

  // Target group → Auto Scaling groups registered in it.
  const asgsOfTargetGroup = new Map<string, string[]>();
  const register = (targetGroups: string[], asg: string | undefined) => {
    for (const tg of targetGroups) if (asg) asgsOfTargetGroup.set(tg, [...(asgsOfTargetGroup.get(tg) ?? []), asg]);
  };
  for (const r of ofType("aws_autoscaling_group")) {
    const subnets = referencedAddresses(r.values.vpc_zone_identifier, ["aws_subnet"]);
    const size = [literal(r.values.min_size), literal(r.values.max_size)];
    const sizeText = size.every(Boolean) ? `<br/>${size[0]}–${size[1]} instances` : "";
    add(
      { kind: "auto-scaling-group", address: r.address, label: `Auto Scaling group ${displayName(r)}${sizeText}`, vpc: vpcOfSubnets(subnets) },
      logical(r),
    );
    subnets.forEach((s) => edge(r.address, s, "placement"));
    register(referencedAddresses(r.values.target_group_arns, TARGET_GROUP_TYPES), r.address);
    for (const template of referencedAddresses([r.values.launch_template, r.values.mixed_instances_policy], ["aws_launch_template"])) {
      const lt = byAddress.get(template)?.values ?? {};
      uses(referencedAddresses([lt.vpc_security_group_ids, lt.network_interfaces], ["aws_security_group"]), "Auto Scaling group");
    }
  }
  for (const r of ofType("aws_autoscaling_attachment")) {
    register(referencedAddresses(r.values.lb_target_group_arn, TARGET_GROUP_TYPES), first(r.values.autoscaling_group_name, "aws_autoscaling_group"));
  }
  for (const r of ofType("aws_autoscaling_traffic_source_attachment")) {
    register(referencedAddresses(r.values.traffic_source, TARGET_GROUP_TYPES), first(r.values.autoscaling_group_name, "aws_autoscaling_group"));
  }

  // Listener (and listener rule) → target groups → ASGs: one traffic edge per LB and ASG.
  const traffic = new Map<string, { lb: string; asg: string; labels: Set<string> }>();
  const listeners = new Map(ofType(...LISTENER_TYPES).map((r) => [r.address, r]));
  const forward = (listener: Resource | undefined, actions: unknown) => {
    const lb = listener && first(listener.values.load_balancer_arn, ...LB_TYPES);
    if (!lb) return;
    const label = `${literal(listener.values.protocol) ?? "HTTP"} ${literal(listener.values.port) ?? ""}`.trim();
    for (const tg of referencedAddresses(actions, TARGET_GROUP_TYPES)) {
      for (const asg of asgsOfTargetGroup.get(tg) ?? []) {
        const key = `${lb} ${asg}`;
        traffic.set(key, { lb, asg, labels: (traffic.get(key)?.labels ?? new Set()).add(label) });
      }
    }
  };
  for (const r of listeners.values()) forward(r, r.values.default_action);
  for (const r of ofType(...LISTENER_RULE_TYPES)) forward(listeners.get(first(r.values.listener_arn, ...LISTENER_TYPES) ?? ""), r.values.action);
  for (const t of traffic.values()) edge(t.lb, t.asg, "traffic", [...t.labels].sort().join(", "));

  for (const r of ofType("aws_rds_cluster")) {
    const group = byAddress.get(first(r.values.db_subnet_group_name, "aws_db_subnet_group") ?? "");
    const subnets = referencedAddresses(group?.values.subnet_ids, ["aws_subnet"]);
    const engine = literal(r.values.engine) ?? "aurora";
    const title = engine.startsWith("aurora") ? "Aurora cluster" : "DB cluster";
    add({ kind: "db-cluster", address: r.address, label: `${title} ${displayName(r)}<br/>${engine}`, vpc: vpcOfSubnets(subnets) }, logical(r));
    subnets.forEach((s) => edge(r.address, s, "placement"));
    uses(referencedAddresses(r.values.vpc_security_group_ids, ["aws_security_group"]), title);
  }
  for (const r of ofType("aws_rds_cluster_instance")) {
    const cluster = nodes.get(first(r.values.cluster_identifier, "aws_rds_cluster") ?? "");
    const label = ["DB instance", literal(r.values.instance_class)].filter(Boolean).join("<br/>");
    add({ kind: "db-instance", address: r.address, label, vpc: cluster?.vpc, az: literal(r.values.availability_zone) }, logical(r));
    edge(cluster?.address, r.address, "member");
  }

  for (const r of ofType("aws_security_group")) {
    const users = [...(usedBy.get(r.address) ?? [])].sort();
    const label = [`security group ${displayName(r)}`, users.length ? `used by ${users.join(", ")}` : undefined].filter(Boolean).join("<br/>");
    add({ kind: "security-group", address: r.address, label, vpc: vpcIdOf(first(r.values.vpc_id, "aws_vpc")) }, logical(r));
  }

  // Ingress: one edge per rule, from the source (security group or CIDR) to the group it opens.
  const source = (ref: unknown): string | undefined => {
    const group = first(ref, "aws_security_group");
    if (group) return group;
    const vpc = first(ref, "aws_vpc");
    const text = vpc ? `${vpcs.find((v) => v.address === vpc)?.label ?? "VPC"} CIDR` : literal(ref);
    if (!text) return undefined;
    const address = `cidr:${text}`;
    if (!nodes.has(address)) add({ kind: "cidr", address, label: text }, text);
    return address;
  };
  const ingress = (target: unknown, sources: unknown[], label: string) => {
    const group = first(target, "aws_security_group");
    for (const s of sources) edge(source(s), group, "ingress", label);
  };
  for (const r of ofType("aws_vpc_security_group_ingress_rule")) {
    const v = r.values;
    ingress(v.security_group_id, [v.referenced_security_group_id, v.cidr_ipv4, v.cidr_ipv6].filter((s) => s !== undefined), ports(v.ip_protocol, v.from_port, v.to_port));
  }
  for (const r of ofType("aws_security_group_rule").filter((x) => x.values.type === "ingress")) {
    const v = r.values;
    const sources = [v.source_security_group_id, ...(v.cidr_blocks ?? []), ...(v.ipv6_cidr_blocks ?? [])].filter((s) => s !== undefined);
    ingress(v.security_group_id, v.self === true ? [v.security_group_id, ...sources] : sources, ports(v.protocol, v.from_port, v.to_port));
  }
  for (const r of ofType("aws_security_group")) {
    for (const rule of Array.isArray(r.values.ingress) ? r.values.ingress : []) {
      const groups = referencedAddresses(rule.security_groups, ["aws_security_group"]).map((g) => `\${${g}.id}`);
      const sources = [...groups, ...(rule.cidr_blocks ?? []), ...(rule.ipv6_cidr_blocks ?? [])];
      ingress(`\${${r.address}.id}`, rule.self === true ? [`\${${r.address}.id}`, ...sources] : sources, ports(rule.protocol, rule.from_port, rule.to_port));
    }
  }

  const unique = new Map(edges.map((e) => [`${e.kind} ${e.from} ${e.to} ${e.label ?? ""}`, e]));
  return {
    vpcs,
    nodes: [...nodes.values()].sort(compareNodes),
    edges: [...unique.values()].sort(
      (a, b) => EDGE_ORDER.indexOf(a.kind) - EDGE_ORDER.indexOf(b.kind) || cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.label ?? "", b.label ?? ""),
    ),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNodes(a: DiagramNode, b: DiagramNode): number {
  const tier = (n: DiagramNode) => (n.tier === undefined ? -1 : TIER_ORDER.indexOf(n.tier) === -1 ? TIER_ORDER.length : TIER_ORDER.indexOf(n.tier));
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || tier(a) - tier(b) || cmp(a.id, b.id);
}

const SHAPES: Record<NodeKind, [string, string]> = {
  "internet-gateway": ["((", "))"],
  subnet: ["[", "]"],
  "nat-gateway": ["{{", "}}"],
  "load-balancer": ["([", "])"],
  "auto-scaling-group": ["[[", "]]"],
  "db-cluster": ["[(", ")]"],
  "db-instance": ["[(", ")]"],
  "security-group": ["[/", "/]"],
  cidr: ["((", "))"],
};
const ARROWS: Record<EdgeKind, string> = {
  route: "-->",
  placement: "-.-",
  traffic: "==>",
  member: "---",
  ingress: "-.->",
};

function quote(text: string): string {
  return `"${text.replace(/"/g, "#quot;")}"`;
}

/** Renders the architecture as a Mermaid flowchart: VPC → AZ → subnets, NAT and DB instances. */
export function toMermaid(architecture: Architecture): string {
  const lines = ["flowchart TB"];
  const node = (n: DiagramNode, indent: string) => {
    const [open, close] = SHAPES[n.kind];
    lines.push(`${indent}${n.id}${open}${quote(n.label)}${close}`);
  };
  const placed = new Set<string>();
  for (const vpc of architecture.vpcs) {
    const inVpc = architecture.nodes.filter((n) => n.vpc === vpc.id);
    lines.push(`  subgraph ${vpc.id}[${quote(vpc.label)}]`);
    for (const n of inVpc.filter((x) => x.az === undefined && x.kind !== "security-group")) node(n, "    ");
    const azs = [...new Set(inVpc.map((n) => n.az).filter((az): az is string => az !== undefined))].sort();
    for (const az of azs) {
      lines.push(`    subgraph ${vpc.id}_${az.replace(/[^A-Za-z0-9]+/g, "_")}[${quote(`AZ ${az}`)}]`);
      for (const n of inVpc.filter((x) => x.az === az)) node(n, "      ");
      lines.push("    end");
    }
    const groups = inVpc.filter((n) => n.az === undefined && n.kind === "security-group");
    if (groups.length) {
      lines.push(`    subgraph ${vpc.id}_security_groups[${quote("security groups")}]`);
      groups.forEach((n) => node(n, "      "));
      lines.push("    end");
    }
    lines.push("  end");
    inVpc.forEach((n) => placed.add(n.id));
  }
  for (const n of architecture.nodes.filter((x) => !placed.has(x.id))) node(n, "  ");
  if (architecture.nodes.length === 0 && architecture.vpcs.length === 0) {
    lines.push(`  empty[${quote("no network resources")}]`);
  }
  for (const e of architecture.edges) {
    lines.push(`  ${e.from} ${ARROWS[e.kind]}${e.label ? `|${quote(e.label)}|` : ""} ${e.to}`);
  }
  for (const tier of TIER_ORDER) {
    const ids = architecture.nodes.filter((n) => n.tier === tier).map((n) => n.id);
    if (ids.length) lines.push(`  class ${ids.join(",")} ${tier}`);
  }
  lines.push(
    "  classDef public fill:#e3f2fd,stroke:#1565c0",
    "  classDef private fill:#e8f5e9,stroke:#2e7d32",
    "  classDef isolated fill:#fff3e0,stroke:#ef6c00",
  );
  return lines.join("\n") + "\n";
}

/** The Mermaid diagram of one stack, from its synthesized configuration (Aspects run first). */
export function stackDiagram(stack: TerraformStack): string {
  return toMermaid(describeArchitecture(JSON.parse(Testing.synth(stack))));
}

/** How to read the diagrams; printed above them in the generated document. */
export const DIAGRAM_LEGEND = [
  "How to read it: each AZ is a box inside its VPC; subnets are labelled by tier and CIDR.",
  "`-->` labelled `0.0.0.0/0` is a subnet's default route (to a NAT gateway or the internet gateway);",
  "`-.-` places a resource in a subnet; `==>` is load balancer traffic (listener → target group →",
  "Auto Scaling group); `---` joins an Aurora instance to its cluster; `-.->` is a security-group",
  "ingress rule (source → group, protocol and port).",
].join("\n");

/** A Markdown document with one diagram per stack, in the order given. */
export function architectureDocument(stacks: readonly TerraformStack[], header: string): string {
  const sections = stacks.map((stack) => `## \`${stack.node.id}\` stack\n\n\`\`\`mermaid\n${stackDiagram(stack)}\`\`\`\n`);
  return [`# Architecture\n\n${header}\n\n${DIAGRAM_LEGEND}\n`, ...sections].join("\n");
}
