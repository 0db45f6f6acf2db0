/**
 * Invalid configurations, one row each, across the modules and stacks: every one must be rejected
 * at synth (construction) time with a ValidationError whose message names the field and shows the
 * value. To cover a new module, append a section of rows to BAD_INPUTS (AppTier, AuroraCluster, …).
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { ValidationError } from "../lib/errors";
import { HaStack } from "../lib/ha-stack";
import { GuardrailsAspect } from "../modules/guardrails/aspect";
import { Guardrails } from "../modules/guardrails/guardrails";
import { PolicyPack } from "../modules/guardrails/types";
import { HaVpc, HaVpcProps, NatGatewayMode } from "../modules/ha-vpc";
import { loadStackConfig } from "../stacks/config";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { AppTier, AppTierProps } from "../modules/app-tier";
import { AuroraCluster, AuroraClusterProps } from "../modules/aurora-cluster";
import { InventoryUserDataProps, renderInventoryUserData } from "../modules/inventory-app";
import { StackIntent } from "../lib/ha-stack";
import { testStack } from "./helpers/template";

/** One invalid configuration. */
export interface BadInputRow {
  /** Module, stack or API the row exercises; rows are grouped by it. */
  readonly module: string;
  /** What is wrong; reads as "GIVEN <case>". */
  readonly case: string;
  /** Builds the configuration; must throw a ValidationError. */
  readonly build: () => unknown;
  /** The field the message must name, as the user wrote it. */
  readonly field: string;
  /** The offending value as the message must show it. */
  readonly value: string;
}

const AZS = ["us-east-1a", "us-east-1b"];
const vpc = (props: Partial<HaVpcProps>) => () => new HaVpc(testStack(), "Net", { azs: AZS, ...props });
const stack = (props: Partial<ConstructorParameters<typeof HaStack>[2]>) => () =>
  new HaStack(Testing.app(), "bad", { region: "us-east-1", environment: "test", ...props });
const fromEnv = (env: NodeJS.ProcessEnv, Stack: typeof DevStack | typeof LabStack = LabStack) => () =>
  new Stack(Testing.app(), "env", loadStackConfig(env));
const REASON = "accepted on purpose for this test";
const appTier = (props: Partial<AppTierProps>) => () => {
  const s = testStack();
  return new AppTier(s, "App", { vpc: new HaVpc(s, "Net", { azs: AZS }), ...props });
};
const aurora = (props: Partial<AuroraClusterProps> & Record<string, unknown>, intent = StackIntent.PRODUCTION) => () => {
  const s = testStack({ intent });
  return new AuroraCluster(s, "Db", { vpc: new HaVpc(s, "Net", { azs: AZS }), ...props } as AuroraClusterProps);
};
const userData = (props: Partial<InventoryUserDataProps> & Record<string, unknown>) => () =>
  renderInventoryUserData({
    region: "us-east-1",
    databaseEndpoint: "db.cluster-abc.us-east-1.rds.amazonaws.com",
    databaseName: "app",
    masterUsername: "dbadmin",
    secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc-AbCdEf",
    ...props,
  } as InventoryUserDataProps);

export const BAD_INPUTS: BadInputRow[] = [
  // ---------------------------------------------------------------- HaStack
  { module: "HaStack", case: "an empty region", build: stack({ region: "" }), field: "region", value: '""' },
  { module: "HaStack", case: "an upper-case region", build: stack({ region: "US-EAST-1" }), field: "region", value: '"US-EAST-1"' },
  { module: "HaStack", case: "an AZ given as the region", build: stack({ region: "us-east-1a" }), field: "region", value: '"us-east-1a"' },
  { module: "HaStack", case: "a made-up region", build: stack({ region: "mars-1" }), field: "region", value: '"mars-1"' },
  {
    module: "HaStack",
    case: "an S3 backend without a bucket",
    build: stack({ backend: { type: "s3", bucket: "" } }),
    field: "backend.bucket",
    value: '""',
  },
  {
    module: "HaStack",
    case: "an unknown policy pack",
    build: stack({ policyPacks: ["compliance" as PolicyPack] }),
    field: "policyPacks",
    value: '"compliance"',
  },
  {
    module: "HaStack",
    case: "a policy pack listed twice",
    build: stack({ policyPacks: [PolicyPack.SECURITY, PolicyPack.SECURITY] }),
    field: "policyPacks",
    value: '"security"',
  },
  {
    module: "HaStack",
    case: "policy packs given as a string",
    build: stack({ policyPacks: "security" as unknown as PolicyPack[] }),
    field: "policyPacks",
    value: '"security"',
  },

  // ---------------------------------------------------------------- HaVpc
  { module: "HaVpc", case: "no AZs", build: vpc({ azs: [] }), field: "azs", value: "[]" },
  { module: "HaVpc", case: "one AZ", build: vpc({ azs: ["us-east-1a"] }), field: "azs", value: '["us-east-1a"]' },
  {
    module: "HaVpc",
    case: "seven AZs",
    build: vpc({ azs: ["a", "b", "c", "d", "e", "f", "a"].map((l, i) => `us-east-${1 + Math.floor(i / 6)}${l}`) }),
    field: "azs",
    value: '"us-east-1f","us-east-2a"]) has 7 AZs',
  },
  { module: "HaVpc", case: "an AZ listed twice", build: vpc({ azs: ["us-east-1a", "us-east-1a"] }), field: "azs", value: '"us-east-1a"' },
  { module: "HaVpc", case: "a region given as an AZ", build: vpc({ azs: ["us-east-1", "us-east-1b"] }), field: "azs", value: '"us-east-1"' },
  { module: "HaVpc", case: "an upper-case AZ", build: vpc({ azs: ["US-EAST-1A", "us-east-1b"] }), field: "azs", value: '"US-EAST-1A"' },
  { module: "HaVpc", case: "an AZ letter beyond f", build: vpc({ azs: ["us-east-1a", "us-east-1g"] }), field: "azs", value: '"us-east-1g"' },
  {
    module: "HaVpc",
    case: "AZs of two regions",
    build: vpc({ azs: ["us-east-1a", "us-west-2b"] }),
    field: "azs",
    value: '["us-east-1a","us-west-2b"]',
  },
  {
    module: "HaVpc",
    case: "AZs of another region than the stack's",
    build: vpc({ azs: ["us-west-2a", "us-west-2b"] }),
    field: "azs",
    value: '["us-west-2a","us-west-2b"]',
  },
  { module: "HaVpc", case: "a region prop that the AZs are not in", build: vpc({ region: "eu-west-1" }), field: "azs", value: "region is eu-west-1" },
  { module: "HaVpc", case: "a CIDR without a prefix", build: vpc({ cidr: "10.0.0.0" }), field: "cidr", value: '"10.0.0.0"' },
  { module: "HaVpc", case: "a CIDR octet above 255", build: vpc({ cidr: "10.0.300.0/16" }), field: "cidr", value: '"10.0.300.0/16"' },
  { module: "HaVpc", case: "a CIDR prefix above 32", build: vpc({ cidr: "10.0.0.0/33" }), field: "cidr", value: '"10.0.0.0/33"' },
  { module: "HaVpc", case: "a CIDR with host bits set", build: vpc({ cidr: "10.0.0.1/16" }), field: "cidr", value: '"10.0.0.1/16"' },
  { module: "HaVpc", case: "a VPC larger than /16", build: vpc({ cidr: "10.0.0.0/8" }), field: "cidr", value: '"10.0.0.0/8"' },
  { module: "HaVpc", case: "a VPC smaller than /28", build: vpc({ cidr: "10.0.0.0/29" }), field: "cidr", value: '"10.0.0.0/29"' },
  {
    module: "HaVpc",
    case: "a subnet prefix shorter than the VPC's",
    build: vpc({ subnetPrefixLengths: { private: 15 } }),
    field: "subnetPrefixLengths.private",
    value: "15",
  },
  {
    module: "HaVpc",
    case: "a subnet prefix above /28",
    build: vpc({ subnetPrefixLengths: { public: 29 } }),
    field: "subnetPrefixLengths.public",
    value: "29",
  },
  {
    module: "HaVpc",
    case: "a fractional subnet prefix",
    build: vpc({ subnetPrefixLengths: { isolated: 24.5 } }),
    field: "subnetPrefixLengths.isolated",
    value: "24.5",
  },
  {
    module: "HaVpc",
    case: "custom CIDRs for an unknown tier",
    build: vpc({ subnetCidrs: { dmz: { "us-east-1a": "10.0.0.0/24" } } as HaVpcProps["subnetCidrs"] }),
    field: "subnetCidrs",
    value: '"dmz"',
  },
  {
    module: "HaVpc",
    case: "a custom CIDR keyed by an AZ not in azs",
    build: vpc({ subnetCidrs: { private: { "us-east-1c": "10.0.0.0/20" } } }),
    field: "subnetCidrs.private",
    value: '"us-east-1c"',
  },
  {
    module: "HaVpc",
    case: "an invalid custom subnet CIDR",
    build: vpc({ subnetCidrs: { public: { "us-east-1a": "10.0.0.0/33" } } }),
    field: 'subnetCidrs.public["us-east-1a"]',
    value: '"10.0.0.0/33"',
  },
  {
    module: "HaVpc",
    case: "a VPC too small for the subnet layout",
    build: vpc({ cidr: "10.0.0.0/20", subnetPrefixLengths: { public: 24, private: 22, isolated: 24 } }),
    field: "cidr",
    value: '"10.0.0.0/20"',
  },
  {
    module: "HaVpc",
    case: "a custom subnet outside the VPC",
    build: vpc({ subnetCidrs: { public: { "us-east-1a": "192.168.0.0/24" } } }),
    field: 'subnetCidrs.public["us-east-1a"]',
    value: "192.168.0.0/24",
  },
  {
    module: "HaVpc",
    case: "custom subnets that overlap",
    build: vpc({ subnetCidrs: { public: { "us-east-1a": "10.0.0.0/24" } } }),
    field: "subnetCidrs",
    value: "10.0.0.0/24",
  },
  {
    module: "HaVpc",
    case: "an unknown NAT mode",
    build: vpc({ natGateways: "TWO" as NatGatewayMode }),
    field: "natGateways",
    value: '"TWO"',
  },
  {
    module: "HaVpc",
    case: "no NAT without accepting private subnets without egress",
    build: vpc({ natGateways: NatGatewayMode.NONE }),
    field: "natGateways",
    value: "NONE",
  },
  {
    module: "HaVpc",
    case: "accepting no egress while asking for NAT gateways",
    build: vpc({ allowPrivateSubnetsWithoutEgress: true }),
    field: "allowPrivateSubnetsWithoutEgress",
    value: "true",
  },
  { module: "HaVpc", case: "a flow log retention CloudWatch does not offer", build: vpc({ flowLogRetentionDays: 10 }), field: "flowLogRetentionDays", value: "10" },
  { module: "HaVpc", case: "a flow log retention of zero days", build: vpc({ flowLogRetentionDays: 0 }), field: "flowLogRetentionDays", value: "0" },

  // ---------------------------------------------------------------- loadStackConfig → lab / dev
  { module: "loadStackConfig", case: "HA_REGION without dashes", build: fromEnv({ HA_REGION: "useast1" }), field: "region", value: '"useast1"' },
  { module: "loadStackConfig", case: "HA_AZS with one AZ", build: fromEnv({ HA_AZS: "us-east-1a" }), field: "azs", value: '["us-east-1a"]' },
  { module: "loadStackConfig", case: "HA_AZS with only separators", build: fromEnv({ HA_AZS: " , ," }), field: "azs", value: "[]" },
  {
    module: "loadStackConfig",
    case: "HA_AZS spanning two regions (dev)",
    build: fromEnv({ HA_AZS: "us-east-1a, us-west-2b" }, DevStack),
    field: "azs",
    value: '["us-east-1a","us-west-2b"]',
  },
  {
    module: "loadStackConfig",
    case: "HA_REGION that HA_AZS are not in",
    build: fromEnv({ HA_REGION: "eu-west-1", HA_AZS: "us-east-1a,us-east-1b" }),
    field: "azs",
    value: "region is eu-west-1",
  },

  // ---------------------------------------------------------------- AppTier
  { module: "AppTier", case: "min above max", build: appTier({ minCapacity: 4, maxCapacity: 2 }), field: "minCapacity", value: "4" },
  { module: "AppTier", case: "desired below min", build: appTier({ minCapacity: 2, desiredCapacity: 1, maxCapacity: 4 }), field: "desiredCapacity", value: "1" },
  { module: "AppTier", case: "desired above max", build: appTier({ desiredCapacity: 9, maxCapacity: 4 }), field: "desiredCapacity", value: "9" },
  { module: "AppTier", case: "fewer instances than AZs without REDUCED", build: appTier({ minCapacity: 1, desiredCapacity: 1 }), field: "minCapacity", value: "1" },
  { module: "AppTier", case: "a malformed instance type", build: appTier({ instanceType: "t3micro" }), field: "instanceType", value: '"t3micro"' },
  {
    module: "AppTier",
    case: "a certificate that is not an ACM ARN",
    build: appTier({ certificateArn: "arn:aws:iam::123456789012:server-certificate/web" }),
    field: "certificateArn",
    value: '"arn:aws:iam::123456789012:server-certificate/web"',
  },
  { module: "AppTier", case: "a health-check path without a slash", build: appTier({ healthCheckPath: "health" }), field: "healthCheckPath", value: '"health"' },
  { module: "AppTier", case: "a healthy threshold of 1", build: appTier({ healthyThreshold: 1 }), field: "healthyThreshold", value: "1" },
  { module: "AppTier", case: "an unhealthy threshold of 11", build: appTier({ unhealthyThreshold: 11 }), field: "unhealthyThreshold", value: "11" },
  { module: "AppTier", case: "an allowed CIDR with host bits", build: appTier({ allowedCidrs: ["10.0.0.1/8"] }), field: "allowedCidrs[0]", value: '"10.0.0.1/8"' },
  { module: "AppTier", case: "a name longer than AWS allows", build: appTier({ name: "a".repeat(40) }), field: "name", value: `"${"a".repeat(40)}"` },
  { module: "AppTier", case: "a name starting with internal-", build: appTier({ name: "internal-web" }), field: "name", value: '"internal-web"' },
  // ---------------------------------------------------------------- AuroraCluster
  { module: "AuroraCluster", case: "zero instances", build: aurora({ instances: 0 }), field: "instances", value: "0" },
  { module: "AuroraCluster", case: "an identifier starting with a digit", build: aurora({ identifier: "1db" }), field: "identifier", value: '"1db"' },
  { module: "AuroraCluster", case: "an identifier with two hyphens in a row", build: aurora({ identifier: "my--db" }), field: "identifier", value: '"my--db"' },
  { module: "AuroraCluster", case: "the reserved user name rdsadmin", build: aurora({ masterUsername: "rdsadmin" }), field: "masterUsername", value: '"rdsadmin"' },
  { module: "AuroraCluster", case: "a user name starting with a digit", build: aurora({ masterUsername: "1admin" }), field: "masterUsername", value: '"1admin"' },
  { module: "AuroraCluster", case: "backup retention of 0 days", build: aurora({ backupRetentionDays: 0 }), field: "backupRetentionDays", value: "0" },
  { module: "AuroraCluster", case: "backup retention of 36 days", build: aurora({ backupRetentionDays: 36 }), field: "backupRetentionDays", value: "36" },
  { module: "AuroraCluster", case: "a malformed instance class", build: aurora({ instanceClass: "r6g.large" }), field: "instanceClass", value: '"r6g.large"' },
  { module: "AuroraCluster", case: "a malformed engine version", build: aurora({ engineVersion: "8.0" }), field: "engineVersion", value: '"8.0"' },
  {
    module: "AuroraCluster",
    case: "deletion protection off in a production stack without a reason",
    build: aurora({ deletionProtection: false }),
    field: "deletionProtection",
    value: "false",
  },
  {
    module: "AuroraCluster",
    case: "a literal master password",
    build: aurora({ masterPassword: "hunter2hunter2" }),
    field: "masterPassword",
    value: "<redacted, 14 characters>",
  },
  // ---------------------------------------------------------------- inventory-app user data
  {
    module: "inventory-app",
    case: "a literal password in user data",
    build: userData({ masterPassword: "hunter2hunter2" }),
    field: "masterPassword",
    value: "<redacted, 14 characters>",
  },
  { module: "inventory-app", case: "an empty database endpoint", build: userData({ databaseEndpoint: "" }), field: "databaseEndpoint", value: '""' },
  {
    module: "inventory-app",
    case: "an endpoint with a scheme",
    build: userData({ databaseEndpoint: "mysql://db.example.com" }),
    field: "databaseEndpoint",
    value: '"mysql://db.example.com"',
  },
  { module: "inventory-app", case: "an app port of 0", build: userData({ appPort: 0 }), field: "appPort", value: "0" },
  { module: "inventory-app", case: "a relative config path", build: userData({ configPath: "etc/app.json" }), field: "configPath", value: '"etc/app.json"' },
  // ---------------------------------------------------------------- Guardrails
  {
    module: "Guardrails",
    case: "a suppression of an unknown rule",
    build: () => Guardrails.suppress(testStack(), "HA-NAT-9", REASON),
    field: "ruleId",
    value: '"HA-NAT-9"',
  },
  {
    module: "Guardrails",
    case: "a suppression with a lower-case rule id",
    build: () => Guardrails.suppress(testStack(), "ha-nat-1", REASON),
    field: "ruleId",
    value: '"ha-nat-1") is not a guardrail rule; did you mean "HA-NAT-1"?',
  },
  {
    module: "Guardrails",
    case: "a suppression without a reason",
    build: () => Guardrails.suppress(testStack(), "HA-NAT-1", undefined as unknown as string),
    field: "reason",
    value: "undefined",
  },
  { module: "Guardrails", case: "a suppression with an empty reason", build: () => Guardrails.suppress(testStack(), "HA-NAT-1", ""), field: "reason", value: '""' },
  {
    module: "Guardrails",
    case: "a suppression with a 9-character reason",
    build: () => Guardrails.suppress(testStack(), "HA-NAT-1", "too short"),
    field: "reason",
    value: '"too short"',
  },
  {
    module: "Guardrails",
    case: "a suppression whose reason is mostly spaces",
    build: () => Guardrails.suppress(testStack(), "SEC-SG-1", "   ok      "),
    field: "reason",
    value: '"   ok      "',
  },
  {
    module: "Guardrails",
    case: "the same rule suppressed twice on one construct",
    build: () => {
      const s = testStack();
      Guardrails.suppress(s, "HA-NAT-1", REASON);
      Guardrails.suppress(s, "HA-NAT-1", `${REASON}, again`);
    },
    field: "ruleId",
    value: '"HA-NAT-1"',
  },
  {
    module: "Guardrails",
    case: "an aspect with an unknown pack",
    build: () => new GuardrailsAspect({ packs: ["pci" as PolicyPack] }),
    field: "packs",
    value: '"pci"',
  },
  {
    module: "Guardrails",
    case: "an aspect with a pack listed twice",
    build: () => new GuardrailsAspect({ packs: [PolicyPack.HA, PolicyPack.HA] }),
    field: "packs",
    value: '"ha"',
  },
];

/** Which rows cover a source file that throws ValidationError: a new throwing file needs rows and an entry here. */
const ROWS_FOR_SOURCE: Record<string, string> = {
  "lib/ha-stack.ts": "HaStack",
  "lib/naming.ts": "AppTier",
  "modules/ha-vpc/validation.ts": "HaVpc",
  "modules/app-tier/validation.ts": "AppTier",
  "modules/aurora-cluster/validation.ts": "AuroraCluster",
  "modules/inventory-app/validate.ts": "inventory-app",
  "modules/guardrails/guardrails.ts": "Guardrails",
};

test("every source file that throws a ValidationError has rows in this table", () => {
  const root = path.join(__dirname, "..");
  const sources = ["lib", "modules", "stacks"].flatMap((dir) =>
    (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.posix.join(dir, f.split(path.sep).join("/"))),
  );
  const throwing = sources.filter((f) => /new ValidationError\(/.test(fs.readFileSync(path.join(root, f), "utf8"))).sort();
  expect(throwing).toEqual(Object.keys(ROWS_FOR_SOURCE).sort());
  const modules = new Set(BAD_INPUTS.map((r) => r.module));
  expect(Object.values(ROWS_FOR_SOURCE).filter((m) => !modules.has(m))).toEqual([]);
});

describe.each([...new Set(BAD_INPUTS.map((r) => r.module))])("%s", (module) => {
  test.each(BAD_INPUTS.filter((r) => r.module === module))("GIVEN $case THEN it throws naming $field and $value", (row) => {
    let error: unknown;
    try {
      row.build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const message = (error as Error).message;
    expect(message).toContain(row.field);
    expect(message).toContain(row.value);
  });
});
