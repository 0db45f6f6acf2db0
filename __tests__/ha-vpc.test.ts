import { HaVpc, HaVpcProps, NatGatewayMode } from "../modules/ha-vpc";
import { ValidationError } from "../lib/errors";
import { HaStack } from "../lib/ha-stack";
import { TerraformOutput } from "cdktf";
import { Template, testStack } from "./helpers/template";
import { azsWithEgressAfterLosing, privateEgressByAz } from "./helpers/egress";

const TWO_AZS = ["us-east-1a", "us-east-1b"];

function synthVpc(props: Partial<HaVpcProps> = {}): { vpc: HaVpc; t: Template; stack: HaStack } {
  const stack = testStack();
  const vpc = new HaVpc(stack, "Net", { azs: TWO_AZS, ...props });
  return { vpc, t: Template.of(stack), stack };
}

function subnetOf(t: Template, tier: string, az: string) {
  const found = t.find("aws_subnet", { availability_zone: az, tags: { tier } });
  expect(found).toHaveLength(1);
  return found[0];
}

describe("HaVpc with defaults over two AZs", () => {
  // Built in beforeAll, not in the describe body: a broken HaVpc (or lib/cidr.ts) then fails these
  // tests instead of crashing the file while jest collects it (the mutation run counts a crash as
  // an error, not as a test that noticed).
  let vpc: HaVpc;
  let t: Template;
  beforeAll(() => {
    ({ vpc, t } = synthVpc());
  });

  test("creates a VPC on 10.0.0.0/16 with DNS support and hostnames", () => {
    expect(t.resources("aws_vpc")).toHaveLength(1);
    expect(t.resources("aws_vpc")[0].values).toMatchObject({
      cidr_block: "10.0.0.0/16",
      enable_dns_hostnames: true,
      enable_dns_support: true,
    });
  });

  test("creates one public, one private and one isolated subnet per AZ, none mapping public IPs", () => {
    expect(t.count("aws_subnet")).toBe(6);
    for (const az of TWO_AZS) {
      for (const tier of ["public", "private", "isolated"]) {
        expect(subnetOf(t, tier, az).values.map_public_ip_on_launch).toBe(false);
      }
    }
  });

  test("lays CIDRs out by tier blocks with one fixed slot per AZ letter", () => {
    const cidr = (tier: string, az: string) => subnetOf(t, tier, az).values.cidr_block;
    // private /20 slots a–f fill 10.0.0.0–10.0.95.255; public /24 slots follow; then isolated /24.
    expect(cidr("private", "us-east-1a")).toBe("10.0.0.0/20");
    expect(cidr("private", "us-east-1b")).toBe("10.0.16.0/20");
    expect(cidr("public", "us-east-1a")).toBe("10.0.96.0/24");
    expect(cidr("public", "us-east-1b")).toBe("10.0.97.0/24");
    expect(cidr("isolated", "us-east-1a")).toBe("10.0.102.0/24");
    expect(cidr("isolated", "us-east-1b")).toBe("10.0.103.0/24");
    expect(vpc.subnetCidrs.private["us-east-1b"]).toBe("10.0.16.0/20");
  });

  test("exposes subnet ids per tier in AZ order and the AZ names", () => {
    const outStack = testStack();
    const net = new HaVpc(outStack, "Net", { azs: TWO_AZS });
    for (const tier of ["public", "private", "isolated"] as const) {
      new TerraformOutput(outStack, tier, { value: net.subnetIds(tier) });
    }
    const out = Template.of(outStack);
    expect(net.azs).toEqual(TWO_AZS);
    expect(vpc.publicSubnetIds).toBe(vpc.subnetIds("public"));
    for (const tier of ["public", "private", "isolated"]) {
      expect(out.json.output[tier].value).toEqual(TWO_AZS.map((az) => Template.ref(subnetOf(out, tier, az))));
    }
  });

  test("routes the public subnets to the internet gateway", () => {
    const igw = t.resources("aws_internet_gateway")[0];
    const route = t.find("aws_route", { destination_cidr_block: "0.0.0.0/0", gateway_id: Template.ref(igw) });
    expect(route).toHaveLength(1);
    for (const az of TWO_AZS) {
      expect(
        t.find("aws_route_table_association", {
          subnet_id: Template.ref(subnetOf(t, "public", az)),
          route_table_id: route[0].values.route_table_id,
        }),
      ).toHaveLength(1);
    }
  });

  test("GIVEN NAT per AZ THEN each private subnet routes through the NAT in its own AZ", () => {
    expect(vpc.natGatewayMode).toBe(NatGatewayMode.PER_AZ);
    expect(t.count("aws_nat_gateway")).toBe(2);
    expect(vpc.natGatewayIds).toHaveLength(2);
    for (const az of TWO_AZS) {
      const nat = t.find("aws_nat_gateway", { subnet_id: Template.ref(subnetOf(t, "public", az)) });
      expect(nat).toHaveLength(1);
      expect(vpc.azNetworks[az].egressViaAz).toBe(az);
    }
    expect(privateEgressByAz(t)).toEqual({ "us-east-1a": "us-east-1a", "us-east-1b": "us-east-1b" });
  });

  test("WHEN either AZ is lost THEN the other AZ's private subnet keeps internet egress", () => {
    expect(azsWithEgressAfterLosing(t, "us-east-1a")).toEqual(["us-east-1b"]);
    expect(azsWithEgressAfterLosing(t, "us-east-1b")).toEqual(["us-east-1a"]);
  });

  test("gives isolated subnets no route at all beyond the VPC", () => {
    const isolatedTables = new Set(
      TWO_AZS.map(
        (az) =>
          t.find("aws_route_table_association", { subnet_id: Template.ref(subnetOf(t, "isolated", az)) })[0].values
            .route_table_id,
      ),
    );
    expect(isolatedTables.size).toBe(1);
    const [table] = [...isolatedTables];
    expect(t.resources("aws_route").filter((r) => r.values.route_table_id === table)).toHaveLength(0);
    const rt = t.resources("aws_route_table").find((r) => Template.ref(r) === table)!;
    expect(rt.values.route ?? []).toEqual([]);
  });

  test("puts a network ACL on every subnet, the isolated one talking to the VPC only", () => {
    expect(t.count("aws_network_acl")).toBe(3);
    expect(t.count("aws_network_acl_association")).toBe(6);
    const isolatedAcl = t.resource("aws_network_acl", "Net/IsolatedAcl").values;
    expect(isolatedAcl.ingress.map((r: any) => r.cidr_block)).toEqual(["10.0.0.0/16"]);
    expect(isolatedAcl.egress.map((r: any) => r.cidr_block)).toEqual(["10.0.0.0/16"]);
    const publicAcl = t.resource("aws_network_acl", "Net/PublicAcl").values;
    const publicPorts = publicAcl.ingress.filter((r: any) => r.cidr_block === "0.0.0.0/0").map((r: any) => r.from_port);
    expect(publicPorts).toEqual(expect.arrayContaining([80, 443, 1024]));
    expect(publicPorts).not.toContain(22);
    for (const az of TWO_AZS) {
      expect(
        t.find("aws_network_acl_association", {
          subnet_id: Template.ref(subnetOf(t, "isolated", az)),
          network_acl_id: Template.ref(t.resource("aws_network_acl", "Net/IsolatedAcl")),
        }),
      ).toHaveLength(1);
    }
  });

  test("sends flow logs of all traffic to a log group with retention, through a scoped role", () => {
    const group = t.resources("aws_cloudwatch_log_group")[0];
    expect(group.values.retention_in_days).toBe(90);
    const flow = t.resources("aws_flow_log")[0].values;
    expect(flow).toMatchObject({
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: Template.ref(group, "arn"),
      vpc_id: Template.ref(t.resources("aws_vpc")[0]),
    });
    const docs = t.json.data.aws_iam_policy_document;
    const trust = Object.entries(docs).find(([name]) => name.includes("FlowLogTrust"))![1] as any;
    expect(trust.statement[0].principals[0].identifiers).toEqual(["vpc-flow-logs.amazonaws.com"]);
    const write = Object.entries(docs).find(([name]) => name.includes("FlowLogWrite"))![1] as any;
    expect(write.statement[0].resources).toEqual([Template.ref(group, "arn"), `${Template.ref(group, "arn")}:*`]);
  });

  test("locks the default security group down to no rules", () => {
    const sg = t.resources("aws_default_security_group");
    expect(sg).toHaveLength(1);
    expect(sg[0].values.vpc_id).toBe(Template.ref(t.resources("aws_vpc")[0]));
    expect(sg[0].values.ingress).toBeUndefined();
    expect(sg[0].values.egress).toBeUndefined();
  });
});

describe("HaVpc NAT modes", () => {
  test("GIVEN SINGLE THEN one NAT in the first AZ serves every private subnet, and losing that AZ cuts all egress", () => {
    const { vpc, t } = synthVpc({ natGateways: NatGatewayMode.SINGLE });
    expect(t.count("aws_nat_gateway")).toBe(1);
    expect(vpc.natGatewayIds).toHaveLength(1);
    expect(privateEgressByAz(t)).toEqual({ "us-east-1a": "us-east-1a", "us-east-1b": "us-east-1a" });
    expect(azsWithEgressAfterLosing(t, "us-east-1a")).toEqual([]);
    expect(azsWithEgressAfterLosing(t, "us-east-1b")).toEqual(["us-east-1a"]);
    // Route tables stay per AZ, so moving to PER_AZ later only changes routes.
    expect(t.resources("aws_route_table").filter((r) => r.values.tags.Name.includes("-private-"))).toHaveLength(2);
  });

  test("GIVEN NONE with the explicit choice THEN no NAT and no private default route", () => {
    const { vpc, t } = synthVpc({ natGateways: NatGatewayMode.NONE, allowPrivateSubnetsWithoutEgress: true });
    expect(t.count("aws_nat_gateway")).toBe(0);
    expect(t.count("aws_eip")).toBe(0);
    expect(vpc.natGatewayIds).toEqual([]);
    expect(privateEgressByAz(t)).toEqual({ "us-east-1a": undefined, "us-east-1b": undefined });
    expect(t.find("aws_route", { destination_cidr_block: "0.0.0.0/0" })).toHaveLength(1); // the public one
  });
});

describe("HaVpc custom layout", () => {
  test("takes explicit subnet CIDRs keyed by AZ and computes the rest", () => {
    const { t } = synthVpc({ subnetCidrs: { public: { "us-east-1a": "10.0.200.0/24" } } });
    expect(subnetOf(t, "public", "us-east-1a").values.cidr_block).toBe("10.0.200.0/24");
    expect(subnetOf(t, "public", "us-east-1b").values.cidr_block).toBe("10.0.97.0/24");
  });

  test("fits a small VPC when the tier prefixes are made longer", () => {
    const { t } = synthVpc({ cidr: "172.16.0.0/22", subnetPrefixLengths: { public: 28, private: 26, isolated: 28 } });
    expect(subnetOf(t, "private", "us-east-1b").values.cidr_block).toBe("172.16.0.64/26");
    expect(subnetOf(t, "public", "us-east-1a").values.cidr_block).toBe("172.16.1.128/28");
  });

  test("takes an AZ's slot from its letter, not its position in the list", () => {
    const { t } = synthVpc({ azs: ["us-east-1c", "us-east-1a"] });
    expect(subnetOf(t, "private", "us-east-1c").values.cidr_block).toBe("10.0.32.0/20");
    expect(subnetOf(t, "private", "us-east-1a").values.cidr_block).toBe("10.0.0.0/20");
  });

  test("accepts a single AZ only as an explicit choice", () => {
    const { t } = synthVpc({ azs: ["us-east-1a"], allowSingleAz: true });
    expect(t.count("aws_subnet")).toBe(3);
  });
});

describe("HaVpc rejects bad input at synth, naming the field, the value and the fix", () => {
  const cases: Array<[string, Partial<HaVpcProps>, RegExp]> = [
    ["no AZs", { azs: [] }, /azs \(\[\]\) is empty; pass 2 to 6/],
    ["one AZ without the explicit choice", { azs: ["us-east-1a"] }, /azs \(\["us-east-1a"\]\) has 1 AZ.*allowSingleAz: true/],
    [
      "more than six AZs",
      { azs: ["a", "b", "c", "d", "e", "f", "a"].map((l, i) => `us-east-1${l}${i === 6 ? "" : ""}`) },
      /has 7 AZs; pass at most 6/,
    ],
    ["a duplicate AZ", { azs: ["us-east-1a", "us-east-1a"] }, /lists "us-east-1a" more than once/],
    ["a malformed AZ name", { azs: ["us-east-1a", "use1-az2"] }, /azs contains "use1-az2", which is not an AZ name/],
    ["AZs from two regions", { azs: ["us-east-1a", "us-west-2b"] }, /spans regions \["us-east-1","us-west-2"\]/],
    ["AZs not in the stack's region", { azs: ["eu-west-1a", "eu-west-1b"] }, /are in eu-west-1 but the stack's region is us-east-1/],
    ["a malformed VPC CIDR", { cidr: "10.0.0/16" }, /cidr \("10.0.0\/16"\) is not an IPv4 CIDR block/],
    ["a VPC CIDR with host bits", { cidr: "10.0.0.1/16" }, /cidr \("10.0.0.1\/16"\) has host bits set/],
    ["a VPC CIDR larger than /16", { cidr: "10.0.0.0/8" }, /cidr \("10.0.0.0\/8"\) has prefix \/8; AWS allows \/16 to \/28/],
    ["a VPC too small for the subnets", { cidr: "10.0.0.0/20" }, /cidr \("10.0.0.0\/20"\) is too small.*need 27648 addresses, the VPC has 4096/],
    ["a subnet prefix shorter than the VPC's", { subnetPrefixLengths: { private: 12 } }, /subnetPrefixLengths.private \(12\) must be a whole number/],
    [
      "a custom subnet outside the VPC",
      { subnetCidrs: { isolated: { "us-east-1b": "10.1.0.0/24" } } },
      /subnetCidrs.isolated\["us-east-1b"\] \(10.1.0.0\/24\) lies outside the VPC CIDR \(10.0.0.0\/16\)/,
    ],
    [
      "overlapping custom subnets",
      { subnetCidrs: { public: { "us-east-1a": "10.0.1.0/24" } } },
      /public subnet in us-east-1a \(10.0.1.0\/24\) overlaps private subnet in us-east-1a \(10.0.0.0\/20\)/,
    ],
    [
      "a custom subnet for an AZ not listed",
      { subnetCidrs: { public: { "us-east-1c": "10.0.200.0/24" } } },
      /subnetCidrs.public names AZ "us-east-1c", which is not in azs/,
    ],
    ["a malformed custom subnet", { subnetCidrs: { public: { "us-east-1a": "10.0.200.0" } } }, /subnetCidrs.public\["us-east-1a"\] \("10.0.200.0"\) is not an IPv4 CIDR/],
    ["NAT mode NONE without saying so", { natGateways: NatGatewayMode.NONE }, /natGateways \(NONE\) leaves the private subnets without internet egress.*allowPrivateSubnetsWithoutEgress: true/],
    ["the no-egress flag with NAT gateways", { allowPrivateSubnetsWithoutEgress: true }, /allowPrivateSubnetsWithoutEgress \(true\) conflicts with natGateways \(PER_AZ\)/],
    ["an unknown NAT mode", { natGateways: "TWO" as NatGatewayMode }, /natGateways \("TWO"\) is not a NatGatewayMode/],
    ["a flow-log retention CloudWatch does not offer", { flowLogRetentionDays: 45 }, /flowLogRetentionDays \(45\) is not a CloudWatch Logs retention/],
  ];

  test.each(cases)("rejects %s", (_name, props, message) => {
    const build = () => new HaVpc(testStack(), "Net", { azs: TWO_AZS, ...props });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(message);
    expect(build).toThrow(/^\[test\/Net\] HaVpc: /);
  });

  test("adds no resource to the stack when input is rejected", () => {
    const stack = testStack();
    expect(() => new HaVpc(stack, "Net", { azs: ["us-east-1a"] })).toThrow();
    expect(Template.of(stack).count("aws_vpc")).toBe(0);
  });
});
