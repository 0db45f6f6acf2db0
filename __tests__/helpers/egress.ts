import { Template } from "./template";

/** Follows `${type.name.attr}` to the resource's address. */
function target(ref: unknown): string | undefined {
  const m = /^\$\{([a-z0-9_]+\.[^.}]+)\.[a-z_]+\}$/.exec(String(ref));
  return m?.[1];
}

/**
 * For each AZ's private subnet: the AZ of the NAT gateway its default route goes through,
 * followed through the synthesized JSON (association → route table → route → NAT → subnet),
 * i.e. exactly what Terraform will build. Undefined: no internet route.
 */
export function privateEgressByAz(t: Template): Record<string, string | undefined> {
  const byAddress = new Map(t.allResources().map((r) => [r.address, r]));
  const subnetAz = (address: string | undefined) => (address ? byAddress.get(address)?.values.availability_zone : undefined);
  const result: Record<string, string | undefined> = {};
  for (const subnet of t.resources("aws_subnet").filter((s) => s.values.tags?.tier === "private")) {
    const assoc = t.resources("aws_route_table_association").find((a) => target(a.values.subnet_id) === subnet.address);
    const routeTable = target(assoc?.values.route_table_id);
    const route = t
      .resources("aws_route")
      .find((r) => target(r.values.route_table_id) === routeTable && r.values.destination_cidr_block === "0.0.0.0/0");
    const nat = byAddress.get(target(route?.values.nat_gateway_id) ?? "");
    result[subnet.values.availability_zone] = subnetAz(target(nat?.values.subnet_id));
  }
  return result;
}

/** AZs whose private subnets still reach the internet when `lostAz` is down. */
export function azsWithEgressAfterLosing(t: Template, lostAz: string): string[] {
  return Object.entries(privateEgressByAz(t))
    .filter(([az, natAz]) => az !== lostAz && natAz !== undefined && natAz !== lostAz)
    .map(([az]) => az);
}
