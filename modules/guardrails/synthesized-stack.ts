/**
 * The synthesized JSON of one stack (`stack.toTerraform()` or `cdk.tf.json`), indexed so rules and
 * the AZ-loss report can follow references between resources.
 *
 * Why the JSON and not the construct objects: attributes of provider objects are tokens, so "which
 * AZ is this NAT gateway in" would need token-to-construct resolution for every attribute. In the
 * synthesized JSON every reference is the literal text `${aws_subnet.<name>.id}`, which points at
 * exactly one entry of the same document — and the document is what Terraform will apply,
 * escape-hatch overrides included.
 */

import { referencedAddresses } from "../../lib/references";

/** One synthesized resource. */
export interface SynthResource {
  /** Terraform type, e.g. `aws_subnet`. */
  readonly type: string;
  /** Logical name in the JSON. */
  readonly name: string;
  /** `type.name`, the Terraform address. */
  readonly address: string;
  /** Construct path (`stack/Module/Child`) when the resource came from a construct. */
  readonly path?: string;
  /** Attributes, without cdktf's `//` metadata. */
  readonly values: Record<string, any>;
}

/** How a subnet reaches the internet, from its route table's default route. */
export type SubnetRole = "public" | "private" | "isolated";

/** A subnet's or route table's IPv4 default route. */
export interface DefaultRoute {
  /** `internet`: an internet gateway; `nat`: a NAT gateway; `other`: TGW, peering, instance, … */
  readonly kind: "internet" | "nat" | "other";
  /** The `aws_route`, or the route table whose inline `route` block holds it. */
  readonly route: SynthResource;
  /** The target (NAT or internet gateway) when it is a resource of this stack. */
  readonly target?: SynthResource;
  /** The target as written, for messages. */
  readonly targetText: string;
}

/** The AZs a list of subnets spans, and the entries whose AZ the stack cannot tell. */
export interface SubnetSpread {
  readonly subnets: readonly SynthResource[];
  /** Distinct AZs, sorted. */
  readonly azs: readonly string[];
  /** Subnets or ids whose AZ is unknown here (not a resource of this stack, or AZ not pinned). */
  readonly unknown: readonly string[];
}

export const ANY_IPV4 = "0.0.0.0/0";
export const ANY_IPV6 = "::/0";

/** `aws_type.name` inside a `${...}` expression; names may contain `-` (e.g. `Net_us-east-1a_Subnet`). */
const SINGLE_REFERENCE = /^\$\{(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.[a-z0-9_]+\}$/;

export class SynthesizedStack {
  /** Stack name from cdktf's metadata block. */
  public readonly name: string;
  /**
   * The HaStack's intent (`production` or `development`) from cdktf's metadata block; undefined
   * for a stack that is not an HaStack.
   */
  public readonly intent?: string;
  private readonly byAddress = new Map<string, SynthResource>();
  private readonly byType = new Map<string, SynthResource[]>();
  private readonly routeTableCache = new Map<SynthResource, SynthResource | undefined>();
  private readonly defaultRouteCache = new Map<SynthResource, DefaultRoute | undefined>();

  constructor(public readonly json: Record<string, any>) {
    this.name = json["//"]?.metadata?.stackName ?? "stack";
    this.intent = json["//"]?.metadata?.intent;
    for (const [type, entries] of Object.entries<Record<string, any>>(json.resource ?? {})) {
      const list: SynthResource[] = [];
      for (const [name, raw] of Object.entries<Record<string, any>>(entries)) {
        const { "//": meta, ...values } = raw;
        const resource = { type, name, address: `${type}.${name}`, path: meta?.metadata?.path, values };
        list.push(resource);
        this.byAddress.set(resource.address, resource);
      }
      this.byType.set(type, list);
    }
  }

  /** Resources of one type, or every resource. */
  public resources(type?: string): readonly SynthResource[] {
    if (type !== undefined) return this.byType.get(type) ?? [];
    return [...this.byType.values()].flat();
  }

  public resource(address: string): SynthResource | undefined {
    return this.byAddress.get(address);
  }

  /**
   * Everything else that can hold a literal: provider and backend blocks, data sources, variables,
   * locals and outputs, as pseudo-resources (type `provider.aws`, `data.aws_x`, `variable`, …).
   */
  public otherBlocks(): SynthResource[] {
    const json = this.json;
    const list: SynthResource[] = [];
    const add = (type: string, name: string, raw: unknown) => {
      const { "//": meta, ...values } = (raw ?? {}) as Record<string, any>;
      list.push({ type, name, address: name ? `${type}.${name}` : type, path: meta?.metadata?.path, values });
    };
    for (const [provider, configs] of Object.entries<any>(json.provider ?? {})) {
      blocks(configs).forEach((config, i) => add(`provider.${provider}`, config.alias ?? String(i), config));
    }
    for (const [type, entries] of Object.entries<Record<string, any>>(json.data ?? {})) {
      for (const [name, raw] of Object.entries(entries)) add(`data.${type}`, name, raw);
    }
    for (const kind of ["variable", "output"]) {
      for (const [name, raw] of Object.entries<any>(json[kind] ?? {})) add(kind, name, raw);
    }
    if (json.locals) add("locals", "", json.locals);
    if (json.terraform) add("terraform", "", json.terraform);
    return list;
  }

  /** The resource a value refers to when the value is exactly one `${aws_x.y.attr}` reference. */
  public ref(value: unknown): SynthResource | undefined {
    if (typeof value !== "string") return undefined;
    const match = SINGLE_REFERENCE.exec(value);
    return match ? this.byAddress.get(`${match[1]}.${match[2]}`) : undefined;
  }

  /** Every resource (optionally of one type) referred to anywhere inside a value, deduplicated. */
  public refs(value: unknown, type?: string): SynthResource[] {
    return referencedAddresses(value, type === undefined ? undefined : [type])
      .map((address) => this.byAddress.get(address))
      .filter((resource): resource is SynthResource => resource !== undefined);
  }

  /** True when the value refers to the target resource. */
  public refersTo(value: unknown, target: SynthResource): boolean {
    return this.refs(value, target.type).includes(target);
  }

  /** Resources of `type` whose `attribute` refers to `target`. */
  public referrers(type: string, attribute: string, target: SynthResource): SynthResource[] {
    return this.resources(type).filter((r) => this.refersTo(r.values[attribute], target));
  }

  /** A resource for messages: its construct path, else its Terraform address. */
  public static label(resource: SynthResource): string {
    return resource.path ?? resource.address;
  }

  /** The AZ name (or AZ id) a subnet is pinned to; undefined when AWS picks it. */
  public azOf(subnet: SynthResource): string | undefined {
    const az = subnet.values.availability_zone ?? subnet.values.availability_zone_id;
    return literal(az);
  }

  /** The AZs spanned by a list of subnet ids (references or literal ids). */
  public subnetSpread(subnetIds: unknown): SubnetSpread {
    const subnets = this.refs(subnetIds, "aws_subnet");
    const unknown: string[] = [];
    const azs = new Set<string>();
    for (const subnet of subnets) {
      const az = this.azOf(subnet);
      if (az) azs.add(az);
      else unknown.push(`${SynthesizedStack.label(subnet)} (no availability_zone)`);
    }
    for (const text of strings(subnetIds)) {
      if (this.refs(text, "aws_subnet").length === 0) unknown.push(text);
    }
    return { subnets, azs: [...azs].sort(), unknown };
  }

  /** The AZ of a NAT gateway: the AZ of the subnet it sits in. */
  public natAz(nat: SynthResource): string | undefined {
    const subnet = this.ref(nat.values.subnet_id);
    return subnet ? this.azOf(subnet) : undefined;
  }

  /** The route table a subnet uses: its explicit association, else its VPC's main route table. */
  public routeTableOf(subnet: SynthResource): SynthResource | undefined {
    if (this.routeTableCache.has(subnet)) return this.routeTableCache.get(subnet);
    const association = this.referrers("aws_route_table_association", "subnet_id", subnet)[0];
    let table: SynthResource | undefined;
    if (association) {
      table = this.ref(association.values.route_table_id);
    } else {
      const vpc = this.ref(subnet.values.vpc_id);
      table = vpc ? this.mainRouteTable(vpc) : undefined;
    }
    this.routeTableCache.set(subnet, table);
    return table;
  }

  /** Subnets whose traffic a route table routes (explicitly associated, or by being the main table). */
  public subnetsServedBy(table: SynthResource): SynthResource[] {
    return this.resources("aws_subnet").filter((subnet) => this.routeTableOf(subnet) === table);
  }

  /** The IPv4 default route of a route table, from `aws_route` resources or inline `route` blocks. */
  public defaultRoute(table: SynthResource): DefaultRoute | undefined {
    if (this.defaultRouteCache.has(table)) return this.defaultRouteCache.get(table);
    const candidates: Array<{ route: SynthResource; values: Record<string, any> }> = [
      ...this.referrers("aws_route", "route_table_id", table)
        .filter((r) => r.values.destination_cidr_block === ANY_IPV4)
        .map((route) => ({ route, values: route.values })),
      ...blocks(table.values.route)
        .filter((b) => b.cidr_block === ANY_IPV4)
        .map((values) => ({ route: table, values })),
    ];
    const found = candidates[0] ? this.describeRoute(candidates[0].route, candidates[0].values) : undefined;
    this.defaultRouteCache.set(table, found);
    return found;
  }

  /** The default route a subnet's traffic takes, if any. */
  public defaultRouteOf(subnet: SynthResource): DefaultRoute | undefined {
    const table = this.routeTableOf(subnet);
    return table ? this.defaultRoute(table) : undefined;
  }

  /** public: default route to an internet gateway; private: to a NAT or other egress; isolated: none. */
  public roleOf(subnet: SynthResource): SubnetRole {
    const route = this.defaultRouteOf(subnet);
    if (!route) return "isolated";
    return route.kind === "internet" ? "public" : "private";
  }

  private mainRouteTable(vpc: SynthResource): SynthResource | undefined {
    const main = this.referrers("aws_main_route_table_association", "vpc_id", vpc)[0];
    if (main) return this.ref(main.values.route_table_id);
    return this.referrers("aws_default_route_table", "default_route_table_id", vpc)[0];
  }

  private describeRoute(route: SynthResource, values: Record<string, any>): DefaultRoute {
    if (values.nat_gateway_id) {
      const target = this.ref(values.nat_gateway_id);
      return { kind: "nat", route, target, targetText: target ? SynthesizedStack.label(target) : String(values.nat_gateway_id) };
    }
    const gateway = values.gateway_id ? this.ref(values.gateway_id) : undefined;
    if (gateway?.type === "aws_internet_gateway" || (typeof values.gateway_id === "string" && values.gateway_id.startsWith("igw-"))) {
      return { kind: "internet", route, target: gateway, targetText: gateway ? SynthesizedStack.label(gateway) : values.gateway_id };
    }
    const other = Object.entries(values).find(([k, v]) => k.endsWith("_id") && k !== "route_table_id" && v);
    return { kind: "other", route, targetText: other ? `${other[0]} ${String(other[1])}` : "unknown target" };
  }
}

/** A nested block as cdktf writes it (object for single blocks, array for lists) as a list. */
export function blocks(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is Record<string, any> => v !== null && typeof v === "object");
}

/** True for `true` and the string `"true"` (some provider attributes are strings). */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

/** The value when it is a plain literal string; undefined for tokens (`${...}`) and non-strings. */
export function literal(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" && !value.includes("${") ? value : undefined;
}

/** Every string inside a value (strings, arrays, objects), depth first. */
export function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

/** Whether `value` holds a string anywhere: `strings(value).length > 0`, without collecting them. */
export function holdsString(value: unknown): boolean {
  if (typeof value === "string") return true;
  if (Array.isArray(value)) return value.some(holdsString);
  if (value !== null && typeof value === "object") return Object.values(value).some(holdsString);
  return false;
}
