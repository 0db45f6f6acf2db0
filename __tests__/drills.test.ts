/**
 * FailureDrills: which templates a stack gets, what each does to which resources, what its role
 * may do, what stops it, where it logs, and that each description says what the AZ-loss report
 * predicts. Plus the offline dry run of `npm run drill`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, Testing } from "cdktf";
import { AppTier, InstanceRedundancy } from "../modules/app-tier";
import { AuroraCluster, DatabaseAvailability } from "../modules/aurora-cluster";
import { DrillKind, FailureDrills, FailureDrillsProps, predictAzLoss } from "../modules/drills";
import { buildAzLossReport } from "../modules/guardrails/az-loss-report";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { HaMonitoring } from "../modules/monitoring";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { chooseDrill, describeDrill, parseDrillArgs } from "../scripts/drill";
import { SynthResource, Template, testStack } from "./helpers/template";

const AZS = ["us-east-1a", "us-east-1b"];

function lab(azs = AZS) {
  const stack = new LabStack(Testing.app(), "lab", { region: "us-east-1", azs });
  return { stack, template: Template.of(stack) };
}

const templateOf = (t: Template, kind: string, az?: string): SynthResource => {
  const found = t.resources("aws_fis_experiment_template").filter((r) => r.values.tags["ha-drill"] === kind && r.values.tags["ha-drill-az"] === az);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${az ?? ""} template, found ${found.length}`);
  return found[0];
};

/** The policy statements of the role a template runs as. */
function statementsOf(t: Template, template: SynthResource): Array<Record<string, any>> {
  const role = template.values.role_arn.match(/aws_iam_role\.([^.]+)\.arn/)[1];
  const policy = t.resources("aws_iam_role_policy").find((p) => p.values.role === `\${aws_iam_role.${role}.id}`)!;
  const document = policy.values.policy.match(/data\.aws_iam_policy_document\.([^.]+)\.json/)[1];
  return t.json.data.aws_iam_policy_document[document].statement;
}

const allowed = (statements: Array<Record<string, any>>) => [...new Set(statements.flatMap((s) => s.actions))].sort();

describe("GIVEN lab", () => {
  const { template: t, stack } = lab();

  test("THEN it has instance loss, database failover and an AZ loss per AZ, tagged for the report", () => {
    const tags = t.resources("aws_fis_experiment_template").map((r) => `${r.values.tags["ha-drill"]} ${r.values.tags["ha-drill-az"] ?? ""}`.trim());
    expect(tags.sort()).toEqual(["az-loss us-east-1a", "az-loss us-east-1b", "db-failover", "instance-loss"]);
    expect(stack.drills.templates.map((d) => d.key)).toEqual(["instance-loss", "db-failover", "az-loss:us-east-1a", "az-loss:us-east-1b"]);
  });

  test("THEN instance loss terminates one running instance of the app's group, and its role may do only that", () => {
    const template = templateOf(t, "instance-loss");
    expect(template.values.target).toEqual([
      {
        name: "AppInstances",
        resource_type: "aws:ec2:instance",
        selection_mode: "COUNT(1)",
        resource_tag: [{ key: "aws:autoscaling:groupName", value: "lab-app" }],
        filter: [{ path: "State.Name", values: ["running"] }],
      },
    ]);
    expect(template.values.action).toEqual([
      { name: "TerminateOneInstance", action_id: "aws:ec2:terminate-instances", target: { key: "Instances", value: "AppInstances" } },
    ]);
    const statements = statementsOf(t, template);
    expect(allowed(statements)).toEqual(["ec2:DescribeInstances", "ec2:TerminateInstances"]);
    expect(statements.find((s) => s.actions.includes("ec2:TerminateInstances"))).toMatchObject({
      resources: ["arn:aws:ec2:us-east-1:*:instance/*"],
      condition: [{ test: "StringEquals", variable: "aws:ResourceTag/aws:autoscaling:groupName", values: ["lab-app"] }],
    });
    expect(template.values.description).toMatch(/Expected: 1 of 2 instances keep serving while the group launches a replacement/);
  });

  test("THEN database failover fails this cluster over, and its role may fail over only this cluster", () => {
    const template = templateOf(t, "db-failover");
    expect(template.values.action[0].action_id).toBe("aws:rds:failover-db-cluster");
    expect(template.values.target[0]).toMatchObject({ resource_type: "aws:rds:cluster", resource_arns: [Template.ref(t.resource("aws_rds_cluster", "Database/Cluster"), "arn")] });
    expect(statementsOf(t, template)).toEqual([
      expect.objectContaining({ actions: ["rds:FailoverDBCluster", "rds:DescribeDBClusters"], resources: ["arn:aws:rds:us-east-1:*:cluster:lab-database"] }),
    ]);
  });

  test.each(AZS)("THEN the AZ loss of %s cuts that AZ's subnets, stops its instances, refuses launches there and fails the database over, for 10 minutes", (az) => {
    const template = templateOf(t, "az-loss", az);
    const targets = Object.fromEntries(template.values.target.map((x: any) => [x.name, x]));
    const subnets = ["PublicSubnet", "PrivateSubnet", "IsolatedSubnet"].map((s) => Template.ref(t.resource("aws_subnet", `Network/${az}/${s}`), "arn"));
    expect(targets.Subnets.resource_arns).toEqual(subnets);
    expect(targets.AppInstances.filter).toContainEqual({ path: "Placement.AvailabilityZone", values: [az] });
    expect(targets.AutoScalingGroup.resource_arns).toEqual([Template.ref(t.resource("aws_autoscaling_group", "App/AutoScalingGroup"), "arn")]);
    const actions = Object.fromEntries(template.values.action.map((a: any) => [a.action_id, a]));
    expect(Object.keys(actions).sort()).toEqual([
      "aws:ec2:asg-insufficient-instance-capacity-error",
      "aws:ec2:stop-instances",
      "aws:network:disrupt-connectivity",
      "aws:rds:failover-db-cluster",
    ]);
    expect(actions["aws:network:disrupt-connectivity"].parameter).toContainEqual({ key: "duration", value: "PT10M" });
    expect(actions["aws:ec2:stop-instances"].parameter).toContainEqual({ key: "startInstancesAfterDuration", value: "PT10M" });
    expect(actions["aws:ec2:asg-insufficient-instance-capacity-error"].parameter).toEqual(
      expect.arrayContaining([{ key: "availabilityZoneIdentifiers", value: az }, { key: "duration", value: "PT10M" }, { key: "percentage", value: "100" }]),
    );
    expect(template.values.description).toMatch(new RegExp(`AZ power loss in ${az} for 10 min.*The AZ-loss report predicts: no loss of service\\.$`));
  });

  test("THEN an AZ-loss role changes network ACLs only if FIS-tagged, re-associates only that AZ's subnets, and refuses launches only of this group", () => {
    const template = templateOf(t, "az-loss", "us-east-1a");
    const statements = statementsOf(t, template);
    const bySid = Object.fromEntries(statements.map((s) => [s.sid, s]));
    expect(bySid.ChangeFisNetworkAcl.condition).toEqual([{ test: "StringEquals", variable: "aws:ResourceTag/managedByFIS", values: ["true"] }]);
    expect(bySid.CreateFisNetworkAcl.condition).toEqual([{ test: "StringEquals", variable: "aws:RequestTag/managedByFIS", values: ["true"] }]);
    expect(bySid.SwapAclsOfThisAz.resources).toEqual([
      ...["PublicSubnet", "PrivateSubnet", "IsolatedSubnet"].map((s) => Template.ref(t.resource("aws_subnet", `Network/us-east-1a/${s}`), "arn")),
      "arn:aws:ec2:us-east-1:*:network-acl/*",
    ]);
    expect(JSON.stringify(statements)).not.toContain("us-east-1b/");
    expect(bySid.RefuseLaunchesOfThisGroup.condition).toEqual([
      { test: "ForAnyValue:StringEquals", variable: "ec2:FisActionId", values: ["aws:ec2:asg-insufficient-instance-capacity-error"] },
      { test: "ForAllValues:StringLike", variable: "ec2:FisTargetArns", values: ["arn:aws:autoscaling:us-east-1:*:autoScalingGroup:*:autoScalingGroupName/lab-app"] },
    ]);
    // Nothing that changes a resource is granted on "*" without a condition.
    for (const s of statements) {
      const mutating = s.actions.filter((a: string) => !/:(Describe|Get)/.test(a));
      if (mutating.length > 0 && s.resources.includes("*")) expect(s.condition).toBeDefined();
    }
  });

  test("THEN every drill stops on the 5xx rates, an AZ loss also on the other AZ's healthy hosts, never its own", () => {
    const arn = (name: string) => Template.ref(t.find("aws_cloudwatch_metric_alarm", { alarm_name: name })[0], "arn");
    const stops = (r: SynthResource) => r.values.stop_condition.map((s: any) => s.value);
    expect(stops(templateOf(t, "instance-loss"))).toEqual([arn("lab-app-alb-5xx-rate"), arn("lab-app-target-5xx-rate")]);
    expect(stops(templateOf(t, "az-loss", "us-east-1a"))).toEqual([
      arn("lab-app-alb-5xx-rate"),
      arn("lab-app-target-5xx-rate"),
      arn("lab-app-healthy-hosts-us-east-1b"),
    ]);
    for (const r of t.resources("aws_fis_experiment_template")) {
      expect(r.values.stop_condition.every((s: any) => s.source === "aws:cloudwatch:alarm")).toBe(true);
      expect(r.values.log_configuration).toEqual({
        log_schema_version: 2,
        cloudwatch_logs_configuration: { log_group_arn: `${Template.ref(t.resource("aws_cloudwatch_log_group", "Drills/LogGroup"), "arn")}:*` },
      });
    }
  });

  test("THEN the report names, per AZ, the drill that tests it and the alarm that watches it", () => {
    const report = buildAzLossReport(t.json);
    expect(report.scenarios.map((s) => [s.lostAz, s.drills, s.alarms])).toEqual([
      ["us-east-1a", ["lab-app-az-loss-us-east-1a"], ["lab-app-healthy-hosts-us-east-1a"]],
      ["us-east-1b", ["lab-app-az-loss-us-east-1b"], ["lab-app-healthy-hosts-us-east-1b"]],
    ]);
    expect(report.alarms).toHaveLength(7);
  });
});

test("GIVEN dev THEN it carries only the instance-loss drill, and its AZ rows name no drill", () => {
  const stack = new DevStack(Testing.app(), "dev", { region: "us-east-1", azs: AZS });
  const t = Template.of(stack);
  expect(t.resources("aws_fis_experiment_template").map((r) => r.values.tags["ha-drill"])).toEqual(["instance-loss"]);
  expect(templateOf(t, "instance-loss").values.description).toMatch(/the app is down until the group has booted a replacement/);
  expect(buildAzLossReport(t.json).scenarios.map((s) => s.drills)).toEqual([[], []]);
});

/** A stack with every drill over the given network and capacity choices. */
function drillsStack(options: { nat: NatGatewayMode; min: number; props?: Partial<FailureDrillsProps> }) {
  const stack = testStack();
  const network = new HaVpc(stack, "Net", { azs: AZS, natGateways: options.nat });
  const database = new AuroraCluster(stack, "Db", { vpc: network, availability: DatabaseAvailability.MULTI_AZ });
  const app = new AppTier(stack, "App", {
    vpc: network,
    minCapacity: options.min,
    desiredCapacity: options.min,
    maxCapacity: 4,
    redundancy: options.min < AZS.length ? InstanceRedundancy.REDUCED : InstanceRedundancy.PER_AZ,
  });
  const monitoring = new HaMonitoring(stack, "Monitoring", { app, database });
  const drills = new FailureDrills(stack, "Drills", { network, app, database, monitoring, ...options.props });
  return { stack, network, app, database, drills };
}

test.each([
  { nat: NatGatewayMode.PER_AZ, min: 2 },
  { nat: NatGatewayMode.SINGLE, min: 2 },
  { nat: NatGatewayMode.SINGLE, min: 1 },
])("GIVEN NAT $nat and minimum $min THEN each AZ-loss description says exactly what the report computes", ({ nat, min }) => {
  const { stack, network, app, database, drills } = drillsStack({ nat, min });
  const report = buildAzLossReport(Template.of(stack).json);
  for (const scenario of report.scenarios) {
    const predicted = predictAzLoss(network, app, database, scenario.lostAz);
    expect(predicted).toHaveLength(scenario.losses.length);
    const description = drills.template(DrillKind.AZ_LOSS, scenario.lostAz)!.description;
    if (scenario.keepsService) expect(description).toMatch(/predicts: no loss of service\.$/);
    else expect(description).toMatch(/predicts: loss of service: /);
  }
});

// 1 and 720 are FIS's limits for these actions (PT1M to PT12H): both ends are accepted.
test.each([45, 1, 720])("GIVEN azLossDurationMinutes %i THEN every AZ-loss action lasts that many minutes", (minutes) => {
  const { stack } = drillsStack({ nat: NatGatewayMode.PER_AZ, min: 2, props: { azLossDurationMinutes: minutes } });
  const t = Template.of(stack);
  const durations = t
    .resources("aws_fis_experiment_template")
    .filter((r) => r.values.tags["ha-drill"] === "az-loss")
    .flatMap((r) => r.values.action.flatMap((a: any) => (a.parameter ?? []).filter((p: any) => /duration/i.test(p.key)).map((p: any) => p.value)));
  expect(durations).toHaveLength(6);
  expect(new Set(durations)).toEqual(new Set([`PT${minutes}M`]));
});

describe("npm run drill --dry-run (offline)", () => {
  test("GIVEN lab az-loss --az us-east-1b THEN it names that AZ's subnets, instances, group, cluster and stop alarms, and starts nothing", () => {
    // A real synth (as the command does): cdk.tf.json carries the construct paths the text names.
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-dry-run-"));
    const app = new App({ outdir, stackTraces: false });
    new LabStack(app, "lab", { region: "us-east-1", azs: AZS });
    const chosen = chooseDrill(app, parseDrillArgs(["lab", "az-loss", "--az", "us-east-1b", "--dry-run"]));
    app.synth();
    const text = describeDrill(JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "lab", "cdk.tf.json"), "utf8")), chosen);
    fs.rmSync(outdir, { recursive: true, force: true });
    expect(text).toMatch(/^DRY RUN \(nothing is started\): lab az-loss:us-east-1b/);
    expect(text).toContain("Subnets: aws:ec2:subnet, ALL: Network/us-east-1b/PublicSubnet; Network/us-east-1b/PrivateSubnet; Network/us-east-1b/IsolatedSubnet");
    expect(text).toContain("instances tagged aws:autoscaling:groupName=lab-app; State.Name in [running]; Placement.AvailabilityZone in [us-east-1b]");
    expect(text).toContain("AutoScalingGroup: aws:ec2:autoscaling-group, ALL: lab-app (App/AutoScalingGroup)");
    expect(text).toContain("CutNetwork: aws:network:disrupt-connectivity on Subnets (duration=PT10M, scope=all)");
    expect(text).toContain("stops when any alarm fires: lab-app-alb-5xx-rate, lab-app-target-5xx-rate, lab-app-healthy-hosts-us-east-1a");
    expect(text).toContain("a real run needs --yes-production");
    expect(text).not.toContain("us-east-1a/");
  });
});
