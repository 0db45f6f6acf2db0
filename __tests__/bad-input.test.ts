/**
 * Invalid configurations, one row each, across the modules and stacks: every one must be rejected
 * at synth (construction) time with a ValidationError whose message names the field, shows the
 * value and proposes the fix (word for word in `fix`). To cover a new module, append a section of
 * rows to BAD_INPUTS (AppTier, AuroraCluster, …).
 */
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { ValidationError } from "../lib/errors";
import { HaStack } from "../lib/ha-stack";
import { GuardrailsAspect } from "../modules/guardrails/aspect";
import { Guardrails } from "../modules/guardrails/guardrails";
import { PolicyPack } from "../modules/guardrails/types";
import { ALL_RULES } from "../modules/guardrails/packs";
import { GatewayEndpointService, HaVpc, HaVpcProps, InterfaceEndpointService, NatGatewayMode } from "../modules/ha-vpc";
import { loadStackConfig } from "../stacks/config";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { AppTier, AppTierProps, InstanceRedundancy } from "../modules/app-tier";
import { AuroraCluster, AuroraClusterProps, DatabaseAvailability } from "../modules/aurora-cluster";
import { InventoryAppOptions, InventoryUserDataProps, inventoryUserDataFor, renderInventoryUserData } from "../modules/inventory-app";
import { StackIntent, StateBackendConfig } from "../lib/ha-stack";
import { testStack } from "./helpers/template";
import { CostAssumptions, DEFAULT_COST_ASSUMPTIONS, estimateMonthlyCost } from "../modules/cost-estimate";
import { AURORA_MYSQL_MAX_CONNECTIONS } from "../lib/connection-budget";
import { DrillKind, FailureDrills, FailureDrillsProps } from "../modules/drills";
import { HaMonitoring, HaMonitoringProps } from "../modules/monitoring";
import { chooseDrill, parseDrillArgs } from "../scripts/drill";

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
  /** The fix the message must propose, word for word: every message says what to do instead. */
  readonly fix: string;
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

/** The inventory app wired to a database in a network without NAT (endpoints only). */
const appWithoutNat = (network: Partial<HaVpcProps>, options: Partial<InventoryAppOptions> = {}) => () => {
  const s = testStack();
  const net = new HaVpc(s, "Net", { azs: AZS, natGateways: NatGatewayMode.NONE, allowPrivateSubnetsWithoutEgress: true, ...network });
  return inventoryUserDataFor(new AuroraCluster(s, "Db", { vpc: net }), { region: "us-east-1", ...options });
};

/** README wiring: AuroraCluster + inventoryUserDataFor(database, …) + AppTier; the connection budget is checked. */
const pooledApp = (db: Partial<AuroraClusterProps>, app: Partial<AppTierProps>, options: Partial<InventoryAppOptions> = {}) => () => {
  const s = testStack();
  const net = new HaVpc(s, "Net", { azs: AZS });
  const database = new AuroraCluster(s, "Db", { vpc: net, ...db });
  return new AppTier(s, "App", { vpc: net, ...app, userData: inventoryUserDataFor(database, { region: "us-east-1", ...options }) });
};

/** A stack with the three tiers; `single` builds a one-instance database. */
const tiers = (single = false) => {
  const s = testStack();
  const network = new HaVpc(s, "Net", { azs: AZS });
  const database = new AuroraCluster(s, "Db", {
    vpc: network,
    ...(single ? { availability: DatabaseAvailability.SINGLE_INSTANCE } : {}),
    instanceClass: "db.t4g.medium",
  });
  const app = new AppTier(s, "App", { vpc: network, name: "shop" });
  return { s, network, database, app };
};
const monitoring = (props: Record<string, unknown>) => () => {
  const { s, database, app } = tiers();
  return new HaMonitoring(s, "Monitoring", { app, database, ...props } as HaMonitoringProps);
};
const drills = (props: Record<string, unknown>, single = false) => () => {
  const { s, network, database, app } = tiers(single);
  const watch = new HaMonitoring(s, "Monitoring", { app, database });
  return new FailureDrills(s, "Drills", { network, app, database, monitoring: watch, ...props } as FailureDrillsProps);
};
const drillCommand = (...argv: string[]) => () => {
  const app = Testing.app();
  new DevStack(app, "dev", { region: "us-east-1", azs: AZS });
  new LabStack(app, "lab", { region: "us-east-1", azs: AZS });
  return chooseDrill(app, parseDrillArgs(argv));
};

/** Fixes several rows below share, word for word. */
const STACK_REGION = 'pass one like "us-east-1"';
const PROJECT_NAME = 'pass project: letters, digits, ".", "_" or "-", 1 to 64 long, starting with a letter or digit, e.g. "shop"';
const STATE_BUCKET = 'name the S3 bucket that holds state, e.g. "acme-terraform-state"';
const STATE_BUCKET_ENV = "set it to the name of the S3 bucket that holds state";
const PACKS = 'use ["security","ha"]';
const PACK_ONCE = "list each pack once";
const LOCAL_ENDPOINT = 'pass one like "http://127.0.0.1:5000" (http, 127.0.0.1, localhost or [::1], with a port), or leave it unset to use AWS';
const VPC_NAME = 'use 1 to 200 letters, digits and . _ - #, e.g. "shop-prod"';
const VPC_PRIVATE_BLOCK = 'use a private block such as "10.0.0.0/16", "172.16.0.0/16" or "192.168.0.0/16"';
const DB_CLIENT = "pass the AppTier (or any object with a securityGroup and an instanceRole construct), e.g. database.allowFrom(app)";
const DB_ENDPOINT = "Pass the cluster's writer endpoint host name without scheme or port, e.g. rdsCluster.endpoint; the port goes in databasePort.";
const SUPPRESSION_REASON = "write at least 10 saying why the rule does not apply here";

export const BAD_INPUTS: BadInputRow[] = [
  // ---------------------------------------------------------------- HaStack
  { module: "HaStack", case: "an empty region", build: stack({ region: "" }), field: "region", value: '""', fix: STACK_REGION },
  { module: "HaStack", case: "an upper-case region", build: stack({ region: "US-EAST-1" }), field: "region", value: '"US-EAST-1"', fix: STACK_REGION },
  { module: "HaStack", case: "an AZ given as the region", build: stack({ region: "us-east-1a" }), field: "region", value: '"us-east-1a"', fix: STACK_REGION },
  { module: "HaStack", case: "a made-up region", build: stack({ region: "mars-1" }), field: "region", value: '"mars-1"', fix: STACK_REGION },
  { module: "HaStack", case: "an empty project", build: stack({ project: "" }), field: "project", value: '""', fix: PROJECT_NAME },
  { module: "HaStack", case: "a project with a space", build: stack({ project: "shop prod" }), field: "project", value: '"shop prod"', fix: PROJECT_NAME },
  { module: "HaStack", case: "a project with a slash", build: stack({ project: "team/shop" }), field: "project", value: '"team/shop"', fix: PROJECT_NAME },
  { module: "HaStack", case: "a project given as a number", build: stack({ project: 42 as unknown as string }), field: "project", value: "42", fix: PROJECT_NAME },
  {
    module: "HaStack",
    case: "an S3 backend without a bucket",
    build: stack({ backend: { type: "s3", bucket: "" } }),
    field: "backend.bucket",
    value: '""',
    fix: STATE_BUCKET,
  },
  {
    module: "HaStack",
    case: "an unknown policy pack",
    build: stack({ policyPacks: ["compliance" as PolicyPack] }),
    field: "policyPacks",
    value: '"compliance"',
    fix: PACKS,
  },
  {
    module: "HaStack",
    case: "a policy pack listed twice",
    build: stack({ policyPacks: [PolicyPack.SECURITY, PolicyPack.SECURITY] }),
    field: "policyPacks",
    value: '"security"',
    fix: PACK_ONCE,
  },
  {
    module: "HaStack",
    case: "policy packs given as a string",
    build: stack({ policyPacks: "security" as unknown as PolicyPack[] }),
    field: "policyPacks",
    value: '"security"',
    fix: "use e.g. [PolicyPack.SECURITY, PolicyPack.HA]",
  },
  {
    module: "HaStack",
    case: "a local endpoint that is not on loopback",
    build: stack({ localEndpoint: "http://10.0.0.5:5000" }),
    field: "localEndpoint",
    value: '"http://10.0.0.5:5000"',
    fix: LOCAL_ENDPOINT,
  },
  {
    module: "HaStack",
    case: "a local endpoint without a port",
    build: stack({ localEndpoint: "http://127.0.0.1" }),
    field: "localEndpoint",
    value: '"http://127.0.0.1"',
    fix: LOCAL_ENDPOINT,
  },
  {
    module: "HaStack",
    case: "a local endpoint given as a number (JavaScript caller)",
    build: stack({ localEndpoint: 5000 as unknown as string }),
    field: "localEndpoint",
    value: "5000",
    fix: LOCAL_ENDPOINT,
  },
  {
    module: "HaStack",
    case: "a local endpoint with an S3 backend",
    build: stack({ localEndpoint: "http://127.0.0.1:5000", backend: { type: "s3", bucket: "state" } }),
    field: "localEndpoint",
    value: '"http://127.0.0.1:5000"',
    fix: 'use backend: { type: "local" } with a local endpoint',
  },
  {
    module: "HaStack",
    case: "teardown given as a string (JavaScript caller)",
    build: stack({ teardown: "yes" as unknown as boolean }),
    field: "teardown",
    value: '"yes"',
    fix: "pass true or false",
  },

  // ---------------------------------------------------------------- HaVpc
  ...haVpcRows(),

  // ---------------------------------------------------------------- loadStackConfig → lab / dev
  { module: "loadStackConfig", case: "HA_REGION without dashes", build: fromEnv({ HA_REGION: "useast1" }), field: "HA_REGION", value: '"useast1"', fix: 'set it to one like "us-east-1", or unset it for us-east-1' },
  { module: "loadStackConfig", case: "HA_AZS with one AZ", build: fromEnv({ HA_AZS: "us-east-1a" }), field: "HA_AZS", value: '["us-east-1a"]', fix: 'List 2 or more AZs separated by commas, e.g. "us-east-1a,us-east-1b"' },
  { module: "loadStackConfig", case: "HA_AZS with only separators", build: fromEnv({ HA_AZS: " , ," }), field: "HA_AZS", value: "[]", fix: 'set it to 2 or more AZ names separated by commas, e.g. "us-east-1a,us-east-1b", or unset it for us-east-1a, us-east-1b' },
  {
    module: "loadStackConfig",
    case: "HA_AWS_ENDPOINT pointing at another host",
    build: fromEnv({ HA_AWS_ENDPOINT: "https://ec2.us-east-1.amazonaws.com" }),
    field: "localEndpoint",
    value: '"https://ec2.us-east-1.amazonaws.com"',
    fix: LOCAL_ENDPOINT,
  },
  {
    module: "loadStackConfig",
    case: "HA_AZS spanning two regions (dev)",
    build: fromEnv({ HA_AZS: "us-east-1a, us-west-2b" }, DevStack),
    field: "HA_AZS",
    value: '["us-east-1a","us-west-2b"]',
    fix: "a VPC lives in one region, so pick AZs of one",
  },
  {
    module: "loadStackConfig",
    case: "HA_REGION that HA_AZS are not in",
    build: fromEnv({ HA_REGION: "eu-west-1", HA_AZS: "us-east-1a,us-east-1b" }),
    field: "HA_AZS",
    value: "HA_REGION is eu-west-1",
    fix: 'use AZs of eu-west-1 (e.g. "eu-west-1a") or change the region',
  },

  // ---------------------------------------------------------------- AppTier
  ...appTierRows(),
  // ---------------------------------------------------------------- AuroraCluster
  ...auroraRows(),
  // ---------------------------------------------------------------- inventory-app user data
  {
    module: "inventory-app",
    case: "a literal password in user data",
    build: userData({ masterPassword: "hunter2hunter2" }),
    field: "masterPassword",
    value: "<redacted, 14 characters>",
    fix: "the app reads it from Secrets Manager, so pass secretArn instead",
  },
  { module: "inventory-app", case: "an empty database endpoint", build: userData({ databaseEndpoint: "" }), field: "databaseEndpoint", value: '""', fix: DB_ENDPOINT },
  {
    module: "inventory-app",
    case: "an endpoint with a scheme",
    build: userData({ databaseEndpoint: "mysql://db.example.com" }),
    field: "databaseEndpoint",
    value: '"mysql://db.example.com"',
    fix: DB_ENDPOINT,
  },
  { module: "inventory-app", case: "an app port of 0", build: userData({ appPort: 0 }), field: "appPort", value: "0", fix: "Pass a literal whole number from 1 to 65535." },
  {
    module: "inventory-app",
    case: "NAT mode NONE with interface endpoints but no secretsmanager",
    build: appWithoutNat({ interfaceEndpoints: [InterfaceEndpointService.SSM, InterfaceEndpointService.LOGS] }, { databaseCaBundleUrl: null }),
    field: "interfaceEndpoints",
    value: '(["ssm","logs"]) lack "secretsmanager"',
    fix: "Add InterfaceEndpointService.SECRETS_MANAGER to the HaVpc's interfaceEndpoints, or give it NAT gateways",
  },
  {
    module: "inventory-app",
    case: "NAT mode NONE without the S3 gateway endpoint the package install needs",
    build: appWithoutNat({ interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER], gatewayEndpoints: [] }, { databaseCaBundleUrl: null }),
    field: "gatewayEndpoints",
    value: '([]) lack "s3"',
    fix: "Keep the HaVpc's default gatewayEndpoints ([GatewayEndpointService.S3])",
  },
  {
    module: "inventory-app",
    case: "NAT mode NONE with the RDS CA bundle still downloaded from the internet",
    build: appWithoutNat({ interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER] }),
    field: "databaseCaBundleUrl",
    value: '"https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"',
    fix: "Bake the RDS CA bundle into the image at databaseCaBundlePath and set databaseCaBundleUrl: null, or give the network NAT gateways",
  },
  { module: "inventory-app", case: "a relative config path", build: userData({ configPath: "etc/app.json" }), field: "configPath", value: '"etc/app.json"', fix: "Pass a literal absolute path of letters, digits and . _ - / (no spaces, no .., no tokens)." },
  // ---------------------------------------------------------------- Guardrails
  {
    module: "Guardrails",
    case: "a suppression of an unknown rule",
    build: () => Guardrails.suppress(testStack(), "HA-NAT-9", REASON),
    field: "ruleId",
    value: '"HA-NAT-9"',
    fix: `use one of ${ALL_RULES.map((r) => r.id).join(", ")}`,
  },
  {
    module: "Guardrails",
    case: "a suppression whose rule id is a number (a JavaScript caller)",
    build: () => Guardrails.suppress(testStack(), 1 as unknown as string, REASON),
    field: "ruleId",
    value: "1",
    fix: `use one of ${ALL_RULES.map((r) => r.id).join(", ")}`,
  },
  {
    module: "Guardrails",
    case: "a suppression with spaces around the rule id",
    build: () => Guardrails.suppress(testStack(), " HA-NAT-1 ", REASON),
    field: "ruleId",
    value: '" HA-NAT-1 ") is not a guardrail rule; did you mean "HA-NAT-1"?',
    fix: 'did you mean "HA-NAT-1"?',
  },
  {
    module: "Guardrails",
    case: "a suppression with a lower-case rule id",
    build: () => Guardrails.suppress(testStack(), "ha-nat-1", REASON),
    field: "ruleId",
    value: '"ha-nat-1") is not a guardrail rule; did you mean "HA-NAT-1"?',
    fix: 'did you mean "HA-NAT-1"?',
  },
  {
    module: "Guardrails",
    case: "a suppression without a reason",
    build: () => Guardrails.suppress(testStack(), "HA-NAT-1", undefined as unknown as string),
    field: "reason",
    value: "undefined",
    fix: SUPPRESSION_REASON,
  },
  { module: "Guardrails", case: "a suppression with an empty reason", build: () => Guardrails.suppress(testStack(), "HA-NAT-1", ""), field: "reason", value: '""', fix: SUPPRESSION_REASON },
  {
    module: "Guardrails",
    case: "a suppression with a 9-character reason",
    build: () => Guardrails.suppress(testStack(), "HA-NAT-1", "too short"),
    field: "reason",
    value: '"too short"',
    fix: SUPPRESSION_REASON,
  },
  {
    module: "Guardrails",
    case: "a suppression whose reason is mostly spaces",
    build: () => Guardrails.suppress(testStack(), "SEC-SG-1", "   ok      "),
    field: "reason",
    value: '"   ok      "',
    fix: SUPPRESSION_REASON,
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
    fix: "suppress each rule once per construct",
  },
  {
    module: "Guardrails",
    case: "an aspect with an unknown pack",
    build: () => new GuardrailsAspect({ packs: ["pci" as PolicyPack] }),
    field: "packs",
    value: '"pci"',
    fix: PACKS,
  },
  {
    module: "Guardrails",
    case: "an aspect with a pack listed twice",
    build: () => new GuardrailsAspect({ packs: [PolicyPack.HA, PolicyPack.HA] }),
    field: "packs",
    value: '"ha"',
    fix: PACK_ONCE,
  },
  // ---------------------------------------------------------------- estimateMonthlyCost
  ...costRows(),

  // ---------------------------------------------------------------- connection budget (AppTier + inventoryUserDataFor + AuroraCluster)
  {
    module: "connection budget",
    case: "php-fpm's old default of 50 workers × 4 instances on db.t4g.medium (90 connections)",
    build: pooledApp({ instanceClass: "db.t4g.medium" }, { maxCapacity: 4 }, { maxChildren: 50 }),
    field: "maxChildren",
    value: "(50",
    fix: "Fix: set maxChildren: 20 (or less) in inventoryUserDataFor's options, lower maxCapacity to 1 or less, or give the database test/Db a larger instanceClass (max_connections of db.t4g.medium is 90)",
  },
  {
    module: "connection budget",
    case: "a default-sized pool on instances too many for db.t3.small (45 connections)",
    build: pooledApp({ instanceClass: "db.t3.small" }, { maxCapacity: 6 }),
    field: "maxCapacity",
    value: "(6)",
    fix: "Fix: set maxChildren: 5 (or less) in inventoryUserDataFor's options, lower maxCapacity to 4 or less, or give the database test/Db a larger instanceClass (max_connections of db.t3.small is 45)",
  },
  {
    module: "connection budget",
    case: "a pool sized for m6i.2xlarge (48 workers) on t3.micro instances",
    build: pooledApp({ instanceClass: "db.r6g.large" }, { instanceType: "t3.micro" }, { instanceType: "m6i.2xlarge" }),
    field: "instanceType",
    value: '"t3.micro"',
    fix: 'pass instanceType: "t3.micro" to inventoryUserDataFor too (or set maxChildren there explicitly)',
  },
  {
    module: "connection budget",
    case: "a database class whose max_connections is not published in the table",
    build: pooledApp({ instanceClass: "db.x9z.large" }, {}),
    field: "instanceClass",
    value: '"db.x9z.large"',
    fix: `use one of ${Object.keys(AURORA_MYSQL_MAX_CONNECTIONS).join(", ")}`,
  },
  {
    module: "AuroraCluster",
    case: "allowFrom with an IAM database user that is not a user name",
    build: () => {
      const s = testStack();
      const net = new HaVpc(s, "Net", { azs: AZS });
      const db = new AuroraCluster(s, "Db", { vpc: net });
      db.allowFrom(new AppTier(s, "App", { vpc: net }), { iamDatabaseUser: "app user; DROP" });
    },
    field: "iamDatabaseUser",
    value: '"app user; DROP"',
    fix: "pass the literal name of a user created WITH AWSAuthenticationPlugin (letters, digits and _, at most 32 characters)",
  },
  {
    module: "inventory-app",
    case: "a China region with no CA bundle URL (no default for that partition)",
    build: userData({ region: "cn-north-1", secretArn: "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:rds!cluster-abc-AbCdEf" }),
    field: "databaseCaBundleUrl",
    value: '"cn-north-1"',
    fix: "Pass the RDS certificate bundle URL of that partition from AWS's documentation, or null with the bundle already at databaseCaBundlePath on the image.",
  },
  { module: "connection budget", case: "a pool of 0 workers", build: userData({ maxChildren: 0 }), field: "maxChildren", value: "0", fix: "Pass a literal whole number from 1 to 500." },
  { module: "connection budget", case: "a malformed instance type for the pool", build: userData({ instanceType: "large" }), field: "instanceType", value: '"large"', fix: `Pass the app tier's instance type, e.g. "t3.micro", or set maxChildren explicitly.` },
  // ---------------------------------------------------------------- HaMonitoring
  ...monitoringRows(),
  // ---------------------------------------------------------------- FailureDrills
  ...drillRows(),
  // ---------------------------------------------------------------- npm run drill
  { module: "npm run drill", case: "an unknown drill", build: drillCommand("lab", "zone-loss", "--dry-run"), field: "valid drills: instance-loss, db-failover, az-loss", value: '"zone-loss"', fix: "valid drills: instance-loss, db-failover, az-loss" },
  { module: "npm run drill", case: "a drill the stack does not carry", build: drillCommand("dev", "az-loss", "--az", "us-east-1a"), field: "valid drills: instance-loss", value: '"az-loss"', fix: "valid drills: instance-loss (dev does not carry db-failover, az-loss)" },
  { module: "npm run drill", case: "an unknown AZ", build: drillCommand("lab", "az-loss", "--az", "us-east-1c", "--dry-run"), field: "valid AZs: us-east-1a, us-east-1b", value: '"us-east-1c"', fix: "valid AZs: us-east-1a, us-east-1b" },
  { module: "npm run drill", case: "an AZ loss without --az", build: drillCommand("lab", "az-loss", "--dry-run"), field: "--az", value: "valid AZs: us-east-1a, us-east-1b", fix: "needs --az <AZ>; valid AZs: us-east-1a, us-east-1b" },
  { module: "npm run drill", case: "an unknown stack", build: drillCommand("prod", "instance-loss"), field: "the stacks are: dev, lab", value: '"prod"', fix: "the stacks are: dev, lab" },
  { module: "npm run drill", case: "a PRODUCTION-intent stack without --yes-production", build: drillCommand("lab", "instance-loss"), field: "--yes-production", value: "PRODUCTION-intent", fix: "Add --yes-production to start it anyway, or --dry-run to see what it would do" },
  // ---------------------------------------------------------------- issue 15: classes a new team met
  // Each row below was accepted silently, crashed with a TypeError, or gave an unclear message
  // before issue 15. Enums and booleans are checked at run time, for JavaScript callers.
  { module: "HaStack", case: "an unknown intent string", build: stack({ intent: "prod" as StackIntent }), field: "intent", value: '"prod") is not a StackIntent', fix: 'use StackIntent.PRODUCTION ("production") or StackIntent.DEVELOPMENT ("development")' },
  {
    module: "HaStack",
    case: "intent in the wrong case, blamed on intent itself",
    build: aurora({}, "Production" as StackIntent),
    field: "intent",
    value: '"Production") is not a StackIntent; did you mean StackIntent.PRODUCTION',
    fix: 'did you mean StackIntent.PRODUCTION ("production")? Values are case-sensitive',
  },
  { module: "HaStack", case: "an unknown backend type", build: stack({ backend: { type: "S3" } as unknown as StateBackendConfig }), field: "backend.type", value: '"S3"', fix: 'did you mean "s3"? Values are case-sensitive' },
  { module: "HaStack", case: "an invalid state bucket name", build: stack({ backend: { type: "s3", bucket: "My_State" } }), field: "backend.bucket", value: '"My_State"', fix: STATE_BUCKET },
  {
    module: "HaStack",
    case: "an invalid state bucket region",
    build: stack({ backend: { type: "s3", bucket: "team-state", region: "eu-west" } }),
    field: "backend.region",
    value: '"eu-west"',
    fix: `pass the bucket's region, e.g. "us-east-1", or leave it unset for the stack's`,
  },
  { module: "HaStack", case: "an empty environment", build: stack({ environment: "" }), field: "environment", value: '""', fix: 'so name it, e.g. "prod"' },
  { module: "HaStack", case: "an environment that is no tag value", build: stack({ environment: "prod;drop" }), field: "environment", value: '"prod;drop"', fix: "use up to 256 letters, digits, spaces and _ . : / = + - @" },
  {
    module: "HaVpc",
    case: "a region prop other than the stack's",
    build: vpc({ azs: ["eu-west-1a", "eu-west-1b"], region: "eu-west-1" }),
    field: "region",
    value: '"eu-west-1") differs from the stack\'s region (us-east-1)',
    fix: "a VPC is created in its stack's region, so drop region (it defaults to the stack's) or build the VPC in a stack of eu-west-1",
  },
  {
    module: "HaVpc",
    case: "a custom subnet smaller than /28",
    build: vpc({ subnetCidrs: { public: { "us-east-1a": "10.0.96.0/30" } } }),
    field: 'subnetCidrs.public["us-east-1a"]',
    value: '"10.0.96.0/30"',
    fix: "AWS subnets are /16 to /28 (a /28 holds 11 usable addresses), so use /28 or larger",
  },
  {
    module: "HaVpc",
    case: "a prefix length for an unknown tier",
    build: vpc({ subnetPrefixLengths: { dmz: 24 } as HaVpcProps["subnetPrefixLengths"] }),
    field: "subnetPrefixLengths",
    value: '"dmz"',
    fix: 'use ["public","private","isolated"]',
  },
  { module: "HaVpc", case: "a name no log group can carry", build: vpc({ name: "shop prod" }), field: "name", value: '"shop prod"', fix: VPC_NAME },
  { module: "HaVpc", case: "an empty name (empty Name tags)", build: vpc({ name: "" }), field: "name", value: '"") is empty', fix: VPC_NAME },
  { module: "HaVpc", case: "a multicast VPC CIDR", build: vpc({ cidr: "224.0.0.0/16" }), field: "cidr", value: '"224.0.0.0/16") overlaps 224.0.0.0/4 (multicast)', fix: VPC_PRIVATE_BLOCK },
  { module: "HaVpc", case: "a loopback VPC CIDR", build: vpc({ cidr: "127.0.0.0/16" }), field: "cidr", value: '"127.0.0.0/16") overlaps 127.0.0.0/8 (loopback)', fix: VPC_PRIVATE_BLOCK },
  { module: "HaVpc", case: "a boolean given as a string", build: vpc({ allowSingleAz: "false" as unknown as boolean }), field: "allowSingleAz", value: '"false") is a string, not a boolean', fix: "write allowSingleAz: false, without quotes" },
  {
    module: "HaVpc",
    case: "AZs as one comma-separated string",
    build: vpc({ azs: "us-east-1a,us-east-1b" as unknown as string[] }),
    field: "azs",
    value: '"us-east-1a,us-east-1b") is a string, not a list',
    fix: 'a string is not split, so write it as a list, e.g. ["us-east-1a", "us-east-1b"]',
  },
  {
    module: "AppTier",
    case: "a certificate of another partition than the stack's region",
    build: appTier({ certificateArn: "arn:aws-cn:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" }),
    field: "certificateArn",
    value: "is in partition aws-cn but the ALB's region us-east-1 is in aws",
    fix: 'use a certificate ARN of the form "arn:aws:acm:us-east-1:…"',
  },
  { module: "AppTier", case: "a vpc that is not an HaVpc", build: appTier({ vpc: {} as HaVpc }), field: "vpc", value: "({}) is an object, not an instance of HaVpc", fix: "pass the HaVpc the tier runs in" },
  {
    module: "AppTier",
    case: "allowed CIDRs as one string",
    build: appTier({ allowedCidrs: "0.0.0.0/0" as unknown as string[] }),
    field: "allowedCidrs",
    value: '"0.0.0.0/0") is a string, not a list',
    fix: 'a string is not split, so write it as a list, e.g. ["203.0.113.0/24"]',
  },
  {
    module: "AppTier",
    case: "access logs switched off with the string false",
    build: appTier({ accessLogs: { enabled: "false" as unknown as boolean } }),
    field: "accessLogs.enabled",
    value: '"false") is a string, not a boolean',
    fix: "write accessLogs.enabled: false, without quotes",
  },
  { module: "AppTier", case: "a NaN capacity", build: appTier({ minCapacity: NaN }), field: "minCapacity", value: "(NaN)", fix: "e.g. 2 (one instance per AZ, the default)" },
  { module: "AppTier", case: "an unknown redundancy mode in the wrong case", build: appTier({ redundancy: "reduced" as InstanceRedundancy }), field: "redundancy", value: "did you mean InstanceRedundancy.REDUCED", fix: 'did you mean InstanceRedundancy.REDUCED ("REDUCED")? Values are case-sensitive' },
  { module: "AuroraCluster", case: "infinitely many instances", build: aurora({ instances: Infinity }), field: "instances", value: "(Infinity)", fix: "pass 2 for a writer and one reader in another AZ" },
  { module: "AuroraCluster", case: "a VPC id instead of an HaVpc", build: aurora({ vpc: "vpc-0abc" as unknown as HaVpc }), field: "vpc", value: '"vpc-0abc") is a string, not an instance of HaVpc', fix: 'pass the HaVpc built in the same stack (new HaVpc(stack, "Network", { azs }))' },
  { module: "AuroraCluster", case: "a boolean given as a string", build: aurora({ deletionProtection: "false" as unknown as boolean }), field: "deletionProtection", value: '"false") is a string, not a boolean', fix: "write deletionProtection: false, without quotes" },
  {
    module: "AuroraCluster",
    case: "a secret access key pasted into a KMS key ARN (not echoed)",
    build: aurora({ masterUserSecretKmsKeyArn: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }),
    field: "masterUserSecretKmsKeyArn",
    value: "(<redacted, 40 characters>)",
    fix: `pass one like "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", or a key's arn attribute`,
  },
  {
    module: "AuroraCluster",
    case: "allowFrom(undefined)",
    build: () => aurora({})().allowFrom(undefined as unknown as AppTier),
    field: "allowFrom",
    value: "allowFrom(undefined) needs a database client",
    fix: DB_CLIENT,
  },
  {
    module: "AuroraCluster",
    case: "allowFrom({})",
    build: () => aurora({})().allowFrom({} as AppTier),
    field: "allowFrom(client).securityGroup",
    value: "(undefined) is undefined, not a construct",
    fix: DB_CLIENT,
  },
  {
    module: "AuroraCluster",
    case: "an instance pinned to an AZ outside the VPC",
    build: aurora({ instanceAzs: ["us-east-1a", "us-east-1c"] }),
    field: "instanceAzs[1]",
    value: '"us-east-1c"',
    fix: "place each instance in one of them",
  },
  {
    module: "AuroraCluster",
    case: "instances disagreeing with instanceAzs",
    build: aurora({ instances: 3, instanceAzs: ["us-east-1a", "us-east-1b"] }),
    field: "instances",
    value: "(3) differs from instanceAzs",
    fix: "drop instances (it follows instanceAzs) or give one AZ per instance",
  },
  {
    module: "AuroraCluster",
    case: "every pinned instance in one AZ",
    build: aurora({ instanceAzs: ["us-east-1a", "us-east-1a"] }),
    field: "instanceAzs",
    value: '["us-east-1a","us-east-1a"]',
    fix: "place at least one instance in another AZ of the vpc",
  },
  {
    module: "Guardrails",
    case: "a suppression on no construct",
    build: () => Guardrails.suppress(undefined as unknown as HaVpc, "HA-NAT-1", REASON),
    field: "scope",
    value: "(undefined) is undefined, not a construct",
    fix: 'pass the construct whose finding you accept, e.g. Guardrails.suppress(network, "HA-NAT-1", "<why>")',
  },
  { module: "loadStackConfig", case: "HA_AZS separated by semicolons", build: fromEnv({ HA_AZS: "us-east-1a;us-east-1b" }), field: "HA_AZS", value: '";"; separate them with commas', fix: 'separate them with commas, e.g. "us-east-1a,us-east-1b"' },
  { module: "loadStackConfig", case: "HA_STATE_BUCKET given as a URL", build: fromEnv({ HA_STATE_BUCKET: "s3://team-state" }), field: "HA_STATE_BUCKET", value: '"s3://team-state"', fix: STATE_BUCKET_ENV },
  {
    module: "loadStackConfig",
    case: "an access key id in HA_STATE_BUCKET (not echoed)",
    build: fromEnv({ HA_STATE_BUCKET: "AKIAIOSFODNN7EXAMPLE" }),
    field: "HA_STATE_BUCKET",
    value: "(<redacted, 20 characters>)",
    fix: STATE_BUCKET_ENV,
  },
  { module: "loadStackConfig", case: "HA_STATE_REGION not a region", build: fromEnv({ HA_STATE_BUCKET: "team-state", HA_STATE_REGION: "Ohio" }), field: "HA_STATE_REGION", value: '"Ohio"', fix: `set it to the state bucket's region, e.g. "us-east-1", or unset it for the stack's` },
];

/** AppTier: every check of modules/app-tier/validation.ts and lib/naming.ts, each branch and limit, also from JavaScript. */
function appTierRows(): BadInputRow[] {
  const row = rowMaker("AppTier");
  /** An AppTier in a stack of another region (AZs a and b of it). */
  const appTierIn = (region: string, props: Partial<AppTierProps>) => () => {
    const s = testStack({ region });
    return new AppTier(s, "App", { vpc: new HaVpc(s, "Net", { azs: [`${region}a`, `${region}b`] }), ...props });
  };
  const anyProps = (props: Record<string, unknown>) => appTier(props as Partial<AppTierProps>);
  const NAME = "Pass letters, digits and hyphens, 1 to 32 characters, starting and ending with a letter or digit";
  const CIDR = 'pass IPv4 blocks like "203.0.113.0/24" or "0.0.0.0/0"';
  const THRESHOLD = "must be a whole number from 2 to 10 (the AWS range)";
  const DESIRED = "must be a whole number from minCapacity (2) to maxCapacity (4); pick one in that range or leave it unset for minCapacity";
  const UUID = "12345678-90ab-cdef-1234-567890abcdef";
  const CERT = `arn:aws:acm:us-east-1:123456789012:certificate/${UUID}`;
  const NOT_ACM = (region: string) =>
    `is not an ACM certificate ARN; pass one like "arn:aws:acm:${region}:123456789012:certificate/<uuid>" (IAM server certificates are not supported)`;
  const POLICY = 'is not an ELB security policy name; use e.g. "ELBSecurityPolicy-TLS13-1-2-2021-06"';
  const INSTANCE_TYPE = 'is not an EC2 instance type; use family.size, e.g. "t3.micro" or "m7g.large"';
  const IMAGE = 'is neither an AMI id ("ami-0123456789abcdef0") nor "resolve:ssm:<parameter>"';
  const DEVICE = 'is not a device name; use the image\'s root device, e.g. "/dev/xvda"';
  const PORT = "must be a whole number from 1 to 65535";
  const VOLUME = "must be a whole number from 8 to 16384";
  const HOPS = "must be a whole number from 1 to 2; 1 for processes on the instance, 2 for containers with bridge networking";
  const GRACE = "must be a whole number from 0 to 7200";
  const CPU = "must be a percentage above 0 and at most 100; e.g. 50";
  const PREFIX =
    'is not a usable log prefix; use letters, digits and !_.*\'()- in slash-separated parts, no leading or trailing slash, and not "AWSLogs" (ELB adds it)';
  const BUCKET = "is not an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)";
  const OWN_BUCKET = 'names your own; configure that bucket directly, or drop bucketName';
  const LOGS_OFF = "has no effect with accessLogs.enabled false; drop it or enable logs";
  const EXPIRY = "must be a whole number of days >= 1; e.g. 90";
  return [
    // --- capacity (the first rows predate the fix column; their names are kept)
    row("min above max", appTier({ minCapacity: 4, maxCapacity: 2 }), "minCapacity", "4", "is greater than maxCapacity (2); raise maxCapacity to at least 4 or lower minCapacity"),
    row("desired below min", appTier({ minCapacity: 2, desiredCapacity: 1, maxCapacity: 4 }), "desiredCapacity", "1", DESIRED),
    row("desired above max", appTier({ desiredCapacity: 9, maxCapacity: 4 }), "desiredCapacity", "9", DESIRED),
    row(
      "fewer instances than AZs without REDUCED",
      appTier({ minCapacity: 1, desiredCapacity: 1 }),
      "minCapacity",
      "1",
      "must be >= the number of AZs (2) for HA: with fewer, losing an AZ can leave no running instance. Set minCapacity: 2, or set redundancy: InstanceRedundancy.REDUCED to accept that",
    ),
    row("a malformed instance type", appTier({ instanceType: "t3micro" }), "instanceType", '"t3micro"', INSTANCE_TYPE),
    row(
      "a certificate that is not an ACM ARN",
      appTier({ certificateArn: "arn:aws:iam::123456789012:server-certificate/web" }),
      "certificateArn",
      '"arn:aws:iam::123456789012:server-certificate/web"',
      NOT_ACM("us-east-1"),
    ),
    row("a health-check path without a slash", appTier({ healthCheckPath: "health" }), "healthCheckPath", '"health"', 'must start with "/"; use e.g. "/health"'),
    row("a healthy threshold of 1", appTier({ healthyThreshold: 1 }), "healthyThreshold", "1", THRESHOLD),
    row("an unhealthy threshold of 11", appTier({ unhealthyThreshold: 11 }), "unhealthyThreshold", "11", THRESHOLD),
    row(
      "an allowed CIDR with host bits",
      appTier({ allowedCidrs: ["10.0.0.1/8"] }),
      "allowedCidrs[0]",
      '"10.0.0.1/8"',
      `has host bits set (the address is not the first of its block); ${CIDR}`,
    ),
    row("a name longer than AWS allows", appTier({ name: "a".repeat(40) }), "name", `"${"a".repeat(40)}"`, `has 40 characters; an ALB name allows at most 32. ${NAME}`),
    row("a name starting with internal-", appTier({ name: "internal-web" }), "name", '"internal-web"', `starts with "internal-", which AWS reserves. ${NAME}`),

    // --- props and the network
    row(
      "no props at all (JavaScript caller)",
      () => new AppTier(testStack(), "App", undefined as unknown as AppTierProps),
      "props",
      "(undefined)",
      "are missing; pass e.g. { vpc: network }",
    ),
    row(
      "props given as a string (JavaScript caller)",
      () => new AppTier(testStack(), "App", "shop" as unknown as AppTierProps),
      "props",
      '("shop")',
      "is a string, not an object of settings; pass e.g. { vpc: network }",
    ),
    row("no vpc", appTier({ vpc: undefined }), "vpc", "(undefined)", "is missing; pass the HaVpc the tier runs in"),
    row("a VPC id instead of an HaVpc", anyProps({ vpc: "vpc-0abc" }), "vpc", '("vpc-0abc")', "is a string, not an instance of HaVpc; pass the HaVpc the tier runs in"),
    row(
      "deletion protection as the string false",
      anyProps({ deletionProtection: "false" }),
      "deletionProtection",
      '("false")',
      "is a string, not a boolean; write deletionProtection: false, without quotes",
    ),
    row("deletion protection as a number", anyProps({ deletionProtection: 0 }), "deletionProtection", "(0)", "is a number, not a boolean; pass true or false"),

    // --- names
    row(
      "a name given as a token",
      () => {
        const s = testStack();
        const net = new HaVpc(s, "Net", { azs: AZS });
        return new AppTier(s, "App", { vpc: net, name: net.vpcId });
      },
      "name",
      '("${TfToken[TOKEN.',
      "is a token; other names are derived from it at synth, so pass a literal string",
    ),
    row("a name that is not text (JavaScript caller)", anyProps({ name: 42 }), "name", "(42)", 'is a number, not a string; pass the ALB name as text, e.g. "shop"'),
    row("an empty name", appTier({ name: "" }), "name", '("")', `is empty; an ALB name needs 1 to 32 characters. ${NAME}`),
    row("a name with an underscore", appTier({ name: "shop_app" }), "name", '"shop_app"', `has characters other than letters, digits and hyphens. ${NAME}`),
    row("a name ending with a hyphen", appTier({ name: "shop-" }), "name", '"shop-"', `ends with a hyphen, which an ALB name may not. ${NAME}`),

    // --- the app port and the health check
    row("an app port of 0", appTier({ appPort: 0 }), "appPort", "(0)", PORT),
    row("an app port of 65536", appTier({ appPort: 65536 }), "appPort", "(65536)", PORT),
    row("a fractional app port", appTier({ appPort: 80.5 }), "appPort", "(80.5)", PORT),
    row("an app port given as text (JavaScript caller)", anyProps({ appPort: "8080" }), "appPort", '("8080")', PORT),
    row(
      "a health-check path longer than 1024 characters",
      appTier({ healthCheckPath: `/${"a".repeat(1024)}` }),
      "healthCheckPath",
      "(1025 characters)",
      "is longer than the 1024 AWS allows; shorten it to at most 1024 characters",
    ),
    row("a health-check path that is not text (JavaScript caller)", anyProps({ healthCheckPath: 42 }), "healthCheckPath", "(42)", 'is a number, not a string; pass a path like "/health"'),
    row("a healthy threshold of 11", appTier({ healthyThreshold: 11 }), "healthyThreshold", "(11)", THRESHOLD),
    row("a fractional healthy threshold", appTier({ healthyThreshold: 2.5 }), "healthyThreshold", "(2.5)", THRESHOLD),
    row("an unhealthy threshold of 1", appTier({ unhealthyThreshold: 1 }), "unhealthyThreshold", "(1)", THRESHOLD),
    row("an unhealthy threshold given as text (JavaScript caller)", anyProps({ unhealthyThreshold: "3" }), "unhealthyThreshold", '("3")', THRESHOLD),

    // --- who may reach the ALB
    row(
      "an empty allowedCidrs",
      appTier({ allowedCidrs: [] }),
      "allowedCidrs",
      "([])",
      'lets nobody reach the internet-facing ALB; list the client blocks, e.g. ["203.0.113.0/24"], or leave it unset for anyone (["0.0.0.0/0"])',
    ),
    row(
      "allowed CIDRs as one comma-separated string (JavaScript caller)",
      anyProps({ allowedCidrs: "203.0.113.0/24,198.51.100.0/24" }),
      "allowedCidrs",
      '("203.0.113.0/24,198.51.100.0/24")',
      'is a string, not a list; a string is not split, so write it as a list, e.g. ["203.0.113.0/24"]',
    ),
    row(
      "an unset entry (e.g. an environment variable that is not set)",
      anyProps({ allowedCidrs: [undefined] }),
      "allowedCidrs[0]",
      "(undefined)",
      `is not an IPv4 CIDR block like 10.0.0.0/16; ${CIDR}`,
    ),
    row("an allowed CIDR that is no CIDR", appTier({ allowedCidrs: ["anywhere"] }), "allowedCidrs[0]", '("anywhere")', `is not an IPv4 CIDR block like 10.0.0.0/16; ${CIDR}`),
    row("an octet above 255 in the second block", appTier({ allowedCidrs: ["0.0.0.0/0", "10.0.0.256/32"] }), "allowedCidrs[1]", '("10.0.0.256/32")', `has an octet above 255; ${CIDR}`),
    row(
      "an allowed CIDR listed twice",
      appTier({ allowedCidrs: ["203.0.113.0/24", "10.0.0.0/8", "203.0.113.0/24"] }),
      "allowedCidrs",
      'lists "203.0.113.0/24" twice',
      "list each block once",
    ),

    // --- the certificate and the TLS policy
    row(
      "a certificate from another region",
      appTier({ certificateArn: `arn:aws:acm:eu-west-1:123456789012:certificate/${UUID}` }),
      "certificateArn",
      `("arn:aws:acm:eu-west-1:123456789012:certificate/${UUID}")`,
      "is in eu-west-1 but the ALB is in us-east-1; an ALB can only use an ACM certificate of its own region, so request or import one in us-east-1",
    ),
    row(
      "a GovCloud certificate for a commercial region",
      appTier({ certificateArn: `arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/${UUID}` }),
      "certificateArn",
      `("arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/${UUID}")`,
      `is in partition aws-us-gov but the ALB's region us-east-1 is in aws; use a certificate ARN of the form "arn:aws:acm:us-east-1:…"`,
    ),
    row(
      "a commercial certificate for a China region",
      appTierIn("cn-north-1", { certificateArn: `arn:aws:acm:cn-north-1:123456789012:certificate/${UUID}` }),
      "certificateArn",
      `("arn:aws:acm:cn-north-1:123456789012:certificate/${UUID}")`,
      `is in partition aws but the ALB's region cn-north-1 is in aws-cn; use a certificate ARN of the form "arn:aws-cn:acm:cn-north-1:…"`,
    ),
    row(
      "an IAM server certificate in a stack of another region (the example names that region)",
      appTierIn("eu-west-1", { certificateArn: "arn:aws:iam::123456789012:server-certificate/web" }),
      "certificateArn",
      '"arn:aws:iam::123456789012:server-certificate/web"',
      NOT_ACM("eu-west-1"),
    ),
    row("a certificate ARN with a leading space", appTier({ certificateArn: ` ${CERT}` }), "certificateArn", `(" ${CERT}")`, NOT_ACM("us-east-1")),
    row("a certificate ARN with a trailing newline", appTier({ certificateArn: `${CERT}\n` }), "certificateArn", `("${CERT}\\n")`, NOT_ACM("us-east-1")),
    row("a certificate ARN with a short account id", appTier({ certificateArn: CERT.replace("123456789012", "12345") }), "certificateArn", ':12345:certificate', NOT_ACM("us-east-1")),
    row("a certificate ARN that is not text (JavaScript caller)", anyProps({ certificateArn: 42 }), "certificateArn", "(42)", NOT_ACM("us-east-1")),
    row(
      "an sslPolicy without a certificate",
      appTier({ sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06" }),
      "sslPolicy",
      '("ELBSecurityPolicy-TLS13-1-3-2021-06")',
      "only applies to the HTTPS listener; set certificateArn too, or drop sslPolicy",
    ),
    row("an sslPolicy that is an OpenSSL protocol name", appTier({ certificateArn: CERT, sslPolicy: "TLSv1.2" }), "sslPolicy", '("TLSv1.2")', POLICY),
    row(
      "an sslPolicy with underscores for hyphens",
      appTier({ certificateArn: CERT, sslPolicy: "ELBSecurityPolicy-TLS13_1_2_2021_06" }),
      "sslPolicy",
      '("ELBSecurityPolicy-TLS13_1_2_2021_06")',
      POLICY,
    ),
    row(
      "a custom policy name (ALBs take only the predefined ELBSecurityPolicy-… ones)",
      appTier({ certificateArn: CERT, sslPolicy: "MyELBSecurityPolicy-2016-08" }),
      "sslPolicy",
      '("MyELBSecurityPolicy-2016-08")',
      POLICY,
    ),

    // --- instances
    row("an instance type with an unknown size", appTier({ instanceType: "t3.huge" }), "instanceType", '("t3.huge")', INSTANCE_TYPE),
    row("an upper-case instance type", appTier({ instanceType: "T3.micro" }), "instanceType", '("T3.micro")', INSTANCE_TYPE),
    row("an instance type with a leading space", appTier({ instanceType: " t3.micro" }), "instanceType", '(" t3.micro")', INSTANCE_TYPE),
    row("an instance type with a trailing space", appTier({ instanceType: "t3.micro " }), "instanceType", '("t3.micro ")', INSTANCE_TYPE),
    row("an instance family without its generation", appTier({ instanceType: "m.large" }), "instanceType", '("m.large")', INSTANCE_TYPE),
    row("an image name instead of an id", appTier({ imageId: "al2023" }), "imageId", '("al2023")', IMAGE),
    row("an AMI id in upper case", appTier({ imageId: "ami-0123456789ABCDEF0" }), "imageId", '("ami-0123456789ABCDEF0")', IMAGE),
    row("an AMI id of 7 hex digits", appTier({ imageId: "ami-1234567" }), "imageId", '("ami-1234567")', IMAGE),
    row("an AMI id of 18 hex digits", appTier({ imageId: "ami-0123456789abcdef01" }), "imageId", '("ami-0123456789abcdef01")', IMAGE),
    row(
      "an image ARN instead of its id",
      appTier({ imageId: "arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0" }),
      "imageId",
      '("arn:aws:ec2:us-east-1::image/ami-0123456789abcdef0")',
      IMAGE,
    ),
    row("an SSM reference without a parameter", appTier({ imageId: "resolve:ssm:" }), "imageId", '("resolve:ssm:")', IMAGE),
    row(
      "user data above 16 KB",
      appTier({ userData: "x".repeat(16 * 1024 + 1) }),
      "userData",
      "(16385 bytes)",
      "exceeds EC2's 16384-byte limit; gzip it (cloud-init reads gzip) or fetch the bulk from S3 at boot",
    ),
    row("user data that is not text (JavaScript caller)", anyProps({ userData: 42 }), "userData", "(42)", "is a number, not a string; pass the script as text (gzip it if it is large)"),
    row("a root volume of 4 GiB", appTier({ rootVolumeSizeGiB: 4 }), "rootVolumeSizeGiB", "(4)", VOLUME),
    row("a root volume above 16 TiB", appTier({ rootVolumeSizeGiB: 16385 }), "rootVolumeSizeGiB", "(16385)", VOLUME),
    row("a fractional root volume", appTier({ rootVolumeSizeGiB: 20.5 }), "rootVolumeSizeGiB", "(20.5)", VOLUME),
    row("a root device without /dev/", appTier({ rootDeviceName: "xvda" }), "rootDeviceName", '("xvda")', DEVICE),
    row("a root device with a trailing slash", appTier({ rootDeviceName: "/dev/xvda/" }), "rootDeviceName", '("/dev/xvda/")', DEVICE),
    row("a root device under another directory", appTier({ rootDeviceName: "/mnt/dev/xvda" }), "rootDeviceName", '("/mnt/dev/xvda")', DEVICE),
    row("a metadata hop limit of 3", appTier({ metadataHopLimit: 3 }), "metadataHopLimit", "(3)", HOPS),
    row("a metadata hop limit of 0", appTier({ metadataHopLimit: 0 }), "metadataHopLimit", "(0)", HOPS),

    // --- capacity
    row(
      "an unknown redundancy",
      appTier({ redundancy: "SOME" as InstanceRedundancy }),
      "redundancy",
      '("SOME")',
      'is not an InstanceRedundancy; use InstanceRedundancy.PER_AZ ("PER_AZ") or InstanceRedundancy.REDUCED ("REDUCED")',
    ),
    row(
      "REDUCED redundancy with a minCapacity that covers every AZ",
      appTier({ redundancy: InstanceRedundancy.REDUCED, minCapacity: 2 }),
      "redundancy",
      "(REDUCED)",
      "conflicts with minCapacity (2), which already covers all 2 AZs; drop redundancy (PER_AZ is the default)",
    ),
    row("a negative minCapacity", appTier({ minCapacity: -1, redundancy: InstanceRedundancy.REDUCED }), "minCapacity", "(-1)", "must be a whole number >= 0"),
    row("a fractional minCapacity", appTier({ minCapacity: 2.5 }), "minCapacity", "(2.5)", "must be a whole number >= 0"),
    row("a maxCapacity of 0", appTier({ minCapacity: 0, maxCapacity: 0, redundancy: InstanceRedundancy.REDUCED }), "maxCapacity", "(0)", "must be a whole number >= 1; e.g. 1 (the default for minCapacity 0)"),
    row("a fractional maxCapacity", appTier({ maxCapacity: 4.5 }), "maxCapacity", "(4.5)", "must be a whole number >= 1; e.g. 4 (the default for minCapacity 2)"),
    row("a fractional desiredCapacity", appTier({ desiredCapacity: 2.5, maxCapacity: 4 }), "desiredCapacity", "(2.5)", DESIRED),
    row("a CPU target of 0 %", appTier({ targetCpuUtilization: 0 }), "targetCpuUtilization", "(0)", CPU),
    row("a CPU target above 100 %", appTier({ targetCpuUtilization: 100.5 }), "targetCpuUtilization", "(100.5)", CPU),
    row("a CPU target that is not a number", appTier({ targetCpuUtilization: NaN }), "targetCpuUtilization", "(NaN)", CPU),
    row("a CPU target given as text (JavaScript caller)", anyProps({ targetCpuUtilization: "50" }), "targetCpuUtilization", '("50")', CPU),
    row("a negative health-check grace period", appTier({ healthCheckGracePeriodSeconds: -1 }), "healthCheckGracePeriodSeconds", "(-1)", GRACE),
    row("a grace period above two hours", appTier({ healthCheckGracePeriodSeconds: 7201 }), "healthCheckGracePeriodSeconds", "(7201)", GRACE),
    row("a fractional grace period", appTier({ healthCheckGracePeriodSeconds: 1.5 }), "healthCheckGracePeriodSeconds", "(1.5)", GRACE),

    // --- access logs
    row("access logs given as a string (JavaScript caller)", anyProps({ accessLogs: "yes" }), "accessLogs", '("yes")', "is a string, not an object of settings; pass e.g. { enabled: true }"),
    row(
      "log versioning as the string yes",
      anyProps({ accessLogs: { enabled: true, versioned: "yes" } }),
      "accessLogs.versioned",
      '("yes")',
      "is a string, not a boolean; pass true or false",
    ),
    row("a log prefix of AWSLogs", appTier({ accessLogs: { enabled: true, prefix: "AWSLogs" } }), "accessLogs.prefix", '("AWSLogs")', PREFIX),
    row("a log prefix with a trailing slash", appTier({ accessLogs: { enabled: true, prefix: "shop/" } }), "accessLogs.prefix", '("shop/")', PREFIX),
    row("a log prefix with a leading slash", appTier({ accessLogs: { enabled: true, prefix: "/shop" } }), "accessLogs.prefix", '("/shop")', PREFIX),
    row("a log prefix with an empty part", appTier({ accessLogs: { enabled: true, prefix: "shop//alb" } }), "accessLogs.prefix", '("shop//alb")', PREFIX),
    row("an empty log prefix", appTier({ accessLogs: { enabled: true, prefix: "" } }), "accessLogs.prefix", '("")', PREFIX),
    row(
      "a log prefix that is not text (JavaScript caller)",
      anyProps({ accessLogs: { enabled: true, prefix: 42 } }),
      "accessLogs.prefix",
      "(42)",
      'is a number, not a string; pass a key prefix as text, e.g. "shop/alb"',
    ),
    row(
      "a log expiry with your own bucket",
      appTier({ accessLogs: { enabled: true, bucketName: "corp-logs", expirationDays: 30 } }),
      "accessLogs.expirationDays",
      "(30)",
      `applies only to the bucket the module creates, but accessLogs.bucketName ("corp-logs") ${OWN_BUCKET}`,
    ),
    row(
      "log versioning with your own bucket",
      appTier({ accessLogs: { enabled: true, bucketName: "corp-logs", versioned: false } }),
      "accessLogs.versioned",
      "(false)",
      `applies only to the bucket the module creates, but accessLogs.bucketName ("corp-logs") ${OWN_BUCKET}`,
    ),
    row("a log bucket name with capitals and an underscore", appTier({ accessLogs: { enabled: true, bucketName: "Corp_Logs" } }), "accessLogs.bucketName", '("Corp_Logs")', BUCKET),
    row("a log bucket name ending with a hyphen", appTier({ accessLogs: { enabled: true, bucketName: "corp-logs-" } }), "accessLogs.bucketName", '("corp-logs-")', BUCKET),
    row("a log bucket name of 2 characters", appTier({ accessLogs: { enabled: true, bucketName: "ab" } }), "accessLogs.bucketName", '("ab")', BUCKET),
    row("a log bucket name of 64 characters", appTier({ accessLogs: { enabled: true, bucketName: "a".repeat(64) } }), "accessLogs.bucketName", `("${"a".repeat(64)}")`, BUCKET),
    row(
      "a log bucket name that is not text (JavaScript caller)",
      anyProps({ accessLogs: { enabled: true, bucketName: 123 } }),
      "accessLogs.bucketName",
      "(123)",
      'is a number, not a string; pass the name of your log bucket, e.g. "corp-logs"',
    ),
    row("a log expiry of 0 days", appTier({ accessLogs: { enabled: true, expirationDays: 0 } }), "accessLogs.expirationDays", "(0)", EXPIRY),
    row("a fractional log expiry", appTier({ accessLogs: { enabled: true, expirationDays: 1.5 } }), "accessLogs.expirationDays", "(1.5)", EXPIRY),
    row("a log expiry given as text (JavaScript caller)", anyProps({ accessLogs: { enabled: true, expirationDays: "30" } }), "accessLogs.expirationDays", '("30")', EXPIRY),
    row("a log bucket while logs are off", appTier({ accessLogs: { enabled: false, bucketName: "corp-logs" } }), "accessLogs.bucketName", '("corp-logs")', LOGS_OFF),
    row("a log prefix while logs are off", appTier({ accessLogs: { enabled: false, prefix: "shop" } }), "accessLogs.prefix", '("shop")', LOGS_OFF),
    row("a log expiry while logs are off", appTier({ accessLogs: { enabled: false, expirationDays: 30 } }), "accessLogs.expirationDays", "(30)", LOGS_OFF),
    row("log versioning while logs are off", appTier({ accessLogs: { enabled: false, versioned: true } }), "accessLogs.versioned", "(true)", LOGS_OFF),
    row(
      "access logs without enabled (JavaScript caller)",
      anyProps({ accessLogs: { prefix: "shop" } }),
      "accessLogs.enabled",
      "(undefined)",
      "is required; pass true or false, or leave accessLogs out for the stack intent's default",
    ),
  ];
}

/** HaMonitoring: the modules it watches (also from JavaScript), its name, where alarms go, the thresholds. */
function monitoringRows(): BadInputRow[] {
  const row = rowMaker("HaMonitoring");
  const ENDPOINT = 'is neither an email address nor an https:// URL; pass e.g. "ops@example.com" or "https://hooks.example.com/alarms" (plain http is refused: alarm texts name your resources)';
  const PERCENT = "must be a percentage above 0 and at most 100";
  const noDefault = () => {
    const { s, app } = tiers();
    const database = new AuroraCluster(s, "Db2", { vpc: new HaVpc(s, "Net2", { azs: AZS }), instanceClass: "db.m5.large" });
    return new HaMonitoring(s, "Monitoring", { app, database });
  };
  return [
    row("a plain-http subscription endpoint", monitoring({ subscriptions: ["http://hooks.example.com/alarms"] }), "subscriptions[0]", '"http://hooks.example.com/alarms"', ENDPOINT),
    row("a subscription that is neither an email nor a URL", monitoring({ subscriptions: ["ops@example.com", "ops at example"] }), "subscriptions[1]", '"ops at example"', ENDPOINT),
    row("an https URL without a host", monitoring({ subscriptions: ["https://"] }), "subscriptions[0]", '"https://"', ENDPOINT),
    row("an address with a display name", monitoring({ subscriptions: ["Ops <ops@example.com>"] }), "subscriptions[0]", '"Ops <ops@example.com>"', ENDPOINT),
    row("an address followed by a note", monitoring({ subscriptions: ["ops@example.com (on call)"] }), "subscriptions[0]", '"ops@example.com (on call)"', ENDPOINT),
    row("an address as a String object (JavaScript caller)", monitoring({ subscriptions: [new String("ops@example.com")] }), "subscriptions[0]", "ops@example.com", ENDPOINT),
    row("an https URL as a String object (JavaScript caller)", monitoring({ subscriptions: [new String("https://hooks.example.com/alarms")] }), "subscriptions[0]", "https://hooks.example.com/alarms", ENDPOINT),
    row("a subscription that is not text (JavaScript caller)", monitoring({ subscriptions: [42] }), "subscriptions[0]", "(42)", ENDPOINT),
    row("subscriptions given as one string", monitoring({ subscriptions: "ops@example.com" }), "subscriptions", '"ops@example.com"', "must be a list of email addresses or https:// URLs"),
    row("the same endpoint twice", monitoring({ subscriptions: ["ops@example.com", "ops@example.com"] }), "subscriptions", '"ops@example.com" twice', "list each endpoint once"),
    row("a 5xx threshold of 0 %", monitoring({ alb5xxRatePercent: 0 }), "alb5xxRatePercent", "(0)", PERCENT),
    row("a target 5xx threshold over 100 %", monitoring({ target5xxRatePercent: 100.5 }), "target5xxRatePercent", "(100.5)", PERCENT),
    row("a CPU threshold over 100 %", monitoring({ instanceCpuPercent: 120 }), "instanceCpuPercent", "(120)", PERCENT),
    row("a connections threshold given as text", monitoring({ connectionsPercent: "80" }), "connectionsPercent", '("80")', PERCENT),
    row("an infinite CPU threshold", monitoring({ instanceCpuPercent: Infinity }), "instanceCpuPercent", "(Infinity)", PERCENT),
    row("a replica lag of 0 ms", monitoring({ replicaLagMs: 0 }), "replicaLagMs", "(0)", "must be a positive number of milliseconds, e.g. 2000"),
    row("a replica lag given as text", monitoring({ replicaLagMs: "2s" }), "replicaLagMs", '("2s")', "must be a positive number of milliseconds, e.g. 2000"),
    row("an infinite replica lag", monitoring({ replicaLagMs: Infinity }), "replicaLagMs", "(Infinity)", "must be a positive number of milliseconds, e.g. 2000"),
    row("a fractional max_connections", monitoring({ maxConnections: 12.5 }), "maxConnections", "(12.5)", "must be a whole number of connections, at least 1"),
    row("a max_connections of 0", monitoring({ maxConnections: 0 }), "maxConnections", "(0)", "must be a whole number of connections, at least 1"),
    row(
      "an instance class with no known max_connections and no maxConnections",
      noDefault,
      "maxConnections",
      '"db.m5.large"',
      "pass maxConnections (the writer's max_connections)",
    ),
    row("a name with a space", monitoring({ name: "shop alarms" }), "name", '"shop alarms"', "must be 1 to 200 letters, digits, hyphens or underscores"),
    row("a name that is not text (JavaScript caller)", monitoring({ name: 7 }), "name", "(7)", "must be 1 to 200 letters, digits, hyphens or underscores"),
    row(
      "no props at all (JavaScript caller)",
      () => new HaMonitoring(testStack(), "Monitoring", undefined as unknown as HaMonitoringProps),
      "props",
      "(undefined)",
      "must be an object with app and database; pass the stack's AppTier and AuroraCluster",
    ),
    row(
      "props given as a string (JavaScript caller)",
      () => new HaMonitoring(testStack(), "Monitoring", "alarms" as unknown as HaMonitoringProps),
      "props",
      '("alarms")',
      "must be an object with app and database; pass the stack's AppTier and AuroraCluster",
    ),
    row("no app tier", monitoring({ app: undefined }), "app", "(undefined)", "is required; pass the stack's AppTier"),
    row("no database", monitoring({ database: undefined }), "database", "(undefined)", "is required; pass the stack's AuroraCluster"),
  ];
}

/** `row(case, build, field, value, fix)` for one module's rows. */
function rowMaker(module: string) {
  return (c: string, build: () => unknown, field: string, value: string, fix: string): BadInputRow => ({ module, case: c, build, field, value, fix });
}

/** HaVpc: its props (also from JavaScript), the AZs, region, name, CIDRs and subnets, NAT, flow logs, the endpoints and their clients. */
function haVpcRows(): BadInputRow[] {
  const row = rowMaker("HaVpc");
  const js = <T>(value: unknown) => value as T;
  const NOT_AZ = 'which is not an AZ name (region + letter a–f, e.g. "us-east-1a")';
  const VPC_BLOCK = 'pass a block like "10.0.0.0/16"';
  const VPC_SIZE = 'AWS allows /16 to /28, so pass a block of that size, e.g. "10.0.0.0/16"';
  const RESERVED = 'which AWS does not allow for a VPC; use a private block such as "10.0.0.0/16", "172.16.0.0/16" or "192.168.0.0/16"';
  const TIER_PREFIX = "must be a whole number from the VPC's /16 to /28";
  const TIERS = 'use ["public","private","isolated"]';
  const SUBNET_BLOCK = 'pass a block like "10.0.0.0/24"';
  const TOO_SMALL = "Use a larger VPC CIDR or longer subnetPrefixLengths";
  const NAT_MODES = 'use NatGatewayMode.PER_AZ ("PER_AZ") or NatGatewayMode.SINGLE ("SINGLE") or NatGatewayMode.NONE ("NONE")';
  const RETENTIONS = "is not a CloudWatch Logs retention; use one of [1,3,5,7,14,30,60,90,120,150,180,365,400,545,731,1096,1827,2192,2557,2922,3288,3653]";
  const INTERFACE_SERVICES = 'which is not a supported service; supported: ["secretsmanager","ssm","ssmmessages","ec2messages","logs","sts"]';
  const NAME = 'use 1 to 200 letters, digits and . _ - #, e.g. "shop-prod"';
  const SG_ID = 'which is not a security group id; pass ids like "sg-0123456789abcdef0" or a reference such as app.securityGroup.id';
  const clients = (ids: unknown) => vpc({ interfaceEndpoints: [InterfaceEndpointService.SSM], interfaceEndpointClientSecurityGroupIds: js(ids) });
  /** A /24 VPC, too small for the computed layout of three /24 tiers (each reserves six slots), with some subnets given. */
  const smallVpc = (subnetCidrs: HaVpcProps["subnetCidrs"]) =>
    vpc({ cidr: "10.0.0.0/24", subnetPrefixLengths: { public: 24, private: 24, isolated: 24 }, subnetCidrs });
  return [
    // props and AZs
    row("no props at all (JavaScript caller)", () => new HaVpc(testStack(), "Net", js(undefined)), "props", "(undefined)", 'pass e.g. { azs: ["us-east-1a", "us-east-1b"] }'),
    row("props given as a string (JavaScript caller)", () => new HaVpc(testStack(), "Net", js("us-east-1a")), "props", '("us-east-1a") is a string', 'pass e.g. { azs: ["us-east-1a", "us-east-1b"] }'),
    row("no AZs", vpc({ azs: [] }), "azs", "[]", 'is empty; pass 2 to 6 AZ names like ["us-east-1a", "us-east-1b"]'),
    row("no AZs, with a single AZ allowed", vpc({ azs: [], allowSingleAz: true }), "azs", "([]) is empty", 'pass 2 to 6 AZ names like ["us-east-1a", "us-east-1b"]'),
    row("one AZ", vpc({ azs: ["us-east-1a"] }), "azs", '["us-east-1a"]', "an HA network needs 2 to 6. Add an AZ, or set allowSingleAz: true to accept a network with no AZ redundancy"),
    row(
      "seven AZs",
      vpc({ azs: ["a", "b", "c", "d", "e", "f", "a"].map((l, i) => `us-east-${1 + Math.floor(i / 6)}${l}`) }),
      "azs",
      '"us-east-1f","us-east-2a"]) has 7 AZs',
      "pass at most 6",
    ),
    row("AZs given as a number (JavaScript caller)", vpc({ azs: js(2) }), "azs", "(2) is a number, not a list", 'pass a list, e.g. ["us-east-1a", "us-east-1b"]'),
    row(
      "AZs given as one space-separated string (JavaScript caller)",
      vpc({ azs: js("us-east-1a us-east-1b") }),
      "azs",
      '("us-east-1a us-east-1b") is a string, not a list',
      'a string is not split, so write it as a list, e.g. ["us-east-1a", "us-east-1b"]',
    ),
    row("an AZ listed twice", vpc({ azs: ["us-east-1a", "us-east-1a"] }), "azs", '"us-east-1a"', "more than once; list each AZ once"),
    row("a region given as an AZ", vpc({ azs: ["us-east-1", "us-east-1b"] }), "azs", '"us-east-1"', NOT_AZ),
    row("an upper-case AZ", vpc({ azs: ["US-EAST-1A", "us-east-1b"] }), "azs", '"US-EAST-1A"', NOT_AZ),
    row("an AZ letter beyond f", vpc({ azs: ["us-east-1a", "us-east-1g"] }), "azs", '"us-east-1g"', NOT_AZ),
    row("an AZ name with text after the letter", vpc({ azs: ["us-east-1a", "us-east-1bx"] }), "azs", '"us-east-1bx"', NOT_AZ),
    row("an AZ name with text before the region", vpc({ azs: ["xus-east-1a", "us-east-1b"] }), "azs", '"xus-east-1a"', NOT_AZ),
    row("an AZ that is a number (JavaScript caller)", vpc({ azs: js([1, "us-east-1b"]) }), "azs", "contains 1,", NOT_AZ),
    row("an AZ wrapped in a list (JavaScript caller)", vpc({ azs: js([["us-east-1a"], "us-east-1b"]) }), "azs", 'contains ["us-east-1a"],', NOT_AZ),
    row("AZs of two regions", vpc({ azs: ["us-east-1a", "us-west-2b"] }), "azs", '["us-east-1a","us-west-2b"]', 'spans regions ["us-east-1","us-west-2"]; a VPC lives in one region, so pick AZs of one'),
    row("AZs of another region than the stack's", vpc({ azs: ["us-west-2a", "us-west-2b"] }), "azs", '["us-west-2a","us-west-2b"]', 'use AZs of us-east-1 (e.g. "us-east-1a") or change the region'),
    row("a region prop that the AZs are not in", vpc({ region: "eu-west-1" }), "azs", "region is eu-west-1", 'use AZs of eu-west-1 (e.g. "eu-west-1a") or change the region'),
    row("a region prop that is no region name", vpc({ region: "useast1" }), "region", '("useast1") is not an AWS region name', `pass one like "us-east-1", or leave it unset for the stack's`),
    row("a region prop that is not text (JavaScript caller)", vpc({ region: js(1) }), "region", "(1) is a number", `pass one like "us-east-1", or leave it unset for the stack's`),
    row(
      "a region prop other than the stack's, with AZs of that region",
      vpc({ azs: ["us-west-2a", "us-west-2b"], region: "us-west-2" }),
      "region",
      '("us-west-2") differs from the stack\'s region (us-east-1)',
      "a VPC is created in its stack's region, so drop region (it defaults to the stack's) or build the VPC in a stack of us-west-2",
    ),
    row("allowSingleAz given as the string \"true\"", vpc({ azs: ["us-east-1a"], allowSingleAz: js("true") }), "allowSingleAz", '("true") is a string, not a boolean', "write allowSingleAz: true, without quotes"),
    row("allowSingleAz given as a number (JavaScript caller)", vpc({ allowSingleAz: js(1) }), "allowSingleAz", "(1) is a number, not a boolean", "pass true or false"),
    row(
      "allowPrivateSubnetsWithoutEgress given as a string",
      vpc({ allowPrivateSubnetsWithoutEgress: js("true") }),
      "allowPrivateSubnetsWithoutEgress",
      '("true") is a string, not a boolean',
      "write allowPrivateSubnetsWithoutEgress: true, without quotes",
    ),
    // name
    row("a name with a slash", vpc({ name: "shop/prod" }), "name", 'name ("shop/prod") cannot name the flow log group /vpc/<name>/flow-logs', NAME),
    row("a name of 200 characters with a space", vpc({ name: "shop prod".padEnd(200, "x") }), "name", 'xx") cannot name the flow log group /vpc/<name>/flow-logs', NAME),
    row("an empty name", vpc({ name: "" }), "name", '("") is empty, which leaves the Name tags empty', NAME),
    row("a name of 201 characters", vpc({ name: "n".repeat(201) }), "name", "has 201 characters, too long for the flow log group", NAME),
    row("a name that is not text (JavaScript caller)", vpc({ name: js(7) }), "name", "(7) is a number, not a string", 'pass a name like "shop-prod"'),
    row(
      "a construct id that cannot be the default name",
      () => new HaVpc(testStack(), "Shop Net", { azs: AZS }),
      "name (defaulted from the construct id)",
      '("Shop Net") cannot name the flow log group',
      NAME,
    ),
    // VPC CIDR
    row("a CIDR without a prefix", vpc({ cidr: "10.0.0.0" }), "cidr", '"10.0.0.0"', VPC_BLOCK),
    row("a CIDR octet above 255", vpc({ cidr: "10.0.300.0/16" }), "cidr", '"10.0.300.0/16"', VPC_BLOCK),
    row("a CIDR prefix above 32", vpc({ cidr: "10.0.0.0/33" }), "cidr", '"10.0.0.0/33"', VPC_BLOCK),
    row("a CIDR with host bits set", vpc({ cidr: "10.0.0.1/16" }), "cidr", '"10.0.0.1/16"', VPC_BLOCK),
    row("a CIDR that is not text (JavaScript caller)", vpc({ cidr: js(10) }), "cidr", "(10) is a number, not a string", VPC_BLOCK),
    row("a VPC larger than /16", vpc({ cidr: "10.0.0.0/8" }), "cidr", '"10.0.0.0/8"', VPC_SIZE),
    row("a VPC of /15, one bit over the limit", vpc({ cidr: "10.0.0.0/15" }), "cidr", '("10.0.0.0/15") has prefix /15', VPC_SIZE),
    row("a VPC smaller than /28", vpc({ cidr: "10.0.0.0/29" }), "cidr", '"10.0.0.0/29"', VPC_SIZE),
    row("a \"this network\" VPC CIDR", vpc({ cidr: "0.0.0.0/16" }), "cidr", '("0.0.0.0/16") overlaps 0.0.0.0/8 ("this network")', RESERVED),
    row("a link-local VPC CIDR", vpc({ cidr: "169.254.0.0/16" }), "cidr", '("169.254.0.0/16") overlaps 169.254.0.0/16 (link-local)', RESERVED),
    row("a class E VPC CIDR", vpc({ cidr: "240.0.0.0/16" }), "cidr", '("240.0.0.0/16") overlaps 240.0.0.0/4 (reserved, class E)', RESERVED),
    row("a VPC CIDR at the top of the multicast range", vpc({ cidr: "239.255.0.0/16" }), "cidr", '("239.255.0.0/16") overlaps 224.0.0.0/4 (multicast)', RESERVED),
    row("a VPC CIDR at the top of the loopback range", vpc({ cidr: "127.255.0.0/16" }), "cidr", '("127.255.0.0/16") overlaps 127.0.0.0/8 (loopback)', RESERVED),
    // subnet prefix lengths
    row("a subnet prefix shorter than the VPC's", vpc({ subnetPrefixLengths: { private: 15 } }), "subnetPrefixLengths.private", "15", TIER_PREFIX),
    row("a subnet prefix above /28", vpc({ subnetPrefixLengths: { public: 29 } }), "subnetPrefixLengths.public", "29", TIER_PREFIX),
    row("a fractional subnet prefix", vpc({ subnetPrefixLengths: { isolated: 24.5 } }), "subnetPrefixLengths.isolated", "24.5", TIER_PREFIX),
    row("a subnet prefix given as text (JavaScript caller)", vpc({ subnetPrefixLengths: { private: js("20") } }), "subnetPrefixLengths.private", '("20")', TIER_PREFIX),
    row("subnet prefix lengths given as one number (JavaScript caller)", vpc({ subnetPrefixLengths: js(20) }), "subnetPrefixLengths", "(20) is a number", "pass e.g. { private: 20 }"),
    row("a prefix length for a tier that does not exist", vpc({ subnetPrefixLengths: js({ dmz: 24 }) }), "subnetPrefixLengths", 'unknown tier "dmz"', TIERS),
    // subnet CIDRs
    row("custom CIDRs for an unknown tier", vpc({ subnetCidrs: js({ dmz: { "us-east-1a": "10.0.0.0/24" } }) }), "subnetCidrs", '"dmz"', TIERS),
    row("custom CIDRs given as one string (JavaScript caller)", vpc({ subnetCidrs: js("10.0.200.0/24") }), "subnetCidrs", '("10.0.200.0/24") is a string', 'pass e.g. { private: { "us-east-1a": "10.0.0.0/20" } }'),
    row("a tier's custom CIDRs given as a list (JavaScript caller)", vpc({ subnetCidrs: { public: js(["10.0.200.0/24"]) } }), "subnetCidrs.public", '(["10.0.200.0/24"]) is a list', 'pass e.g. { "us-east-1a": "10.0.0.0/20" }'),
    row("a custom CIDR keyed by an AZ not in azs", vpc({ subnetCidrs: { private: { "us-east-1c": "10.0.0.0/20" } } }), "subnetCidrs.private", '"us-east-1c"', "key custom CIDRs by a listed AZ"),
    row("an invalid custom subnet CIDR", vpc({ subnetCidrs: { public: { "us-east-1a": "10.0.0.0/33" } } }), 'subnetCidrs.public["us-east-1a"]', '"10.0.0.0/33"', SUBNET_BLOCK),
    row("a custom subnet CIDR that is not text (JavaScript caller)", vpc({ subnetCidrs: { public: { "us-east-1a": js(24) } } }), 'subnetCidrs.public["us-east-1a"]', "(24) is a number", SUBNET_BLOCK),
    row(
      "a custom subnet of /29",
      vpc({ subnetCidrs: { public: { "us-east-1a": "10.0.200.0/29" } } }),
      'subnetCidrs.public["us-east-1a"]',
      '("10.0.200.0/29") has prefix /29',
      "AWS subnets are /16 to /28 (a /28 holds 11 usable addresses), so use /28 or larger",
    ),
    row("a VPC too small for the subnet layout", vpc({ cidr: "10.0.0.0/20", subnetPrefixLengths: { public: 24, private: 22, isolated: 24 } }), "cidr", '"10.0.0.0/20"', TOO_SMALL),
    row(
      "a VPC too small for the subnets not given, one tier given whole",
      smallVpc({ public: { "us-east-1a": "10.0.0.0/28", "us-east-1b": "10.0.0.16/28" } }),
      "cidr",
      '("10.0.0.0/24") is too small',
      TOO_SMALL,
    ),
    row(
      "a VPC too small for the subnets not given, one AZ of each tier given",
      smallVpc({ public: { "us-east-1a": "10.0.0.0/28" }, private: { "us-east-1a": "10.0.0.16/28" }, isolated: { "us-east-1a": "10.0.0.32/28" } }),
      "cidr",
      '("10.0.0.0/24") is too small',
      TOO_SMALL,
    ),
    row("a custom subnet outside the VPC", vpc({ subnetCidrs: { public: { "us-east-1a": "192.168.0.0/24" } } }), 'subnetCidrs.public["us-east-1a"]', "192.168.0.0/24", "lies outside the VPC CIDR (10.0.0.0/16); pick a block inside it"),
    row("custom subnets that overlap", vpc({ subnetCidrs: { public: { "us-east-1a": "10.0.0.0/24" } } }), "subnetCidrs", "10.0.0.0/24", "give each subnet its own block"),
    // NAT and flow logs
    row("an unknown NAT mode", vpc({ natGateways: js("TWO") }), "natGateways", '"TWO"', NAT_MODES),
    row("a NAT mode in lower case", vpc({ natGateways: js("per_az") }), "natGateways", '("per_az") is not a NatGatewayMode', 'did you mean NatGatewayMode.PER_AZ ("PER_AZ")? Values are case-sensitive'),
    row(
      "no NAT without accepting private subnets without egress",
      vpc({ natGateways: NatGatewayMode.NONE }),
      "natGateways",
      "NONE",
      "Use NatGatewayMode.PER_AZ, or set allowPrivateSubnetsWithoutEgress: true if you provide egress another way (VPC endpoints, a proxy)",
    ),
    row("accepting no egress while asking for NAT gateways", vpc({ allowPrivateSubnetsWithoutEgress: true }), "allowPrivateSubnetsWithoutEgress", "true", "set it only with NatGatewayMode.NONE"),
    row(
      "accepting no egress with a single NAT gateway",
      vpc({ natGateways: NatGatewayMode.SINGLE, allowPrivateSubnetsWithoutEgress: true }),
      "allowPrivateSubnetsWithoutEgress",
      "(true) conflicts with natGateways (SINGLE)",
      "set it only with NatGatewayMode.NONE",
    ),
    row("a flow log retention CloudWatch does not offer", vpc({ flowLogRetentionDays: 10 }), "flowLogRetentionDays", "10", RETENTIONS),
    row("a flow log retention of zero days", vpc({ flowLogRetentionDays: 0 }), "flowLogRetentionDays", "0", RETENTIONS),
    row("a flow log retention given as text (JavaScript caller)", vpc({ flowLogRetentionDays: js("90") }), "flowLogRetentionDays", '("90")', RETENTIONS),
    // endpoints
    row(
      "an unknown interface endpoint service (the message lists the supported ones)",
      vpc({ interfaceEndpoints: ["secretmanager" as InterfaceEndpointService] }),
      "interfaceEndpoints",
      '"secretmanager", which is not a supported service; supported: ["secretsmanager","ssm","ssmmessages","ec2messages","logs","sts"]',
      INTERFACE_SERVICES,
    ),
    row(
      "an unknown gateway endpoint service",
      vpc({ gatewayEndpoints: ["s3-express" as GatewayEndpointService] }),
      "gatewayEndpoints",
      '"s3-express", which is not a supported service; supported: ["s3","dynamodb"]',
      'which is not a supported service; supported: ["s3","dynamodb"]',
    ),
    row("S3 listed as an interface endpoint", vpc({ interfaceEndpoints: ["s3" as InterfaceEndpointService] }), "list it in gatewayEndpoints", '"s3"', "which HaVpc reaches through a gateway endpoint; list it in gatewayEndpoints"),
    row("DynamoDB listed as an interface endpoint", vpc({ interfaceEndpoints: js(["dynamodb"]) }), "interfaceEndpoints", 'contains "dynamodb"', "which HaVpc reaches through a gateway endpoint; list it in gatewayEndpoints"),
    row("Secrets Manager listed as a gateway endpoint", vpc({ gatewayEndpoints: js(["secretsmanager"]) }), "gatewayEndpoints", 'contains "secretsmanager"', "which HaVpc reaches through an interface endpoint; list it in interfaceEndpoints"),
    row("an interface endpoint listed twice", vpc({ interfaceEndpoints: [InterfaceEndpointService.SSM, InterfaceEndpointService.SSM] }), "interfaceEndpoints", '"ssm" more than once', "list each service once"),
    row("a gateway endpoint listed twice", vpc({ gatewayEndpoints: [GatewayEndpointService.S3, GatewayEndpointService.S3] }), "gatewayEndpoints", '(["s3","s3"]) lists "s3" more than once', "list each service once"),
    row(
      "interface endpoints given as a string (JavaScript caller)",
      vpc({ interfaceEndpoints: js("secretsmanager") }),
      "interfaceEndpoints",
      '"secretsmanager") must be an array',
      "must be an array of service names, e.g. [InterfaceEndpointService.SECRETS_MANAGER]; use [] for none",
    ),
    row(
      "gateway endpoints given as a boolean (JavaScript caller)",
      vpc({ gatewayEndpoints: js(false) }),
      "gatewayEndpoints",
      "(false) must be an array",
      "must be an array of service names, e.g. [GatewayEndpointService.S3]; use [] for none",
    ),
    row("a number among the interface endpoints (JavaScript caller)", vpc({ interfaceEndpoints: js([443]) }), "interfaceEndpoints", "contains 443", INTERFACE_SERVICES),
    // interface endpoint clients
    row(
      "endpoint client security groups without interface endpoints",
      vpc({ interfaceEndpointClientSecurityGroupIds: ["sg-0123456789abcdef0"] }),
      "interfaceEndpointClientSecurityGroupIds",
      '["sg-0123456789abcdef0"]',
      "is set but interfaceEndpoints is empty; list the interface endpoints the groups should reach, or remove interfaceEndpointClientSecurityGroupIds",
    ),
    row("an endpoint client that is not a security group id", clients(["10.0.0.0/16"]), "interfaceEndpointClientSecurityGroupIds", '"10.0.0.0/16"', SG_ID),
    row("an endpoint client id of 7 hex digits", clients(["sg-0123456"]), "interfaceEndpointClientSecurityGroupIds", 'contains "sg-0123456",', SG_ID),
    row("an endpoint client id of 18 hex digits", clients(["sg-0123456789abcdef01"]), "interfaceEndpointClientSecurityGroupIds", 'contains "sg-0123456789abcdef01",', SG_ID),
    row("an endpoint client id in upper case", clients(["sg-0123456789ABCDEF0"]), "interfaceEndpointClientSecurityGroupIds", 'contains "sg-0123456789ABCDEF0",', SG_ID),
    row("an endpoint client id with text before it", clients(["my-sg-01234567"]), "interfaceEndpointClientSecurityGroupIds", 'contains "my-sg-01234567",', SG_ID),
    row("an endpoint client id with text after it", clients(["sg-01234567-app"]), "interfaceEndpointClientSecurityGroupIds", 'contains "sg-01234567-app",', SG_ID),
    row("an endpoint client that is not text (JavaScript caller)", clients([42]), "interfaceEndpointClientSecurityGroupIds", "contains 42,", SG_ID),
    row("an endpoint client id wrapped in a list (JavaScript caller)", clients([["sg-01234567"]]), "interfaceEndpointClientSecurityGroupIds", 'contains ["sg-01234567"],', SG_ID),
    row(
      "endpoint clients given as one string (JavaScript caller)",
      clients("sg-0123456789abcdef0"),
      "interfaceEndpointClientSecurityGroupIds",
      '("sg-0123456789abcdef0") must be an array',
      "must be an array of security group ids, e.g. [app.securityGroup.id]",
    ),
    row(
      "an endpoint client listed twice",
      clients(["sg-01234567", "sg-01234567"]),
      "interfaceEndpointClientSecurityGroupIds",
      '(["sg-01234567","sg-01234567"]) lists "sg-01234567" more than once',
      "list each security group once",
    ),
    row(
      "a security group id passed where allowInterfaceEndpointsFrom wants a client (JavaScript caller)",
      () => new HaVpc(testStack(), "Net", { azs: AZS, interfaceEndpoints: [InterfaceEndpointService.SSM] }).allowInterfaceEndpointsFrom(js("sg-0123456789abcdef0")),
      "securityGroup",
      'allowInterfaceEndpointsFrom("sg-0123456789abcdef0")',
      "needs a client with a securityGroup (a SecurityGroup construct), e.g. an AppTier",
    ),
    row(
      "a client wired to interface endpoints that do not exist",
      () => {
        const s = testStack();
        const net = new HaVpc(s, "Net", { azs: AZS });
        net.allowInterfaceEndpointsFrom(new AppTier(s, "App", { vpc: net }));
      },
      "interfaceEndpoints",
      "allowInterfaceEndpointsFrom()",
      "needs interface endpoints; list services in interfaceEndpoints first",
    ),
  ];
}

/** FailureDrills: the FIS limits, the drill list, the modules it needs (also from JavaScript), the log retention. */
function drillRows(): BadInputRow[] {
  const row = rowMaker("FailureDrills");
  const MINUTES = "pass a whole number of minutes from 1 to 720 (PT1M to PT12H)";
  const DRILLS = '["instance-loss","db-failover","az-loss"]';
  const without = (...fields: string[]) => drills(Object.fromEntries(fields.map((f) => [f, undefined])));
  return [
    row("an AZ loss of 0 minutes", drills({ azLossDurationMinutes: 0 }), "azLossDurationMinutes", "(0)", MINUTES),
    row("an AZ loss longer than FIS's 12 hours", drills({ azLossDurationMinutes: 721 }), "azLossDurationMinutes", "(721)", MINUTES),
    row("an AZ loss of 2.5 minutes", drills({ azLossDurationMinutes: 2.5 }), "azLossDurationMinutes", "(2.5)", MINUTES),
    row("a duration given as text", drills({ azLossDurationMinutes: "10" }), "azLossDurationMinutes", '("10")', MINUTES),
    row("an unknown drill", drills({ drills: ["zone-outage"] }), "drills", '"zone-outage"', `which is not a drill; use ${DRILLS}`),
    row("a drill listed twice", drills({ drills: [DrillKind.INSTANCE_LOSS, DrillKind.INSTANCE_LOSS] }), "drills", '"instance-loss" twice', "list each drill once"),
    row("an empty drill list", drills({ drills: [] }), "drills", "([])", `must list at least one of ${DRILLS}; leave it out for all of them`),
    row("one drill given as a string (JavaScript caller)", drills({ drills: "az-loss" }), "drills", '("az-loss")', `must list at least one of ${DRILLS}`),
    row(
      "a database failover drill on a single-instance database",
      drills({ drills: [DrillKind.DB_FAILOVER] }, true),
      "db-failover",
      '"SINGLE_INSTANCE"',
      'so there is nothing to fail over to; use DatabaseAvailability.MULTI_AZ or leave "db-failover" out',
    ),
    row(
      "a log retention CloudWatch does not offer",
      drills({ logRetentionDays: 8 }),
      "logRetentionDays",
      "(8)",
      "use one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ),
    row(
      "no props at all (JavaScript caller)",
      () => new FailureDrills(testStack(), "Drills", undefined as unknown as FailureDrillsProps),
      "props",
      "(undefined)",
      "must be an object with network, app, database and monitoring; pass the stack's HaVpc, AppTier, AuroraCluster and HaMonitoring",
    ),
    row(
      "props given as a string (JavaScript caller)",
      () => new FailureDrills(testStack(), "Drills", "all" as unknown as FailureDrillsProps),
      "props",
      '("all")',
      "must be an object with network, app, database and monitoring; pass the stack's HaVpc, AppTier, AuroraCluster and HaMonitoring",
    ),
    row("no network", without("network"), "network", "(undefined)", "is required; pass the stack's HaVpc"),
    row("no app tier", without("app"), "app", "(undefined)", "is required; pass the stack's AppTier"),
    row("no database", without("database"), "database", "(undefined)", "is required; pass the stack's AuroraCluster"),
    row("no monitoring", without("monitoring"), "monitoring", "(undefined)", "is required; pass the stack's HaMonitoring"),
    row(
      "neither app nor database",
      without("app", "database"),
      "app (undefined), database (undefined)",
      "(undefined)",
      "are required; pass the stack's AppTier, AuroraCluster",
    ),
  ];
}

/**
 * AuroraCluster: every check of modules/aurora-cluster/validation.ts (each branch of a compound
 * condition, JavaScript callers' wrong types, missing props), each with its fix word for word.
 */
function auroraRows(): BadInputRow[] {
  const row = rowMaker("AuroraCluster");
  const dev = (props: Partial<AuroraClusterProps> & Record<string, unknown>) => aurora(props, StackIntent.DEVELOPMENT);
  /** Props as a JavaScript caller may pass them, of any type. */
  const js = (props: Record<string, unknown>) => aurora(props as Partial<AuroraClusterProps>);
  const IDENTIFIER =
    'use 1–63 lowercase letters, digits and hyphens, starting with a letter, with no trailing hyphen and no two hyphens in a row (e.g. "lab-database")';
  const ROOM = 'leave room for the instance identifiers "<identifier>-1" … "-16" (63 characters max); pass a shorter identifier';
  const INSTANCES = "must be a whole number from 1 to 16 (one writer and up to 15 readers); pass 2 for a writer and one reader in another AZ";
  const NOT_AN_AZ = 'is not an AZ of the vpc (["us-east-1a","us-east-1b"]); place each instance in one of them';
  const NO_READER = "with availability MULTI_AZ leaves no reader to promote when the writer's AZ fails; set instances: 2, or set availability: DatabaseAvailability.SINGLE_INSTANCE to accept no failover replica";
  const CLASS = 'is not an instance class of the form db.<family>.<size>; pass one like "db.r6g.large" or "db.t4g.medium" (Serverless v2 "db.serverless" is not supported by this module)';
  const ENGINE = 'is not an Aurora MySQL 3 version of the form 8.0.mysql_aurora.3.<minor>.<patch>; pass one like "8.0.mysql_aurora.3.10.3"';
  const DATABASE = 'must start with a letter and hold only letters, digits and underscores, 64 characters at most; pass one like "app"';
  const USER = "must be 1–16 letters or digits starting with a letter (Aurora's CreateDBCluster rule; no underscores or symbols); pass one like \"dbadmin\"";
  const PORT = "must be a whole number from 1150 to 65535 (RDS's range for Aurora); the MySQL default is 3306";
  const RETENTION = "must be a whole number of days from 1 to 35 (Aurora always keeps backups); e.g. 7";
  const BACKUP_WINDOW = 'must be a daily UTC range "hh:mm-hh:mm" of at least 30 minutes, e.g. "03:00-04:00"';
  const MAINTENANCE_WINDOW = 'must be a weekly UTC range "ddd:hh:mm-ddd:hh:mm" (lowercase day names) of at least 30 minutes, e.g. "sun:05:00-sun:06:00"';
  const SNAPSHOT = 'must be 1–255 letters, digits and hyphens, starting with a letter, with no trailing hyphen and no two hyphens in a row; e.g. "test-db-final"';
  const KMS = 'is not a KMS key ARN; pass one like "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", or a key\'s arn attribute';
  const NO_PASSWORD = "never pass a password: Secrets Manager generates and rotates the master password (manage_master_user_password). Remove";
  const REASON_NEEDED = "needs a stated reason; set deletionProtectionOffReason to why (10+ characters, got";
  const REASON_UNUSED = "is set but deletion protection is on; set deletionProtection: false with it, or remove the reason";
  const SNAPSHOT_UNUSED = "is set but finalSnapshot is false; set finalSnapshot: true or remove finalSnapshotIdentifier";
  const RETENTIONS = "[1,3,5,7,14,30,60,90,120,150,180,365,400,545,731,1096,1827,2192,2557,2922,3288,3653]";
  const oneAz = () => {
    const s = testStack();
    return new AuroraCluster(s, "Db", { vpc: new HaVpc(s, "Net", { azs: ["us-east-1a"], allowSingleAz: true }) });
  };
  const derivedTooLong = () => {
    const s = testStack({}, "s".repeat(30));
    return new AuroraCluster(s, "D".repeat(30), { vpc: new HaVpc(s, "Net", { azs: AZS }) });
  };
  return [
    // The rows that predate the fix field (their test names are kept).
    row("zero instances", aurora({ instances: 0 }), "instances", "0", INSTANCES),
    row("an identifier starting with a digit", aurora({ identifier: "1db" }), "identifier", '"1db"', IDENTIFIER),
    row("an identifier with two hyphens in a row", aurora({ identifier: "my--db" }), "identifier", '"my--db"', IDENTIFIER),
    row("the reserved user name rdsadmin", aurora({ masterUsername: "rdsadmin" }), "masterUsername", '"rdsadmin"', 'is an account RDS creates and manages itself, so RDS rejects it; pick another, e.g. "dbadmin"'),
    row("a user name starting with a digit", aurora({ masterUsername: "1admin" }), "masterUsername", '"1admin"', USER),
    row("backup retention of 0 days", aurora({ backupRetentionDays: 0 }), "backupRetentionDays", "0", RETENTION),
    row("backup retention of 36 days", aurora({ backupRetentionDays: 36 }), "backupRetentionDays", "36", RETENTION),
    row("a malformed instance class", aurora({ instanceClass: "r6g.large" }), "instanceClass", '"r6g.large"', CLASS),
    row("a malformed engine version", aurora({ engineVersion: "8.0" }), "engineVersion", '"8.0"', ENGINE),
    row("deletion protection off in a production stack without a reason", aurora({ deletionProtection: false }), "deletionProtection", "false", `${REASON_NEEDED} undefined), or keep deletionProtection: true`),
    row("a literal master password", aurora({ masterPassword: "hunter2hunter2" }), "masterPassword", "<redacted, 14 characters>", `${NO_PASSWORD} masterPassword and have clients read the secret at runtime through secretArn (see allowFrom)`),

    // Props and network.
    row("no props at all (JavaScript caller)", () => new AuroraCluster(testStack(), "Db", undefined as unknown as AuroraClusterProps), "props", "(undefined)", "are missing; pass e.g. { vpc: network }"),
    row("props given as a string (JavaScript caller)", () => new AuroraCluster(testStack(), "Db", "vpc" as unknown as AuroraClusterProps), "props", '("vpc")', "is a string, not an object of settings; pass e.g. { vpc: network }"),
    row("no vpc", aurora({ vpc: undefined }), "vpc", "(undefined)", 'is undefined, not an instance of HaVpc; pass the HaVpc built in the same stack (new HaVpc(stack, "Network", { azs }))'),
    row("a VPC in one AZ", oneAz, "vpc spans 1 AZ", '(["us-east-1a"])', "a DB subnet group needs isolated subnets in at least 2 AZs. Pass an HaVpc with 2 or more AZs"),

    // Identifiers.
    row("an upper-case identifier", aurora({ identifier: "Lab-Database" }), "identifier", '"Lab-Database"', IDENTIFIER),
    row("an identifier with a trailing hyphen", aurora({ identifier: "lab-" }), "identifier", '"lab-"', IDENTIFIER),
    row("an identifier of 64 characters (AWS allows 63)", aurora({ identifier: "a".repeat(64) }), "identifier", `"${"a".repeat(64)}"`, IDENTIFIER),
    row("an identifier of 63 characters (no room for -16)", aurora({ identifier: "a".repeat(63) }), "identifier", `("${"a".repeat(63)}") has 63 characters; at most 60`, ROOM),
    row("an identifier of 61 characters", aurora({ identifier: "a".repeat(61) }), "identifier", `("${"a".repeat(61)}") has 61 characters; at most 60`, ROOM),
    row("a derived identifier too long", derivedTooLong, "identifier (derived from the stack and construct ids)", `("${"s".repeat(30)}-${"d".repeat(30)}") has 61 characters`, ROOM),
    row("an identifier given as a list (JavaScript caller)", js({ identifier: ["lab-db"] }), "identifier", '(["lab-db"]) is a list, not a string', 'pass one like "lab-database"'),

    // Availability, instances and where they go.
    row("an availability that is not a DatabaseAvailability", js({ availability: "TRIPLE" }), "availability", '("TRIPLE")', 'is not a DatabaseAvailability; use DatabaseAvailability.MULTI_AZ ("MULTI_AZ") or DatabaseAvailability.SINGLE_INSTANCE ("SINGLE_INSTANCE")'),
    row("an availability in the wrong case", js({ availability: "multi_az" }), "availability", '("multi_az")', 'did you mean DatabaseAvailability.MULTI_AZ ("MULTI_AZ")? Values are case-sensitive'),
    row("17 instances (Aurora: one writer and 15 readers)", aurora({ instances: 17 }), "instances", "(17)", INSTANCES),
    row("2.5 instances", aurora({ instances: 2.5 }), "instances", "(2.5)", INSTANCES),
    row("instances given as text (JavaScript caller)", js({ instances: "2" }), "instances", '("2")', INSTANCES),
    row("MULTI_AZ with one instance", aurora({ instances: 1 }), "instances", "(1)", NO_READER),
    row("SINGLE_INSTANCE with two instances", aurora({ availability: DatabaseAvailability.SINGLE_INSTANCE, instances: 2 }), "instances", "(2) conflicts with availability SINGLE_INSTANCE", "use availability: DatabaseAvailability.MULTI_AZ for readers, or drop instances"),
    row("instanceAzs given as one string (JavaScript caller)", js({ instanceAzs: "us-east-1a" }), "instanceAzs", '("us-east-1a") is a string, not a list', 'a string is not split, so write it as a list, e.g. ["us-east-1a", "us-east-1b"]'),
    row("an instance pinned to an AZ of another region", aurora({ instanceAzs: ["us-west-2a", "us-east-1b"] }), "instanceAzs[0]", '("us-west-2a")', NOT_AN_AZ),
    row("an instance AZ that is not text (JavaScript caller)", js({ instanceAzs: ["us-east-1a", 2] }), "instanceAzs[1]", "(2)", NOT_AN_AZ),
    row("instances fewer than instanceAzs places", aurora({ instances: 2, instanceAzs: ["us-east-1a", "us-east-1b", "us-east-1a"] }), "instances", "(2) differs from instanceAzs, which places 3", "drop instances (it follows instanceAzs) or give one AZ per instance"),
    row("three pinned instances in one AZ", aurora({ instanceAzs: ["us-east-1b", "us-east-1b", "us-east-1b"] }), "instanceAzs", '(["us-east-1b","us-east-1b","us-east-1b"]) puts every instance in one AZ', "so losing it leaves no reader to promote; place at least one instance in another AZ of the vpc"),
    row("MULTI_AZ with one pinned instance", aurora({ instanceAzs: ["us-east-1a"] }), "instanceAzs", '(["us-east-1a"]) places 1 instance with availability MULTI_AZ', "add the AZ of a reader to instanceAzs, or set availability: DatabaseAvailability.SINGLE_INSTANCE to accept no failover replica"),
    row("SINGLE_INSTANCE with two pinned instances", aurora({ availability: DatabaseAvailability.SINGLE_INSTANCE, instanceAzs: ["us-east-1a", "us-east-1a"] }), "instanceAzs", '(["us-east-1a","us-east-1a"]) places 2 instances, which conflicts with availability SINGLE_INSTANCE', "use availability: DatabaseAvailability.MULTI_AZ for readers, or list one AZ"),
    row("an empty instanceAzs", aurora({ instanceAzs: [] }), "instanceAzs", "([]) places 0 instances", "list 1 to 16 AZs, one per instance (one writer and up to 15 readers)"),

    // Instance class and engine.
    row("an instance class given as a list (JavaScript caller)", js({ instanceClass: ["db.r6g.large"] }), "instanceClass", '(["db.r6g.large"]) is a list, not a string', 'pass one like "db.r6g.large"'),
    row("Performance Insights on db.t3.medium", aurora({ instanceClass: "db.t3.medium", performanceInsights: true }), "performanceInsights (true)", 'instanceClass "db.t3.medium"', "(no Performance Insights on db.t2, db.t3, db.t4g.micro, db.t4g.small); use a class such as db.t4g.medium or db.r6g.large, or leave performanceInsights unset"),
    row("Performance Insights on db.t4g.small", aurora({ instanceClass: "db.t4g.small", performanceInsights: true }), "performanceInsights (true)", 'instanceClass "db.t4g.small"', "use a class such as db.t4g.medium or db.r6g.large, or leave performanceInsights unset"),
    row("an engine version with something after the patch", aurora({ engineVersion: "8.0.mysql_aurora.3.10.3-beta" }), "engineVersion", '("8.0.mysql_aurora.3.10.3-beta")', ENGINE),
    row("an engine version with something before it", aurora({ engineVersion: "v8.0.mysql_aurora.3.10.3" }), "engineVersion", '("v8.0.mysql_aurora.3.10.3")', ENGINE),
    row("an engine version given as a number (JavaScript caller)", js({ engineVersion: 8 }), "engineVersion", "(8) is a number, not a string", 'pass one like "8.0.mysql_aurora.3.10.3"'),

    // Database and master user.
    row("a database name with a hyphen", aurora({ databaseName: "my-app" }), "databaseName", '("my-app")', DATABASE),
    row("a database name of 65 characters", aurora({ databaseName: "a".repeat(65) }), "databaseName", `("${"a".repeat(65)}")`, DATABASE),
    row("a database name that is a reserved word", aurora({ databaseName: "order" }), "databaseName", '("order")', 'is a MySQL 8.0 reserved word; pick another name, e.g. "app"'),
    row("a database name given as a list (JavaScript caller)", js({ databaseName: ["app"] }), "databaseName", '(["app"]) is a list, not a string', 'pass one like "app"'),
    row("a user name of 17 characters", aurora({ masterUsername: "a".repeat(17) }), "masterUsername", `("${"a".repeat(17)}")`, USER),
    row("a user name with an underscore", aurora({ masterUsername: "db_admin" }), "masterUsername", '("db_admin")', USER),
    row("a user name that is a reserved word", aurora({ masterUsername: "Select" }), "masterUsername", '("Select")', 'is a MySQL 8.0 reserved word, so RDS rejects it; pick another, e.g. "dbadmin"'),
    row("a user name given as a list (JavaScript caller)", js({ masterUsername: ["admin"] }), "masterUsername", '(["admin"]) is a list, not a string', 'pass one like "dbadmin"'),
    row("port 1149", aurora({ port: 1149 }), "port", "(1149)", PORT),
    row("port 65536", aurora({ port: 65536 }), "port", "(65536)", PORT),
    row("a fractional port", aurora({ port: 3306.5 }), "port", "(3306.5)", PORT),
    row("a port given as text (JavaScript caller)", js({ port: "3306" }), "port", '("3306")', PORT),

    // Backups and windows.
    row("backup retention of 7.5 days", aurora({ backupRetentionDays: 7.5 }), "backupRetentionDays", "(7.5)", RETENTION),
    row("backup retention given as text (JavaScript caller)", js({ backupRetentionDays: "7" }), "backupRetentionDays", '("7")', RETENTION),
    row("a backup window of 29 minutes", aurora({ preferredBackupWindow: "03:00-03:29" }), "preferredBackupWindow", '("03:00-03:29")', BACKUP_WINDOW),
    row("a backup window of 29 minutes over midnight", aurora({ preferredBackupWindow: "23:50-00:19" }), "preferredBackupWindow", '("23:50-00:19")', BACKUP_WINDOW),
    row("a backup window starting at 24:00", aurora({ preferredBackupWindow: "24:00-01:00" }), "preferredBackupWindow", '("24:00-01:00")', BACKUP_WINDOW),
    row("a backup window ending at minute 60", aurora({ preferredBackupWindow: "03:00-03:60" }), "preferredBackupWindow", '("03:00-03:60")', BACKUP_WINDOW),
    row("a backup window with seconds", aurora({ preferredBackupWindow: "03:00-04:00:00" }), "preferredBackupWindow", '("03:00-04:00:00")', BACKUP_WINDOW),
    row("a backup window with a day name", aurora({ preferredBackupWindow: "mon:03:00-04:00" }), "preferredBackupWindow", '("mon:03:00-04:00")', BACKUP_WINDOW),
    row("a backup window given as a list (JavaScript caller)", js({ preferredBackupWindow: ["03:00-04:00"] }), "preferredBackupWindow", '(["03:00-04:00"]) is a list, not a string', 'pass one like "03:00-04:00"'),
    row("a maintenance window of 29 minutes", aurora({ preferredMaintenanceWindow: "sun:05:00-sun:05:29" }), "preferredMaintenanceWindow", '("sun:05:00-sun:05:29")', MAINTENANCE_WINDOW),
    row("a maintenance window of 29 minutes over the week's end", aurora({ preferredMaintenanceWindow: "sun:23:50-mon:00:19" }), "preferredMaintenanceWindow", '("sun:23:50-mon:00:19")', MAINTENANCE_WINDOW),
    row("a maintenance window with a capitalised day", aurora({ preferredMaintenanceWindow: "Sun:05:00-Sun:06:00" }), "preferredMaintenanceWindow", '("Sun:05:00-Sun:06:00")', MAINTENANCE_WINDOW),
    row("a maintenance window after a space", aurora({ preferredMaintenanceWindow: " sun:05:00-sun:06:00" }), "preferredMaintenanceWindow", '(" sun:05:00-sun:06:00")', MAINTENANCE_WINDOW),
    row("a maintenance window with more after it", aurora({ preferredMaintenanceWindow: "sun:05:00-sun:06:00,wed:05:00-wed:06:00" }), "preferredMaintenanceWindow", '("sun:05:00-sun:06:00,wed:05:00-wed:06:00")', MAINTENANCE_WINDOW),
    row("a maintenance window without days", aurora({ preferredMaintenanceWindow: "05:00-06:00" }), "preferredMaintenanceWindow", '("05:00-06:00")', MAINTENANCE_WINDOW),
    row("a maintenance window given as a number (JavaScript caller)", js({ preferredMaintenanceWindow: 5 }), "preferredMaintenanceWindow", "(5) is a number, not a string", 'pass one like "sun:05:00-sun:06:00"'),
    row("a backup window inside the maintenance window", aurora({ preferredBackupWindow: "05:00-05:30" }), "preferredBackupWindow", '("05:00-05:30") overlaps preferredMaintenanceWindow ("sun:05:00-sun:06:00")', "which RDS rejects; move one of them (UTC)"),
    row("a backup window starting inside the maintenance window", aurora({ preferredBackupWindow: "05:59-07:00" }), "preferredBackupWindow", '("05:59-07:00") overlaps', "which RDS rejects; move one of them (UTC)"),

    // Logs and monitoring.
    row("log exports given as one string (JavaScript caller)", js({ cloudwatchLogsExports: "error" }), "cloudwatchLogsExports", '("error") is a string, not a list', 'a string is not split, so write it as a list, e.g. ["error", "slowquery"]'),
    row("a log type Aurora MySQL cannot export", js({ cloudwatchLogsExports: ["error", "postgresql"] }), "cloudwatchLogsExports", '"postgresql"', 'which Aurora MySQL cannot export; use any of ["audit","error","general","slowquery"]'),
    row("a log type listed twice", aurora({ cloudwatchLogsExports: ["slowquery", "error", "slowquery"] }), "cloudwatchLogsExports", '(["slowquery","error","slowquery"]) lists "slowquery" twice', "list each log once"),
    row("a log retention CloudWatch does not offer", aurora({ logRetentionDays: 100 }), "logRetentionDays", "(100)", `is not a CloudWatch Logs retention; use one of ${RETENTIONS}`),
    row("a log retention given as text (JavaScript caller)", js({ logRetentionDays: "90" }), "logRetentionDays", '("90")', `use one of ${RETENTIONS}`),
    row("an Enhanced Monitoring interval RDS does not offer", aurora({ monitoringIntervalSeconds: 20 }), "monitoringIntervalSeconds", "(20)", "is not an Enhanced Monitoring interval; use one of [0,1,5,10,15,30,60] (0 turns it off)"),

    // Booleans from JavaScript callers.
    row("performanceInsights given as text", js({ performanceInsights: "true" }), "performanceInsights", '("true") is a string, not a boolean', "write performanceInsights: true, without quotes"),
    row("autoMinorVersionUpgrade given as a number", js({ autoMinorVersionUpgrade: 1 }), "autoMinorVersionUpgrade", "(1) is a number, not a boolean", "pass true or false"),
    row("finalSnapshot given as text", js({ finalSnapshot: "false" }), "finalSnapshot", '("false") is a string, not a boolean', "write finalSnapshot: false, without quotes"),
    row("deletionProtection given as yes", js({ deletionProtection: "yes" }), "deletionProtection", '("yes") is a string, not a boolean', "pass true or false"),

    // Protection of data.
    row("a 9-character reason for deletion protection off in production", aurora({ deletionProtection: false, deletionProtectionOffReason: "too short" }), "deletionProtection (false)", '"too short"', `${REASON_NEEDED} "too short"), or keep deletionProtection: true`),
    row("a reason that is only padded to 10 characters", aurora({ deletionProtection: false, deletionProtectionOffReason: "   short   " }), "deletionProtection (false)", '"   short   "', REASON_NEEDED),
    row("a reason given as a number (JavaScript caller)", js({ deletionProtection: false, deletionProtectionOffReason: 42 }), "deletionProtectionOffReason", "(42) is a number, not a string", 'say why in words, e.g. "rebuilt nightly from the seed data"'),
    row("a reason while deletion protection is on by default", aurora({ deletionProtectionOffReason: "we delete it by hand" }), "deletionProtectionOffReason", '("we delete it by hand")', REASON_UNUSED),
    row("a reason while deletion protection is turned on in a dev stack", dev({ deletionProtection: true, deletionProtectionOffReason: "we delete it by hand" }), "deletionProtectionOffReason", '("we delete it by hand")', REASON_UNUSED),
    row("a final snapshot identifier with finalSnapshot false", aurora({ finalSnapshot: false, finalSnapshotIdentifier: "keep-me" }), "finalSnapshotIdentifier", '("keep-me")', SNAPSHOT_UNUSED),
    row("a final snapshot identifier in a dev stack (no final snapshot by default)", dev({ finalSnapshotIdentifier: "keep-me" }), "finalSnapshotIdentifier", '("keep-me")', SNAPSHOT_UNUSED),
    row("a final snapshot identifier with two hyphens in a row", aurora({ finalSnapshotIdentifier: "final--snap" }), "finalSnapshotIdentifier", '("final--snap")', SNAPSHOT),
    row("a final snapshot identifier with a trailing hyphen", aurora({ finalSnapshotIdentifier: "keep-me-" }), "finalSnapshotIdentifier", '("keep-me-")', SNAPSHOT),
    row("a final snapshot identifier starting with a digit", aurora({ finalSnapshotIdentifier: "1final" }), "finalSnapshotIdentifier", '("1final")', SNAPSHOT),
    row("a final snapshot identifier of 256 characters", aurora({ finalSnapshotIdentifier: "a".repeat(256) }), "finalSnapshotIdentifier", `("${"a".repeat(256)}")`, SNAPSHOT),
    row("a final snapshot identifier given as a list (JavaScript caller)", js({ finalSnapshotIdentifier: ["keep-me"] }), "finalSnapshotIdentifier", '(["keep-me"]) is a list, not a string', 'pass one like "test-db-final"'),
    row("a KMS key ARN after a space", aurora({ masterUserSecretKmsKeyArn: " arn:aws:kms:us-east-1:111122223333:key/1234abcd" }), "masterUserSecretKmsKeyArn", '(" arn:aws:kms:us-east-1:111122223333:key/1234abcd")', KMS),
    row("a KMS key ARN with more after the key id", aurora({ masterUserSecretKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd/v2" }), "masterUserSecretKmsKeyArn", '("arn:aws:kms:us-east-1:111122223333:key/1234abcd/v2")', KMS),
    row("a KMS key alias", aurora({ masterUserSecretKmsKeyArn: "alias/db" }), "masterUserSecretKmsKeyArn", '("alias/db")', KMS),
    row("a KMS alias ARN", aurora({ masterUserSecretKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:alias/db" }), "masterUserSecretKmsKeyArn", '("arn:aws:kms:us-east-1:111122223333:alias/db")', KMS),
    row("a KMS key ARN with an 11-digit account", aurora({ masterUserSecretKmsKeyArn: "arn:aws:kms:us-east-1:11112222333:key/1234abcd" }), "masterUserSecretKmsKeyArn", '("arn:aws:kms:us-east-1:11112222333:key/1234abcd")', KMS),
    row("a KMS key given as a number (JavaScript caller)", js({ masterUserSecretKmsKeyArn: 1234 }), "masterUserSecretKmsKeyArn", "(1234) is a number, not a string", "pass a KMS key ARN or a key's arn attribute"),

    // No literal password, anywhere (never echoed).
    row("a password under the key pass", aurora({ pass: "hunter2hunter2" }), "pass", "(<redacted, 14 characters>) looks like a literal password", `${NO_PASSWORD} pass and have clients`),
    row("a passphrase", aurora({ dbPassphrase: "hunter2hunter2" }), "dbPassphrase", "(<redacted, 14 characters>) looks like a literal password", `${NO_PASSWORD} dbPassphrase and have clients`),
    row("a password given as a number", aurora({ passwd: 12345678 }), "passwd", "(<redacted, 8 characters>) looks like a literal password", `${NO_PASSWORD} passwd and have clients`),
    row("a password nested in a settings object", aurora({ extra: { admin: { dbPassword: "hunter2hunter2" } } }), "extra.admin.dbPassword", "(<redacted, 14 characters>)", `${NO_PASSWORD} extra.admin.dbPassword and have clients`),
    row("a password written into a list entry", js({ cloudwatchLogsExports: ["error", "password=hunter2hunter2"] }), "cloudwatchLogsExports.1", "(<redacted, 23 characters>) contains what looks like a password", `${NO_PASSWORD} cloudwatchLogsExports.1 and have clients`),
    row("a password with spaces around the colon", aurora({ deletionProtection: false, deletionProtectionOffReason: "password : hunter2hunter2" }), "deletionProtectionOffReason", "(<redacted, 25 characters>) contains what looks like a password", `${NO_PASSWORD} deletionProtectionOffReason and have clients`),
    row("a password after a list prop", aurora({ cloudwatchLogsExports: ["error"], dbPassword: "hunter2hunter2" }), "dbPassword", "(<redacted, 14 characters>) looks like a literal password", `${NO_PASSWORD} dbPassword and have clients`),
    row("a password after a settings object", aurora({ extra: { note: "kept" }, dbPassword: "hunter2hunter2" }), "dbPassword", "(<redacted, 14 characters>) looks like a literal password", `${NO_PASSWORD} dbPassword and have clients`),
    row("a password in a settings object without a prototype", aurora({ extra: Object.assign(Object.create(null), { dbPassword: "hunter2hunter2" }) }), "extra.dbPassword", "(<redacted, 14 characters>)", `${NO_PASSWORD} extra.dbPassword and have clients`),
    row("a connection URL with a password as the identifier", aurora({ identifier: "mysql://admin:hunter2hunter2@db" }), "identifier", "(<redacted, 31 characters>) contains what looks like a password", `${NO_PASSWORD} identifier and have clients`),
  ];
}

/** Assumptions are checked before the stack is read, so any synthesized JSON will do. */
function costRows(): BadInputRow[] {
  const cost = (assumptions: unknown) => () => estimateMonthlyCost({ resource: {} }, assumptions as CostAssumptions);
  const row = (c: string, assumptions: unknown, field: string, value: string, fix: string): BadInputRow => ({
    module: "estimateMonthlyCost",
    case: c,
    build: cost(assumptions),
    field,
    value,
    fix,
  });
  const HOURS = "must be more than 0 and at most 744 (31 days); AWS's pricing pages use 730";
  return [
    row("negative NAT traffic", { natDataGbPerMonth: -5 }, "assumptions.natDataGbPerMonth", "(-5)", "pass e.g. natDataGbPerMonth: 100, or omit it for that default"),
    row("NaN LCUs", { albLcusPerHour: NaN }, "assumptions.albLcusPerHour", "(NaN)", "pass e.g. albLcusPerHour: 1, or omit it for that default"),
    row("infinite Aurora storage", { auroraStorageGbPerCluster: Infinity }, "assumptions.auroraStorageGbPerCluster", "(Infinity)", "pass e.g. auroraStorageGbPerCluster: 20, or omit it for that default"),
    row("Aurora I/O as a string (JavaScript caller)", { auroraIoMillionsPerCluster: "10" }, "assumptions.auroraIoMillionsPerCluster", '("10")', "pass e.g. auroraIoMillionsPerCluster: 10, or omit it for that default"),
    row("a month of no hours", { hoursPerMonth: 0 }, "assumptions.hoursPerMonth", "(0)", HOURS),
    row("a month longer than 31 days", { hoursPerMonth: 800 }, "assumptions.hoursPerMonth", "(800)", HOURS),
    row("a misspelt assumption", { natDataGB: 100 }, "assumptions.natDataGB", "(100)", `use one of ${Object.keys(DEFAULT_COST_ASSUMPTIONS).join(", ")}`),
    row("assumptions that are not an object", 100, "assumptions", "(100)", "must be an object such as { natDataGbPerMonth: 100 }; omit it for the defaults"),
  ];
}

/** Secret-looking values some rows pass; no message may repeat them, or even their first half. */
const SECRETS_IN_ROWS = ["wJalrXUtnFEMI/K7MDENG", "AKIAIOSFODNN7", "hunter2hunter2"];

/** Which rows cover a source file that throws ValidationError: a new throwing file needs rows and an entry here. */
const ROWS_FOR_SOURCE: Record<string, string> = {
  "lib/ha-stack.ts": "HaStack",
  "lib/naming.ts": "AppTier",
  "modules/ha-vpc/validation.ts": "HaVpc",
  "modules/app-tier/validation.ts": "AppTier",
  "modules/aurora-cluster/validation.ts": "AuroraCluster",
  "modules/inventory-app/validate.ts": "inventory-app",
  "modules/guardrails/guardrails.ts": "Guardrails",
  "lib/connection-budget.ts": "connection budget",
  "modules/aurora-cluster/aurora-cluster.ts": "AuroraCluster",
  "modules/cost-estimate/assumptions.ts": "estimateMonthlyCost",
  "modules/drills/validation.ts": "FailureDrills",
  "modules/ha-vpc/ha-vpc.ts": "HaVpc",
  "modules/inventory-app/index.ts": "inventory-app",
  "modules/inventory-app/server-config.ts": "connection budget",
  "modules/monitoring/validation.ts": "HaMonitoring",
  "stacks/config.ts": "loadStackConfig",
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
    expect(message).toContain(row.fix);
    for (const secret of SECRETS_IN_ROWS) expect(message).not.toContain(secret);
  });
});
