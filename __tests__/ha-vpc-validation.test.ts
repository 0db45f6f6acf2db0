/**
 * HaVpc's input checks at their edges, with the whole message (the fix included): the parts the
 * mutation run (README, Mutation testing) found unchecked by the other suites.
 */
import { TerraformStack, Testing } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { HaVpc, HaVpcProps, InterfaceEndpointService, NatGatewayMode } from "../modules/ha-vpc";
import { Template, testStack } from "./helpers/template";

const AZS = ["us-east-1a", "us-east-1b"];
const vpc = (props: Partial<HaVpcProps>, region = "us-east-1") => () => new HaVpc(testStack({ region }), "Net", { azs: AZS, ...props } as HaVpcProps);

describe("HaVpc validation messages name the fix", () => {
  test.each([
    [{ azs: ["us-west-2a", "us-west-2b"] }, /are in us-west-2 but the stack's region is us-east-1; use AZs of us-east-1 \(e\.g\. "us-east-1a"\) or change the region$/],
    [{ subnetPrefixLengths: { public: 29 } }, /subnetPrefixLengths\.public \(29\) must be a whole number from the VPC's \/16 to \/28$/],
    [
      { cidr: "10.0.0.0/20" },
      /is too small for the subnets asked for: \d+ AZ slots per tier at public \/24, private \/20, isolated \/24 need \d+ addresses, the VPC has 4096\. Use a larger VPC CIDR or longer subnetPrefixLengths$/,
    ],
    [{ natGateways: NatGatewayMode.NONE }, /Use NatGatewayMode\.PER_AZ, or set allowPrivateSubnetsWithoutEgress: true if you provide egress another way \(VPC endpoints, a proxy\)$/],
    [{ allowPrivateSubnetsWithoutEgress: true }, /allowPrivateSubnetsWithoutEgress \(true\) conflicts with natGateways \(.+\); set it only with NatGatewayMode\.NONE$/],
  ])("GIVEN %o THEN the message ends with the fix", (props, message) => {
    expect(vpc(props as Partial<HaVpcProps>)).toThrow(message);
  });

  test("GIVEN no azs at all (a JavaScript caller) THEN it says the list is empty", () => {
    expect(vpc({ azs: undefined })).toThrow(/azs \(\[\]\) is empty; pass 2 to 6 AZ names/);
  });
});

describe("HaVpc validation boundaries", () => {
  test("GIVEN exactly 6 AZs (the maximum) THEN it is accepted; 7 are refused", () => {
    const six = ["a", "b", "c", "d", "e", "f"].map((l) => `us-east-1${l}`);
    expect(vpc({ azs: six })().azs).toEqual(six);
    expect(vpc({ azs: [...six, "us-east-1g"] })).toThrow(/has 7 AZs; pass at most 6$/);
  });

  test("GIVEN a /28 VPC (the smallest AWS allows) THEN the prefix is accepted and only the layout is refused", () => {
    expect(vpc({ cidr: "10.0.0.0/28" })).toThrow(/subnetPrefixLengths\.public \(24\) must be a whole number from the VPC's \/28 to \/28/);
    expect(vpc({ cidr: "10.0.0.0/28" })).not.toThrow(/AWS allows/);
    expect(vpc({ cidr: "10.0.0.0/29" })).toThrow(/has prefix \/29; AWS allows \/16 to \/28/);
  });
});

/** Synthesizes an HaVpc in an HaStack of the region (or in the stack given) and returns its JSON. */
function synth(props: Partial<HaVpcProps>, region = "us-east-1", stack: TerraformStack = testStack({ region })): { net: HaVpc; t: Template } {
  const net = new HaVpc(stack, "Net", { azs: AZS, ...props } as HaVpcProps);
  return { net, t: Template.of(stack) };
}
const subnetCidrs = (t: Template) =>
  Object.fromEntries(t.resources("aws_subnet").map((s) => [`${s.values.tags.tier} ${s.values.availability_zone}`, s.values.cidr_block]));

describe("HaVpc accepts every limit it checks, and the synthesized JSON carries it", () => {
  test("GIVEN a name of 200 characters using every allowed kind (letters, digits, . _ - #) THEN it names the VPC and its flow log group", () => {
    const name = "Shop.prod_1-#".padEnd(200, "x");
    const { t } = synth({ name });
    expect(t.resources("aws_vpc")[0].values.tags.Name).toBe(name);
    expect(t.resources("aws_cloudwatch_log_group")[0].values.name).toBe(`/vpc/${name}/flow-logs`);
  });

  test.each([
    ["us-gov-west-1", ["us-gov-west-1a", "us-gov-west-1b"]],
    ["us-iso-east-1", ["us-iso-east-1a", "us-iso-east-1b"]],
    ["us-isob-east-1", ["us-isob-east-1b", "us-isob-east-1a"]],
  ])("GIVEN AZs of %s (GovCloud and ISO partitions) THEN the subnets are in them and the S3 endpoint is named for their region", (region, azs) => {
    const { net, t } = synth({ azs }, region);
    expect(net.azs).toEqual([...azs].sort());
    expect([...new Set(t.resources("aws_subnet").map((s) => s.values.availability_zone))].sort()).toEqual([...azs].sort());
    expect(t.resources("aws_vpc_endpoint").map((e) => e.values.service_name)).toEqual([`com.amazonaws.${region}.s3`]);
  });

  test("GIVEN a stack that is no HaStack (no region known) THEN AZs of any one region are accepted, with or without the region prop", () => {
    const azs = ["us-west-2a", "us-west-2b"];
    for (const props of [{ azs }, { azs, region: "us-west-2" }]) {
      const { t } = synth(props, undefined, new TerraformStack(Testing.app(), "plain"));
      expect(t.resources("aws_subnet").map((s) => s.values.availability_zone).sort()).toEqual(["us-west-2a", "us-west-2a", "us-west-2a", "us-west-2b", "us-west-2b", "us-west-2b"]);
    }
  });

  test("GIVEN the region prop equal to the stack's region THEN it is accepted", () => {
    const { t } = synth({ azs: ["eu-west-1a", "eu-west-1b"], region: "eu-west-1" }, "eu-west-1");
    expect(t.resources("aws_vpc_endpoint").map((e) => e.values.service_name)).toEqual(["com.amazonaws.eu-west-1.s3"]);
  });

  test("GIVEN tier prefixes equal to the VPC's and every subnet given THEN no layout is computed and the given CIDRs are used", () => {
    // Three /24 tiers cannot be laid out in a /24 VPC (six slots each), but no subnet needs the layout.
    const given = {
      public: { "us-east-1a": "10.0.0.0/27", "us-east-1b": "10.0.0.32/27" },
      private: { "us-east-1a": "10.0.0.64/27", "us-east-1b": "10.0.0.96/27" },
      isolated: { "us-east-1a": "10.0.0.128/27", "us-east-1b": "10.0.0.160/27" },
    };
    const { t } = synth({ cidr: "10.0.0.0/24", subnetPrefixLengths: { public: 24, private: 24, isolated: 24 }, subnetCidrs: given });
    expect(t.resources("aws_vpc")[0].values.cidr_block).toBe("10.0.0.0/24");
    expect(subnetCidrs(t)).toEqual({
      "public us-east-1a": "10.0.0.0/27",
      "public us-east-1b": "10.0.0.32/27",
      "private us-east-1a": "10.0.0.64/27",
      "private us-east-1b": "10.0.0.96/27",
      "isolated us-east-1a": "10.0.0.128/27",
      "isolated us-east-1b": "10.0.0.160/27",
    });
  });

  test("GIVEN a custom subnet of /28 (the smallest AWS allows) THEN it is used as given", () => {
    const { t } = synth({ subnetCidrs: { public: { "us-east-1a": "10.0.200.0/28" } } });
    expect(subnetCidrs(t)["public us-east-1a"]).toBe("10.0.200.0/28");
  });

  test.each([1, 3653])("GIVEN flow logs kept %i days (CloudWatch's shortest and longest retention) THEN the log group keeps them that long", (days) => {
    const { t } = synth({ flowLogRetentionDays: days });
    expect(t.resources("aws_cloudwatch_log_group")[0].values.retention_in_days).toBe(days);
  });

  test("GIVEN endpoint client ids of 8 and 17 hex digits and a reference THEN each is admitted on 443", () => {
    const stack = testStack();
    const client = new SecurityGroup(stack, "Client", { name: "client" });
    const ids = ["sg-01234567", "sg-0123456789abcdef0", client.id];
    const { t } = synth({ interfaceEndpoints: [InterfaceEndpointService.SSM], interfaceEndpointClientSecurityGroupIds: ids }, undefined, stack);
    const ingress = t.resources("aws_vpc_security_group_ingress_rule").map((r) => [r.values.referenced_security_group_id, r.values.from_port]);
    expect(ingress).toEqual([
      ["sg-01234567", 443],
      ["sg-0123456789abcdef0", 443],
      [Template.ref(t.resources("aws_security_group").find((g) => g.values.name === "client")!), 443],
    ]);
  });

  test("GIVEN AZs listed out of order with one NAT THEN the AZs are kept in name order and the NAT sits in the first by name", () => {
    const { net, t } = synth({ azs: ["us-east-1b", "us-east-1a"], natGateways: NatGatewayMode.SINGLE });
    expect(net.azs).toEqual(["us-east-1a", "us-east-1b"]);
    const natSubnet = t.resources("aws_nat_gateway")[0].values.subnet_id;
    const publicA = t.find("aws_subnet", { availability_zone: "us-east-1a", tags: { tier: "public" } })[0];
    expect(natSubnet).toBe(Template.ref(publicA));
  });
});
