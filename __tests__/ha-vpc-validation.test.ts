/**
 * HaVpc's input checks at their edges, with the whole message (the fix included): the parts the
 * mutation run (README, Mutation testing) found unchecked by the other suites.
 */
import { HaVpc, HaVpcProps, NatGatewayMode } from "../modules/ha-vpc";
import { testStack } from "./helpers/template";

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
