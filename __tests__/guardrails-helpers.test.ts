/**
 * The helpers rules and the AZ-loss report share to read a synthesized stack: each reading a rule
 * relies on, on plain synthesized JSON (the forms cdktf and escape hatches write).
 */
import {
  asList,
  autoScalingAzs,
  coversPort,
  databaseSecurityGroups,
  endpointService,
  gatewayEndpointRouteTables,
  gatewayEndpoints,
  ingressPermissions,
  isApplicationLoadBalancer,
  listText,
  loadBalancerSubnetIds,
  numberValue,
  privateDnsInterfaceEndpoints,
  workloadSubnets,
} from "../modules/guardrails/rule-helpers";
import { blocks, holdsString, literal, strings, SynthesizedStack, SynthResource } from "../modules/guardrails/synthesized-stack";

/** A stack of `resources` given as `{ "aws_type.name": values }`. */
function stackOf(resources: Record<string, Record<string, unknown>>): SynthesizedStack {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [address, values] of Object.entries(resources)) {
    const [type, name] = address.split(".");
    (resource[type] ??= {})[name] = values;
  }
  return new SynthesizedStack({ resource });
}
const one = (stack: SynthesizedStack, address: string): SynthResource => stack.resource(address)!;
const names = (resources: readonly SynthResource[]) => resources.map((r) => r.address);

describe("numbers and lists as Terraform writes them", () => {
  test("GIVEN numbers and numeric strings THEN numberValue reads them; expressions and mixed text are no number", () => {
    expect([2, "2", "-1", "0"].map(numberValue)).toEqual([2, 2, -1, 0]);
    expect(["${var.n}0", "2${var.n}", "2 instances", "two", "", undefined, null].map(numberValue)).toEqual(Array(7).fill(undefined));
  });

  test("GIVEN one, two and three items THEN listText joins them as a sentence does", () => {
    expect([[], ["a"], ["a", "b"], ["a", "b", "c"]].map(listText)).toEqual(["", "a", "a and b", "a, b and c"]);
  });

  test("GIVEN a list, one expression, undefined or null THEN asList gives a list (empty for nothing)", () => {
    expect([["a"], "${var.x}", undefined, null].map(asList)).toEqual([["a"], ["${var.x}"], [], []]);
  });
});

describe("ingress permissions, whichever way they are declared", () => {
  const SG = { vpc_id: "vpc-1" };
  test("GIVEN protocols written as numbers, names in any case and -1/all THEN they read as tcp, udp and all; icmp stays icmp", () => {
    const stack = stackOf({
      "aws_security_group.sg": {
        ...SG,
        ingress: [
          { protocol: "6", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] },
          { protocol: "TCP", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] },
          { protocol: "17", from_port: 53, to_port: 53, cidr_blocks: ["0.0.0.0/0"] },
          { protocol: "udp", from_port: 53, to_port: 53, cidr_blocks: ["0.0.0.0/0"] },
          { protocol: "-1", from_port: 0, to_port: 0, cidr_blocks: ["10.0.0.0/8"] },
          { protocol: "all", from_port: 0, to_port: 0, cidr_blocks: ["10.0.0.0/8"] },
          { protocol: "icmp", from_port: -1, to_port: -1, cidr_blocks: ["0.0.0.0/0"] },
          { from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] },
        ],
      },
    });
    // A block without a protocol (Terraform requires one) reads as no protocol, never as "undefined".
    expect(ingressPermissions(one(stack, "aws_security_group.sg"), stack).map((p) => p.protocol)).toEqual(["tcp", "tcp", "udp", "udp", "all", "all", "icmp", ""]);
  });

  test("GIVEN an egress aws_security_group_rule THEN it is no ingress permission; an ingress one is", () => {
    const stack = stackOf({
      "aws_security_group.sg": SG,
      "aws_security_group_rule.out": { type: "egress", security_group_id: "${aws_security_group.sg.id}", protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] },
      "aws_security_group_rule.in": { type: "ingress", security_group_id: "${aws_security_group.sg.id}", protocol: "tcp", from_port: 22, to_port: 22, cidr_blocks: ["0.0.0.0/0"] },
    });
    expect(ingressPermissions(one(stack, "aws_security_group_rule.out"), stack)).toEqual([]);
    expect(ingressPermissions(one(stack, "aws_security_group_rule.in"), stack).map((p) => [p.securityGroup?.address, p.networkSources])).toEqual([
      ["aws_security_group.sg", ["0.0.0.0/0"]],
    ]);
  });

  test("GIVEN an inline ingress block with and without a description THEN the description is read as written", () => {
    const stack = stackOf({
      "aws_security_group.sg": { ...SG, ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, description: "HTTPS from the ALB" }, { protocol: "tcp", from_port: 80, to_port: 80, description: null }] },
    });
    expect(ingressPermissions(one(stack, "aws_security_group.sg"), stack).map((p) => p.description)).toEqual(["HTTPS from the ALB", undefined]);
  });

  test("GIVEN icmp, all protocols, a port range and ports from expressions THEN coversPort says which may admit port 22", () => {
    const permission = (protocol: string, fromPort?: number, toPort?: number) => ({ declaredIn: {} as SynthResource, protocol, fromPort, toPort, networkSources: [] });
    expect(coversPort(permission("icmp", -1, -1), 22)).toBe(false);
    expect(coversPort(permission("icmp"), 22)).toBe(false); // ICMP has no ports, even unbounded
    expect(coversPort(permission("58"), 22)).toBe(false); // ICMPv6 by number
    expect(coversPort(permission("all"), 22)).toBe(true);
    expect(coversPort(permission("udp", 20, 22), 22)).toBe(true);
    expect(coversPort(permission("tcp", 23, 80), 22)).toBe(false);
    expect(coversPort(permission("tcp", 1, 21), 22)).toBe(false);
    // A port from an expression cannot be bounded at synth: it may be 22.
    expect(coversPort(permission("tcp", undefined, 22), 22)).toBe(true);
    expect(coversPort(permission("tcp", 22, undefined), 22)).toBe(true);
  });

  test("GIVEN a cluster and a DB instance THEN both attach their security groups as database groups", () => {
    const stack = stackOf({
      "aws_security_group.cluster": SG,
      "aws_security_group.instance": SG,
      "aws_security_group.app": SG,
      "aws_rds_cluster.c": { vpc_security_group_ids: ["${aws_security_group.cluster.id}"] },
      "aws_db_instance.i": { vpc_security_group_ids: ["${aws_security_group.instance.id}"] },
    });
    expect([...databaseSecurityGroups(stack)].map(([sg, db]) => [sg.address, db.address])).toEqual([
      ["aws_security_group.cluster", "aws_rds_cluster.c"],
      ["aws_security_group.instance", "aws_db_instance.i"],
    ]);
  });
});

describe("where load balancers and Auto Scaling groups run", () => {
  test("GIVEN load_balancer_type unset, null or application THEN it is an application load balancer; network and gateway are not", () => {
    const stack = stackOf({
      "aws_lb.unset": {},
      "aws_lb.null": { load_balancer_type: null },
      "aws_lb.app": { load_balancer_type: "application" },
      "aws_lb.net": { load_balancer_type: "network" },
      "aws_lb.gw": { load_balancer_type: "gateway" },
    });
    expect(stack.resources("aws_lb").map((lb) => [lb.name, isApplicationLoadBalancer(lb)])).toEqual([
      ["unset", true],
      ["null", true],
      ["app", true],
      ["net", false],
      ["gw", false],
    ]);
  });

  test("GIVEN a load balancer with subnets and subnet_mapping blocks THEN all of its subnets are listed", () => {
    const stack = stackOf({ "aws_lb.lb": { subnets: ["subnet-a"], subnet_mapping: [{ subnet_id: "subnet-b" }, { subnet_id: "subnet-c", allocation_id: "eipalloc-1" }] } });
    expect(loadBalancerSubnetIds(one(stack, "aws_lb.lb"))).toEqual(["subnet-a", "subnet-b", "subnet-c"]);
  });

  test("GIVEN an ASG with availability_zones and no subnets THEN its AZs are those, sorted, and expressions are unknown", () => {
    const stack = stackOf({
      "aws_autoscaling_group.named": { vpc_zone_identifier: [], availability_zones: ["us-east-1b", "us-east-1a", "us-east-1b"] },
      "aws_autoscaling_group.expr": { availability_zones: ["us-east-1a", "${var.second_az}"] },
      "aws_autoscaling_group.none": {},
    });
    expect(autoScalingAzs(one(stack, "aws_autoscaling_group.named"), stack)).toEqual({ azs: ["us-east-1a", "us-east-1b"], unknown: [] });
    // toStrictEqual: an undefined left in the list (the expression's AZ) must fail, and toEqual would let it pass.
    expect(autoScalingAzs(one(stack, "aws_autoscaling_group.expr"), stack)).toStrictEqual({ azs: ["us-east-1a"], unknown: ["${var.second_az}"] });
    expect(autoScalingAzs(one(stack, "aws_autoscaling_group.none"), stack)).toEqual({ azs: [], unknown: [] });
  });

  test("GIVEN an ASG whose subnets are one expression THEN the subnets decide, not availability_zones", () => {
    const stack = stackOf({
      "aws_subnet.a": { availability_zone: "us-east-1a" },
      "aws_autoscaling_group.g": { vpc_zone_identifier: "${aws_subnet.a.id}", availability_zones: ["us-east-1b", "us-east-1c"] },
    });
    expect(autoScalingAzs(one(stack, "aws_autoscaling_group.g"), stack)).toEqual({ azs: ["us-east-1a"], unknown: [] });
  });
});

describe("VPC endpoints", () => {
  const stack = stackOf({
    "aws_vpc_endpoint.secrets": { vpc_endpoint_type: "Interface", private_dns_enabled: true, service_name: "com.amazonaws.us-east-1.secretsmanager" },
    "aws_vpc_endpoint.logs": { vpc_endpoint_type: "Interface", private_dns_enabled: "true", service_name: "com.amazonaws.us-east-1.logs" },
    "aws_vpc_endpoint.nodns": { vpc_endpoint_type: "Interface", private_dns_enabled: false, service_name: "com.amazonaws.us-east-1.sts" },
    "aws_vpc_endpoint.s3": { vpc_endpoint_type: "Gateway", service_name: "com.amazonaws.us-east-1.s3", route_table_ids: ["${aws_route_table.a.id}"] },
    "aws_vpc_endpoint.lb": { vpc_endpoint_type: "GatewayLoadBalancer", private_dns_enabled: true, service_name: "com.amazonaws.vpce.us-east-1.vpce-svc-0123" },
    "aws_route_table.a": {},
    "aws_route_table.b": {},
    "aws_vpc_endpoint_route_table_association.b": { vpc_endpoint_id: "${aws_vpc_endpoint.s3.id}", route_table_id: "${aws_route_table.b.id}" },
    "aws_vpc_endpoint_route_table_association.again": { vpc_endpoint_id: "${aws_vpc_endpoint.s3.id}", route_table_id: "${aws_route_table.a.id}" },
    "aws_vpc_endpoint_route_table_association.elsewhere": { vpc_endpoint_id: "${aws_vpc_endpoint.s3.id}", route_table_id: "rtb-0123" },
  });

  test("GIVEN interface endpoints with private DNS on (true or \"true\") and off, a gateway and a GWLB endpoint THEN each list holds the right ones", () => {
    expect(names(privateDnsInterfaceEndpoints(stack))).toEqual(["aws_vpc_endpoint.secrets", "aws_vpc_endpoint.logs"]);
    expect(names(gatewayEndpoints(stack))).toEqual(["aws_vpc_endpoint.s3"]);
  });

  test("GIVEN a gateway endpoint with route_table_ids and associations THEN its route tables are listed once each, this stack's only", () => {
    expect(names(gatewayEndpointRouteTables(one(stack, "aws_vpc_endpoint.s3"), stack))).toEqual(["aws_route_table.a", "aws_route_table.b"]);
  });

  test.each([
    ["com.amazonaws.us-east-1.secretsmanager", "secretsmanager"],
    ["com.amazonaws.us-east-1.ecr.dkr", "ecr.dkr"],
    ["cn.com.amazonaws.cn-north-1.ec2", "ec2"],
    ["aws.sagemaker.us-east-1.notebook", "aws.sagemaker.us-east-1.notebook"],
    ["com.amazonaws.us-gov-west-1.s3", "s3"],
    ["com.amazonaws.ap-southeast-10.ssm", "ssm"],
    ["com.amazonaws.vpce.us-east-1.vpce-svc-0123", "com.amazonaws.vpce.us-east-1.vpce-svc-0123"],
    ["xcom.amazonaws.us-east-1.s3", "xcom.amazonaws.us-east-1.s3"],
  ])("GIVEN service_name %s THEN the service reads %s", (serviceName, service) => {
    expect(endpointService(stackOf({ "aws_vpc_endpoint.e": { service_name: serviceName } }).resource("aws_vpc_endpoint.e")!)).toBe(service);
  });

  test("GIVEN an endpoint without a service_name THEN it reads as an unknown service", () => {
    expect(endpointService(one(stackOf({ "aws_vpc_endpoint.e": {} }), "aws_vpc_endpoint.e"))).toBe("unknown service");
  });
});

describe("workload subnets (where the stack calls AWS APIs from)", () => {
  test("GIVEN an ASG's subnets and private subnets routed through a NAT THEN both count, public and isolated ones do not", () => {
    const stack = stackOf({
      "aws_vpc.v": {},
      "aws_subnet.asg": { vpc_id: "${aws_vpc.v.id}", availability_zone: "us-east-1a" },
      "aws_subnet.private": { vpc_id: "${aws_vpc.v.id}", availability_zone: "us-east-1b" },
      "aws_subnet.public": { vpc_id: "${aws_vpc.v.id}", availability_zone: "us-east-1a" },
      "aws_subnet.isolated": { vpc_id: "${aws_vpc.v.id}", availability_zone: "us-east-1a" },
      "aws_nat_gateway.n": { subnet_id: "${aws_subnet.public.id}" },
      "aws_internet_gateway.igw": { vpc_id: "${aws_vpc.v.id}" },
      "aws_route_table.nat": { route: [{ cidr_block: "0.0.0.0/0", nat_gateway_id: "${aws_nat_gateway.n.id}" }] },
      "aws_route_table.igw": { route: [{ cidr_block: "0.0.0.0/0", gateway_id: "${aws_internet_gateway.igw.id}" }] },
      "aws_route_table.none": {},
      "aws_route_table_association.private": { subnet_id: "${aws_subnet.private.id}", route_table_id: "${aws_route_table.nat.id}" },
      "aws_route_table_association.public": { subnet_id: "${aws_subnet.public.id}", route_table_id: "${aws_route_table.igw.id}" },
      "aws_route_table_association.asg": { subnet_id: "${aws_subnet.asg.id}", route_table_id: "${aws_route_table.none.id}" },
      "aws_route_table_association.isolated": { subnet_id: "${aws_subnet.isolated.id}", route_table_id: "${aws_route_table.none.id}" },
      "aws_autoscaling_group.g": { vpc_zone_identifier: ["${aws_subnet.asg.id}"] },
    });
    expect(names(workloadSubnets(stack))).toEqual(["aws_subnet.asg", "aws_subnet.private"]);
  });
});

describe("the synthesized stack's index", () => {
  test("GIVEN cdktf's metadata block THEN the stack's name and intent are read; without it the name is 'stack'", () => {
    const named = new SynthesizedStack({ "//": { metadata: { stackName: "lab", intent: "production" } }, resource: {} });
    expect([named.name, named.intent]).toEqual(["lab", "production"]);
    expect([new SynthesizedStack({}).name, new SynthesizedStack({}).intent]).toEqual(["stack", undefined]);
    expect(new SynthesizedStack({ "//": {} }).name).toBe("stack");
  });

  test("GIVEN providers, data sources, variables, outputs, locals and the terraform block THEN otherBlocks names each", () => {
    const stack = new SynthesizedStack({
      provider: { aws: [{ region: "us-east-1" }, { alias: "west", region: "us-west-2" }] },
      data: { aws_ssm_parameter: { ami: { name: "/x", "//": { metadata: { path: "s/Ami" } } } } },
      variable: { db_name: { type: "string" } },
      output: { url: { value: "x" } },
      locals: { a: 1 },
      terraform: { backend: { local: {} } },
    });
    expect(stack.otherBlocks().map((b) => [b.type, b.name, b.address, b.path])).toEqual([
      ["provider.aws", "0", "provider.aws.0", undefined],
      ["provider.aws", "west", "provider.aws.west", undefined],
      ["data.aws_ssm_parameter", "ami", "data.aws_ssm_parameter.ami", "s/Ami"],
      ["variable", "db_name", "variable.db_name", undefined],
      ["output", "url", "output.url", undefined],
      ["locals", "", "locals", undefined],
      ["terraform", "", "terraform", undefined],
    ]);
  });

  test("GIVEN values that are one reference, a reference inside text, or an indexed reference THEN ref follows only a whole one", () => {
    const stack = stackOf({ "aws_subnet.a": { "//": { metadata: { path: "s/Net/A" } } }, "aws_nat_gateway.n": {} } as never);
    expect(stack.ref("${aws_subnet.a.id}")?.address).toBe("aws_subnet.a");
    expect(stack.ref("${aws_nat_gateway.n[0].id}")?.address).toBe("aws_nat_gateway.n");
    expect(stack.ref('${aws_nat_gateway.n["k"].id}')?.address).toBe("aws_nat_gateway.n");
    expect(stack.ref("x-${aws_subnet.a.id}")).toBeUndefined();
    expect(stack.ref("${aws_subnet.a.id}-x")).toBeUndefined();
    expect(stack.ref("${aws_subnet.a.id}${aws_nat_gateway.n.id}")).toBeUndefined();
    expect(stack.resource("aws_subnet.a")?.path).toBe("s/Net/A");
  });

  test("GIVEN a subnet with no AZ THEN its spread names it as unknown, with why", () => {
    const stack = stackOf({ "aws_subnet.a": { availability_zone: "us-east-1a" }, "aws_subnet.b": {} });
    expect(stack.subnetSpread(["${aws_subnet.a.id}", "${aws_subnet.b.id}", "subnet-0123"])).toMatchObject({
      azs: ["us-east-1a"],
      unknown: ["aws_subnet.b (no availability_zone)", "subnet-0123"],
    });
  });

  test("GIVEN subnets listed against the AZ order THEN the spread names the AZs sorted, whatever order the ids come in", () => {
    const stack = stackOf({
      "aws_subnet.c": { availability_zone: "eu-west-1c" },
      "aws_subnet.a": { availability_zone: "eu-west-1a" },
      "aws_subnet.b": { availability_zone: "eu-west-1b" },
    });
    expect(stack.subnetSpread(["${aws_subnet.c.id}", "${aws_subnet.a.id}", "${aws_subnet.b.id}"]).azs).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
  });

  test("GIVEN a reference to a resource the stack does not hold (an escape hatch's typo) THEN refs skips it instead of returning a hole", () => {
    const stack = stackOf({ "aws_subnet.a": { availability_zone: "us-east-1a" } });
    expect(names(stack.refs(["${aws_subnet.a.id}", "${aws_subnet.typo.id}"], "aws_subnet"))).toEqual(["aws_subnet.a"]);
    expect(stack.subnetSpread(["${aws_subnet.typo.id}", "${aws_subnet.a.id}"]).azs).toEqual(["us-east-1a"]);
  });

  test("GIVEN aws_route resources to other destinations before the default route THEN the default route is the 0.0.0.0/0 one", () => {
    const stack = stackOf({
      "aws_subnet.a": {},
      "aws_route_table.t": {},
      "aws_route_table_association.a": { subnet_id: "${aws_subnet.a.id}", route_table_id: "${aws_route_table.t.id}" },
      "aws_route.peer": { route_table_id: "${aws_route_table.t.id}", destination_cidr_block: "10.1.0.0/16", vpc_peering_connection_id: "pcx-1" },
      "aws_nat_gateway.n": {},
      "aws_route.default": { route_table_id: "${aws_route_table.t.id}", destination_cidr_block: "0.0.0.0/0", nat_gateway_id: "${aws_nat_gateway.n.id}" },
    });
    const route = stack.defaultRouteOf(one(stack, "aws_subnet.a"))!;
    expect([route.kind, route.route.address]).toEqual(["nat", "aws_route.default"]);
    const onlyPeer = stackOf({
      "aws_route_table.t": {},
      "aws_route.peer": { route_table_id: "${aws_route_table.t.id}", destination_cidr_block: "10.1.0.0/16", vpc_peering_connection_id: "pcx-1" },
    });
    expect(onlyPeer.defaultRoute(one(onlyPeer, "aws_route_table.t"))).toBeUndefined();
  });

  test("GIVEN subnets on their VPC's main route table (association or default table) THEN their default route is that table's", () => {
    const stack = stackOf({
      "aws_vpc.v": {},
      "aws_vpc.w": {},
      "aws_subnet.a": { vpc_id: "${aws_vpc.v.id}" },
      "aws_subnet.b": { vpc_id: "${aws_vpc.w.id}" },
      "aws_route_table.main": { route: [{ cidr_block: "10.0.0.0/8", gateway_id: "igw-1" }, { cidr_block: "0.0.0.0/0", gateway_id: "igw-0123" }] },
      "aws_main_route_table_association.m": { vpc_id: "${aws_vpc.v.id}", route_table_id: "${aws_route_table.main.id}" },
      "aws_default_route_table.d": { default_route_table_id: "${aws_vpc.w.default_route_table_id}", route: [{ cidr_block: "0.0.0.0/0", transit_gateway_id: "tgw-1" }] },
    });
    const a = stack.defaultRouteOf(one(stack, "aws_subnet.a"))!;
    expect([a.kind, a.route.address, a.targetText]).toEqual(["internet", "aws_route_table.main", "igw-0123"]);
    const b = stack.defaultRouteOf(one(stack, "aws_subnet.b"))!;
    expect([b.kind, b.targetText]).toEqual(["other", "transit_gateway_id tgw-1"]);
    expect([stack.roleOf(one(stack, "aws_subnet.a")), stack.roleOf(one(stack, "aws_subnet.b"))]).toEqual(["public", "private"]);
  });

  test("GIVEN a default route to a virtual private gateway (gateway_id vgw-…) THEN it is no internet route and the subnet is private", () => {
    const stack = stackOf({
      "aws_subnet.a": {},
      "aws_route_table.t": { route: [{ cidr_block: "0.0.0.0/0", gateway_id: "vgw-0123" }] },
      "aws_route_table_association.a": { subnet_id: "${aws_subnet.a.id}", route_table_id: "${aws_route_table.t.id}" },
    });
    const route = stack.defaultRouteOf(one(stack, "aws_subnet.a"))!;
    expect([route.kind, route.targetText]).toEqual(["other", "gateway_id vgw-0123"]);
    expect(stack.roleOf(one(stack, "aws_subnet.a"))).toBe("private");
  });

  test("GIVEN a '//' block without metadata (hand-written or another tool's JSON) THEN resources and other blocks have no path", () => {
    const stack = new SynthesizedStack({
      resource: { aws_vpc: { v: { "//": { comment: "x" }, cidr_block: "10.0.0.0/16" } } },
      output: { url: { "//": {}, value: "x" } },
    });
    expect(stack.resource("aws_vpc.v")).toMatchObject({ path: undefined, values: { cidr_block: "10.0.0.0/16" } });
    expect(stack.otherBlocks().map((b) => [b.address, b.path])).toEqual([["output.url", undefined]]);
  });

  test("GIVEN a default route with no target this stack can name THEN it reads 'unknown target'", () => {
    const stack = stackOf({ "aws_route_table.t": { route: [{ cidr_block: "0.0.0.0/0", route_table_id: "rtb-1", carrier_gateway_id: "" }] } });
    expect(stack.defaultRoute(one(stack, "aws_route_table.t"))?.targetText).toBe("unknown target");
  });
});

describe("reading values as cdktf writes them", () => {
  test("GIVEN a nested block as one object, a list, nothing, or a list with non-objects THEN blocks gives only the objects", () => {
    expect(blocks({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blocks([{ a: 1 }, null, "x", 3, undefined, { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
    expect([blocks(undefined), blocks(null), blocks("x"), blocks([])]).toEqual([[], [], [], []]);
  });

  test("GIVEN plain strings, empty text, tokens and non-strings THEN literal keeps only the plain, non-empty strings", () => {
    expect(literal("us-east-1a")).toBe("us-east-1a");
    expect(["", "${var.az}", "az-${var.n}", 1, true, null, undefined, ["a"]].map(literal)).toEqual(Array(8).fill(undefined));
  });

  test("GIVEN values with strings at any depth beside numbers, booleans and nulls THEN strings lists them and holdsString finds one", () => {
    expect(strings({ a: 1, b: ["x", null, { c: "y", d: false }], e: 2 })).toEqual(["x", "y"]);
    expect([strings(1), strings(null), strings([1, true])]).toEqual([[], [], []]);
    expect([holdsString([1, "x"]), holdsString({ a: 1, b: [null, "x"] }), holdsString("")]).toEqual([true, true, true]);
    expect([holdsString([1, null]), holdsString({ a: 1 }), holdsString(null), holdsString(2)]).toEqual([false, false, false, false]);
  });
});
