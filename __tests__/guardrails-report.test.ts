/**
 * The single-AZ-loss report: what still works when each AZ is lost, computed from the synthesized
 * JSON. Fixture stacks carry the ALB/ASG/Aurora resources that lab and dev do not have yet.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformVariable, Testing } from "cdktf";
import { buildApp } from "../main";
import {
  AzLossReport,
  HA_REPORT_JSON_FILE,
  HA_REPORT_MARKDOWN_FILE,
  buildAzLossReport,
  renderAzLossMarkdown,
  reportApp,
} from "../modules/guardrails/az-loss-report";
import { Guardrails } from "../modules/guardrails/guardrails";
import { loadStackConfig } from "../stacks/config";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { FullFixture, fullFixture, networkFixture } from "./helpers/guardrails/fixtures";
import { testStack } from "./helpers/template";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { FisExperimentTemplate } from "@cdktf/provider-aws/lib/fis-experiment-template";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { DRILL_AZ_TAG, DRILL_TAG } from "../lib/drill-tags";
import { Alb } from "@cdktf/provider-aws/lib/alb";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { HaStack } from "../lib/ha-stack";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";

const ROOT = path.resolve(__dirname, "..");

function reportOf(fx: FullFixture): AzLossReport {
  Testing.synth(fx.stack); // runs the packs, so findings are included
  return buildAzLossReport(fx.stack.toTerraform(), {
    findings: Guardrails.findings(fx.stack),
    suppressions: Guardrails.suppressions(fx.stack),
  });
}

function scenario(report: AzLossReport, az: string) {
  return report.scenarios.find((s) => s.lostAz === az)!;
}

describe("GIVEN the HA fixture (ALB and ASG over 2 AZs, NAT per AZ, writer and reader in different AZs)", () => {
  const report = reportOf(fullFixture());

  test("THEN no single AZ loss costs service", () => {
    expect(report.azs).toEqual(["us-east-1a", "us-east-1b"]);
    expect(report.serviceLostIn).toEqual([]);
    expect(report.scenarios.every((s) => s.losses.length === 0)).toBe(true);
  });

  test("WHEN us-east-1a is lost THEN the ALB serves from us-east-1b", () => {
    expect(scenario(report, "us-east-1a").loadBalancers).toEqual([
      { resource: "Web/Alb", azs: ["us-east-1a", "us-east-1b"], survivingAzs: ["us-east-1b"], ok: true },
    ]);
  });

  test("WHEN us-east-1a is lost THEN 1 of the 2 minimum instances is left and the ASG relaunches in us-east-1b", () => {
    expect(scenario(report, "us-east-1a").capacity).toEqual([
      {
        resource: "Web/Asg",
        azs: ["us-east-1a", "us-east-1b"],
        minSize: 2,
        capacityLeft: 1,
        relaunchAzs: ["us-east-1b"],
        canRelaunch: true,
        ok: true,
      },
    ]);
  });

  test("WHEN us-east-1a is lost THEN the surviving private subnet keeps egress through its own NAT", () => {
    expect(scenario(report, "us-east-1a").egress).toEqual([
      { subnet: "Net/us-east-1b/Private", subnetAz: "us-east-1b", natGateway: "Net/us-east-1b/Nat", natAz: "us-east-1b", ok: true },
    ]);
  });

  test("WHEN us-east-1b is lost THEN the writer in us-east-1a is left", () => {
    expect(scenario(report, "us-east-1b").databases).toEqual([
      {
        resource: "Db/Cluster",
        instances: [
          { resource: "Db/Instance1", az: "us-east-1a" },
          { resource: "Db/Instance2", az: "us-east-1b" },
        ],
        survivingInstances: ["Db/Instance1"],
        ok: true,
      },
    ]);
  });
});

describe("GIVEN the dev trade-offs (single NAT in us-east-1a, one DB instance in us-east-1a, ASG minimum 1)", () => {
  const fx = fullFixture({ natPerAz: false, instanceAzs: ["us-east-1a"], asgMin: 1 });
  Guardrails.suppress(fx.net.privateRouteTables[1], "HA-NAT-1", "fixture: one NAT gateway to save cost");
  Guardrails.suppress(fx.web.asg, "HA-ASG-2", "fixture: one instance is enough for dev traffic");
  Guardrails.suppress(fx.db.cluster, "HA-DB-1", "fixture: dev restores from backup after an AZ loss");
  const report = reportOf(fx);

  test("THEN losing us-east-1a cuts egress, leaves no app instance until relaunch and loses the database until restore", () => {
    expect(scenario(report, "us-east-1a").losses).toEqual([
      "app Web/Asg: 0 of 1 minimum instances left until the group relaunches in us-east-1b",
      "private subnet Net/us-east-1b/Private (us-east-1b) loses internet egress: its NAT gateway Net/us-east-1a/Nat is in us-east-1a",
      "database Db/Cluster has no instance pinned outside us-east-1a (1 instance(s)): it is down until a new instance is created in a surviving AZ (the cluster volume spans three AZs, so the data survives)",
    ]);
  });

  test("THEN losing us-east-1b costs only the app's single instance (assumed to be there) until relaunch", () => {
    expect(scenario(report, "us-east-1b").losses).toEqual([
      "app Web/Asg: 0 of 1 minimum instances left until the group relaunches in us-east-1a",
    ]);
    expect(scenario(report, "us-east-1b").egress.every((e) => e.ok)).toBe(true);
    expect(scenario(report, "us-east-1b").databases[0].ok).toBe(true);
  });

  test("THEN each trade-off is listed as a suppressed finding with its reason", () => {
    expect(report.guardrails.findings.map((f) => [f.ruleId, f.suppressedBy?.reason])).toEqual([
      ["HA-NAT-1", "fixture: one NAT gateway to save cost"],
      ["HA-ASG-2", "fixture: one instance is enough for dev traffic"],
      ["HA-DB-1", "fixture: dev restores from backup after an AZ loss"],
    ]);
    expect(report.guardrails.suppressions.map((s) => [s.ruleId, s.findings])).toEqual([
      ["HA-NAT-1", 1],
      ["HA-ASG-2", 1],
      ["HA-DB-1", 1],
    ]);
  });

  test("THEN the Markdown shows a LOSS row per AZ and the suppressions", () => {
    const md = renderAzLossMarkdown(report);
    expect(md).toContain("| Lost AZ | Load balancer nodes | App capacity (left / min) | Private egress | AWS services via endpoints | Database | Service |");
    expect(md).toMatch(/\| us-east-1a \| ok Web\/Alb: us-east-1b \| LOST Web\/Asg: 0 \/ 1, relaunches in us-east-1b \| LOST: 0\/1 .* \| LOST Db\/Cluster: no instance left \| \*\*LOSS\*\* \(3\) \|/);
    expect(md).toContain("| HA-DB-1 | test/Db/Cluster | 1 | fixture: dev restores from backup after an AZ loss |");
  });
});

describe("what the report cannot tell is never counted as surviving", () => {
  test("GIVEN a DB instance with no pinned AZ WHEN the writer's AZ is lost THEN no instance is counted as left", () => {
    const fx = fullFixture();
    fx.db.instances[1].resetAvailabilityZone(); // AWS picks its AZ: possibly the same as the writer's
    const report = reportOf(fx);
    expect(scenario(report, "us-east-1a").databases).toEqual([
      {
        resource: "Db/Cluster",
        instances: [{ resource: "Db/Instance1", az: "us-east-1a" }, { resource: "Db/Instance2" }],
        survivingInstances: [],
        ok: false,
      },
    ]);
    expect(scenario(report, "us-east-1a").losses).toContain(
      "database Db/Cluster has no instance pinned outside us-east-1a (2 instance(s)): it is down until a new instance is created in a surviving AZ (the cluster volume spans three AZs, so the data survives)",
    );
    expect(scenario(report, "us-east-1b").databases[0]).toMatchObject({ survivingInstances: ["Db/Instance1"], ok: true });
    expect(report.serviceLostIn).toEqual(["us-east-1a"]);
  });

  test("GIVEN a private subnet routed through a NAT gateway whose AZ cannot be told WHEN the other AZ is lost THEN that subnet's egress is counted as lost", () => {
    const fx = fullFixture();
    // A subnet id from outside the stack: the report cannot know the NAT's AZ.
    fx.net.natGateways[1].subnetId = "subnet-0123456789abcdef0";
    const report = reportOf(fx);
    expect(scenario(report, "us-east-1a").egress).toEqual([
      { subnet: "Net/us-east-1b/Private", subnetAz: "us-east-1b", natGateway: "Net/us-east-1b/Nat", natAz: undefined, ok: false },
    ]);
    expect(scenario(report, "us-east-1a").losses).toContain(
      "private subnet Net/us-east-1b/Private (us-east-1b) loses internet egress: its NAT gateway Net/us-east-1b/Nat is in an unknown AZ",
    );
    // The other private subnet's NAT is known (us-east-1a) and survives the loss of us-east-1b.
    expect(scenario(report, "us-east-1b").egress).toEqual([
      { subnet: "Net/us-east-1a/Private", subnetAz: "us-east-1a", natGateway: "Net/us-east-1a/Nat", natAz: "us-east-1a", ok: true },
    ]);
    expect(report.serviceLostIn).toEqual(["us-east-1a"]);
  });
});

describe("capacity arithmetic (instances spread evenly: the lost AZ held ceil(min / AZs))", () => {
  test.each([
    { azs: ["us-east-1a", "us-east-1b", "us-east-1c"], min: 3, left: 2 },
    { azs: ["us-east-1a", "us-east-1b", "us-east-1c"], min: 4, left: 2 },
    { azs: ["us-east-1a", "us-east-1b"], min: 5, left: 2 },
  ])("GIVEN min $min over $azs.length AZs WHEN one is lost THEN $left are left", ({ azs, min, left }) => {
    const report = reportOf(fullFixture({ azs, asgMin: min, instanceAzs: azs }));
    expect(report.scenarios.map((s) => s.capacity[0].capacityLeft)).toEqual(azs.map(() => left));
  });

  test("GIVEN an ASG in one AZ WHEN that AZ is lost THEN nothing is left and it cannot relaunch", () => {
    const fx = fullFixture();
    fx.web.asg.vpcZoneIdentifier = [fx.net.privateSubnets[0].id];
    const lost = scenario(reportOf(fx), "us-east-1a").capacity[0];
    expect(lost).toMatchObject({ capacityLeft: 0, canRelaunch: false, ok: false });
    expect(scenario(reportOf(fx), "us-east-1b").capacity[0]).toMatchObject({ capacityLeft: 2, ok: true });
  });

  test("GIVEN an ALB in one AZ WHEN that AZ is lost THEN it stops serving", () => {
    const fx = fullFixture();
    fx.web.alb.subnets = [fx.net.publicSubnets[1].id];
    expect(scenario(reportOf(fx), "us-east-1b").losses).toContain("load balancer Web/Alb has no subnet outside us-east-1b: it stops serving");
  });
});

describe("the lab and dev stacks", () => {
  function synthApp(): { app: App; outdir: string } {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-report-"));
    const app = buildApp({ outdir });
    app.synth();
    return { app, outdir };
  }

  test("GIVEN lab WHEN any AZ is lost THEN there is no loss of service and no finding", () => {
    const { app } = synthApp();
    const lab = reportApp(app).find((r) => r.stack.node.id === "lab")!.report;
    expect(lab.azs).toEqual(["us-east-1a", "us-east-1b"]);
    expect(lab.serviceLostIn).toEqual([]);
    expect(lab.guardrails.findings).toEqual([]);
  });

  test("GIVEN lab and dev THEN the report shows each app tier's database connection budget (HA-DB-2)", () => {
    const { app } = synthApp();
    const reports = reportApp(app);
    const budget = (id: string) => reports.find((r) => r.stack.node.id === id)!.report.connectionBudgets;
    expect(budget("lab")).toEqual([
      { group: "App/AutoScalingGroup", database: "Database/Cluster", maxSize: 4, perInstance: 8, needed: 42, maxConnections: 90, ok: true },
    ]);
    expect(budget("dev")).toEqual([expect.objectContaining({ maxSize: 2, perInstance: 8, needed: 26, maxConnections: 90, ok: true })]);
    const markdown = renderAzLossMarkdown(reports.find((r) => r.stack.node.id === "lab")!.report);
    expect(markdown).toContain("| App/AutoScalingGroup | Database/Cluster | 4 × 8 + 10 = 42 | 90 | ok |");
  });

  test("GIVEN dev WHEN either AZ is lost THEN exactly its named trade-offs show", () => {
    const { app } = synthApp();
    const dev = reportApp(app).find((r) => r.stack.node.id === "dev")!.report;
    expect(dev.serviceLostIn).toEqual(["us-east-1a", "us-east-1b"]);
    // us-east-1a holds the single NAT gateway and the single database instance.
    expect(scenario(dev, "us-east-1a").losses).toEqual([
      "app App/AutoScalingGroup: 0 of 1 minimum instances left until the group relaunches in us-east-1b",
      "private subnet Network/us-east-1b/PrivateSubnet (us-east-1b) loses internet egress: its NAT gateway Network/us-east-1a/NatGateway is in us-east-1a",
      "database Database/Cluster has no instance pinned outside us-east-1a (1 instance(s)): it is down until a new instance is created in a surviving AZ (the cluster volume spans three AZs, so the data survives)",
    ]);
    // One app instance: wherever it runs, losing its AZ leaves none until a replacement boots.
    expect(scenario(dev, "us-east-1b").losses).toEqual([
      "app App/AutoScalingGroup: 0 of 1 minimum instances left until the group relaunches in us-east-1a",
    ]);
    expect(dev.guardrails.suppressions.map((s) => [s.ruleId, s.path, s.findings])).toEqual([
      ["HA-NAT-1", "dev/Network", 1],
      ["HA-DB-1", "dev/Database", 1],
      ["SEC-RDS-3", "dev/Database", 1],
      ["HA-ASG-2", "dev/App", 1],
      ["SEC-ALB-3", "dev/App", 1],
    ]);
  });

  test("GIVEN the synthesized app THEN ha-report.md and ha-report.json are written next to each stack's cdk.tf.json", () => {
    const { app, outdir } = synthApp();
    reportApp(app);
    for (const stack of ["dev", "lab"]) {
      const dir = path.join(outdir, "stacks", stack);
      expect(fs.readdirSync(dir).sort()).toEqual([HA_REPORT_JSON_FILE, HA_REPORT_MARKDOWN_FILE, "cdk.tf.json"].sort());
      const json = JSON.parse(fs.readFileSync(path.join(dir, HA_REPORT_JSON_FILE), "utf8"));
      expect(json.stack).toBe(stack);
      expect(fs.readFileSync(path.join(dir, HA_REPORT_MARKDOWN_FILE), "utf8")).toContain(`## Stack \`${stack}\``);
    }
  });

  test("GIVEN the compiled report command THEN it prints the per-AZ table of both stacks and exits 0", () => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(ROOT, "tsconfig.json")], { cwd: ROOT });
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-report-cmd-"));
    const stdout = execFileSync(process.execPath, [path.join(ROOT, "dist", "scripts", "report.js")], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    expect(stdout).toContain("## Stack `dev`: what still works when one AZ is lost");
    expect(stdout).toContain("## Stack `lab`: what still works when one AZ is lost");
    expect(stdout).toMatch(/\| us-east-1a \| ok App\/Alb: us-east-1b \| LOST .* \| LOST: 0\/1 surviving private subnets keep egress \| ok s3: 1\/1 \(gateway\) \| LOST Database\/Cluster: no instance left \| \*\*LOSS\*\* \(3\) \|/);
    expect(stdout).toMatch(/\| us-east-1a \| ok App\/Alb: us-east-1b \| ok App\/AutoScalingGroup: 1 \/ 2.* \| ok: 1\/1 surviving private subnets keep egress \| ok s3: 1\/1 \(gateway\) \| ok Database\/Cluster: 1 instance\(s\) left \| ok: no loss of service \|/);
    expect(fs.existsSync(path.join(outdir, "stacks", "lab", HA_REPORT_MARKDOWN_FILE))).toBe(true);
    // The cost estimate of each stack, then what lab's HA costs over dev (modules/cost-estimate).
    expect(stdout).toMatch(/### Monthly cost estimate: us-east-1[\s\S]*\| \*\*Total\*\* \| \| \| \| \*\*\$[\d,.]+\*\* \|/);
    expect(stdout).toMatch(/\*\*lab costs \$[\d,.]+\/month more than dev and survives the loss of any one AZ; dev loses egress, database and app when us-east-1a is lost/);
  });

  test("GIVEN stacks built from stacks/ directly THEN dev records only its suppressed trade-offs and lab none", () => {
    const app = Testing.app();
    const config = loadStackConfig({});
    const dev = new DevStack(app, "dev", config);
    const lab = new LabStack(app, "lab", config);
    Testing.synth(dev);
    Testing.synth(lab);
    expect(Guardrails.findings(dev).map((f) => [f.ruleId, f.path, f.suppressedBy?.path])).toEqual([
      ["HA-NAT-1", "dev/Network/us-east-1b/PrivateRouteTable", "dev/Network"],
      ["SEC-RDS-3", "dev/Database/Cluster", "dev/Database"],
      ["HA-DB-1", "dev/Database/Cluster", "dev/Database"],
      ["SEC-ALB-3", "dev/App/Alb", "dev/App"],
      ["HA-ASG-2", "dev/App/AutoScalingGroup", "dev/App"],
    ]);
    expect(Guardrails.findings(lab)).toEqual([]);
  });
});

/**
 * The Markdown a reader gets, compared line by line (issue 19: the rendering was checked only with
 * a few fragments). Each report is built inside its test. Rows that carry rule messages are built
 * from the report's own findings, so a rule's wording can change without breaking these tests.
 */
describe("the Markdown report, line by line", () => {
  const HEADER = "| Lost AZ | Load balancer nodes | App capacity (left / min) | Private egress | AWS services via endpoints | Database | Service | Drill | Watched by |";
  const lines = (report: AzLossReport) => renderAzLossMarkdown(report).split("\n");
  /** The closing sections of a report with no finding and no suppression. */
  const NO_FINDINGS_NO_SUPPRESSIONS = ["### Guardrail findings", "", "None: every rule of the enabled packs passes.", "", "### Suppressions", "", "None.", ""];
  /** The connection-budget section of the full fixture: max_size 6 × 8 workers, max_connections 500 from its parameter group. */
  const FIXTURE_BUDGET = [
    "### Database connection budget (HA-DB-2)",
    "",
    "| App tier | Database | max_size × workers + admin | max_connections | Fits |",
    "|---|---|---|---|---|",
    "| Web/Asg | Db/Cluster | 6 × 8 + 10 = 58 | 500 | ok |",
    "",
  ];
  const row = (report: AzLossReport, az: string) => lines(report).find((l) => l.startsWith(`| ${az} |`));

  /** An FIS experiment template tagged as FailureDrills tags its drills. */
  function drill(fx: FullFixture, id: string, tags: Record<string, string>): void {
    new FisExperimentTemplate(fx.stack, id, {
      description: `${id} drill`,
      roleArn: "arn:aws:iam::123456789012:role/fis",
      stopCondition: [{ source: "none" }],
      action: [{ name: "Wait", actionId: "aws:fis:wait", parameter: [{ key: "duration", value: "PT1M" }] }],
      tags,
    });
  }
  /** An alarm on one AZ: by its AvailabilityZone dimension, or in a metric-math query (as HaMonitoring's rates). */
  function azAlarm(fx: FullFixture, id: string, name: string, az: string, math = false): void {
    const metric = { namespace: "AWS/ApplicationELB", metricName: "HealthyHostCount", dimensions: { AvailabilityZone: az } };
    new CloudwatchMetricAlarm(fx.stack, id, {
      alarmName: name,
      evaluationPeriods: 1,
      comparisonOperator: "LessThanThreshold",
      threshold: 1,
      ...(math
        ? { metricQuery: [{ id: "e", expression: "m * 1", returnData: true }, { id: "m", metric: { ...metric, period: 60, stat: "Minimum" } }] }
        : { ...metric, period: 60, statistic: "Minimum" }),
    });
  }

  test("GIVEN the HA fixture with AZ-loss drills and alarms per AZ and stack-wide THEN the whole report reads as expected", () => {
    const fx = fullFixture();
    drill(fx, "AzLossA", { Name: "az-loss-a", [DRILL_TAG]: "az-loss", [DRILL_AZ_TAG]: "us-east-1a" });
    drill(fx, "AzLossANetwork", { Name: "az-loss-a-network", [DRILL_TAG]: "az-loss", [DRILL_AZ_TAG]: "us-east-1a" });
    drill(fx, "InstanceLoss", { Name: "instance-loss", [DRILL_TAG]: "instance-loss" });
    // Tagged with an AZ but not an AZ loss: not this AZ's drill.
    drill(fx, "InstanceLossA", { Name: "instance-loss-a", [DRILL_TAG]: "instance-loss", [DRILL_AZ_TAG]: "us-east-1a" });
    drill(fx, "Untagged", {});
    azAlarm(fx, "HostsA", "hosts-a", "us-east-1a");
    azAlarm(fx, "MathB", "math-b", "us-east-1b", true);
    const report = reportOf(fx);
    expect(report.scenarios.map((s) => [s.lostAz, s.drills, s.alarms])).toEqual([
      ["us-east-1a", ["az-loss-a", "az-loss-a-network"], ["hosts-a"]],
      ["us-east-1b", [], ["math-b"]],
    ]);
    expect(report.alarms).toEqual(["healthy-hosts", "connections"]);
    expect(lines(report)).toEqual([
      "## Stack `test`: what still works when one AZ is lost",
      "",
      "AZs: us-east-1a, us-east-1b.",
      "",
      HEADER,
      "|---|---|---|---|---|---|---|---|---|",
      "| us-east-1a | ok Web/Alb: us-east-1b | ok Web/Asg: 1 / 2, relaunches in us-east-1b | ok: 1/1 surviving private subnets keep egress | ok secretsmanager: 1/1 (own AZ) | ok Db/Cluster: 1 instance(s) left | ok: no loss of service | `az-loss-a`<br>`az-loss-a-network` | `hosts-a`<br>the 2 stack-wide alarms |",
      "| us-east-1b | ok Web/Alb: us-east-1a | ok Web/Asg: 1 / 2, relaunches in us-east-1a | ok: 1/1 surviving private subnets keep egress | ok secretsmanager: 1/1 (own AZ) | ok Db/Cluster: 1 instance(s) left | ok: no loss of service | none | `math-b`<br>the 2 stack-wide alarms |",
      "",
      "Stack-wide alarms: `healthy-hosts`, `connections`. Drills: `az-loss --az us-east-1a`, `az-loss --az us-east-1a`, `instance-loss`, `instance-loss --az us-east-1a`, `Untagged` (start one with `npm run drill -- test <drill> [--az <AZ>]`).",
      "",
      "No loss of service for any single AZ.",
      "",
      ...FIXTURE_BUDGET,
      ...NO_FINDINGS_NO_SUPPRESSIONS,
    ]);
  });

  test("GIVEN the dev trade-offs, a stale suppression, a reason with | and a newline, an unsuppressed error and a warning, one alarm on us-east-1a only THEN the whole report reads as expected", () => {
    const fx = fullFixture({ natPerAz: false, instanceAzs: ["us-east-1a"], asgMin: 1 });
    fx.stack.node.tryRemoveChild("Alarms"); // no stack-wide alarm: HA-MON-1 warns
    azAlarm(fx, "HostsA", "hosts-a", "us-east-1a");
    Guardrails.suppress(fx.net.privateRouteTables[1], "HA-NAT-1", "fixture: one NAT gateway | to save cost\nfor now");
    Guardrails.suppress(fx.db.cluster, "HA-DB-1", "fixture: dev restores from backup after an AZ loss");
    Guardrails.suppress(fx.net.vpc, "SEC-RDS-3", "fixture: nothing here to cover at all");
    const report = reportOf(fx);
    const problem = (ruleId: string, path: string) => report.guardrails.findings.find((f) => f.ruleId === ruleId && f.path === path)!.problem;
    expect(report.guardrails.findings.map((f) => [f.ruleId, f.path, f.level, f.suppressedBy !== undefined])).toEqual([
      ["HA-NAT-1", "test/Net/us-east-1b/PrivateRouteTable", "error", true],
      ["HA-MON-1", "test/Web/Targets", "warning", false],
      ["HA-ASG-2", "test/Web/Asg", "error", false],
      ["HA-DB-1", "test/Db/Cluster", "error", true],
      ["HA-MON-1", "test/Db/Cluster", "warning", false],
    ]);
    expect(lines(report)).toEqual([
      "## Stack `test`: what still works when one AZ is lost",
      "",
      "AZs: us-east-1a, us-east-1b.",
      "",
      HEADER,
      "|---|---|---|---|---|---|---|---|---|",
      "| us-east-1a | ok Web/Alb: us-east-1b | LOST Web/Asg: 0 / 1, relaunches in us-east-1b | LOST: 0/1 surviving private subnets keep egress | ok secretsmanager: 1/1 (own AZ) | LOST Db/Cluster: no instance left | **LOSS** (3) | none | `hosts-a` |",
      "| us-east-1b | ok Web/Alb: us-east-1a | LOST Web/Asg: 0 / 1, relaunches in us-east-1a | ok: 1/1 surviving private subnets keep egress | ok secretsmanager: 1/1 (own AZ) | ok Db/Cluster: 1 instance(s) left | **LOSS** (1) | none | no alarm |",
      "",
      "Stack-wide alarms: none. Drills: none.",
      "",
      "### Losses",
      "",
      "- **us-east-1a lost**: app Web/Asg: 0 of 1 minimum instances left until the group relaunches in us-east-1b",
      "- **us-east-1a lost**: private subnet Net/us-east-1b/Private (us-east-1b) loses internet egress: its NAT gateway Net/us-east-1a/Nat is in us-east-1a",
      "- **us-east-1a lost**: database Db/Cluster has no instance pinned outside us-east-1a (1 instance(s)): it is down until a new instance is created in a surviving AZ (the cluster volume spans three AZs, so the data survives)",
      "- **us-east-1b lost**: app Web/Asg: 0 of 1 minimum instances left until the group relaunches in us-east-1a",
      "",
      ...FIXTURE_BUDGET,
      "### Guardrail findings",
      "",
      "| Rule | Level | Resource | Status | Problem |",
      "|---|---|---|---|---|",
      `| HA-NAT-1 | error | test/Net/us-east-1b/PrivateRouteTable | suppressed: fixture: one NAT gateway \\| to save cost for now | ${problem("HA-NAT-1", "test/Net/us-east-1b/PrivateRouteTable")} |`,
      `| HA-MON-1 | warning | test/Web/Targets | warning | ${problem("HA-MON-1", "test/Web/Targets")} |`,
      `| HA-ASG-2 | error | test/Web/Asg | **FAILS SYNTH** | ${problem("HA-ASG-2", "test/Web/Asg")} |`,
      `| HA-DB-1 | error | test/Db/Cluster | suppressed: fixture: dev restores from backup after an AZ loss | ${problem("HA-DB-1", "test/Db/Cluster")} |`,
      `| HA-MON-1 | warning | test/Db/Cluster | warning | ${problem("HA-MON-1", "test/Db/Cluster")} |`,
      "",
      "### Suppressions",
      "",
      "| Rule | Declared on | Findings covered | Reason |",
      "|---|---|---|---|",
      "| SEC-RDS-3 | test/Net/Vpc | 0 (stale: remove it) | fixture: nothing here to cover at all |",
      "| HA-NAT-1 | test/Net/us-east-1b/PrivateRouteTable | 1 | fixture: one NAT gateway \\| to save cost for now |",
      "| HA-DB-1 | test/Db/Cluster | 1 | fixture: dev restores from backup after an AZ loss |",
      "",
    ]);
  });

  test("GIVEN a stack with no AZ-pinned resource THEN the report says there is nothing to report, with no table, losses or budget", () => {
    const stack = testStack();
    new S3Bucket(stack, "Bucket", { bucketPrefix: "data-" });
    Testing.synth(stack);
    const report = buildAzLossReport(stack.toTerraform(), { findings: Guardrails.findings(stack), suppressions: Guardrails.suppressions(stack) });
    expect(report.azs).toEqual([]);
    expect(lines(report)).toEqual([
      "## Stack `test`: what still works when one AZ is lost",
      "",
      "No resource of this stack is pinned to an AZ; nothing to report.",
      "",
      ...NO_FINDINGS_NO_SUPPRESSIONS,
    ]);
  });
  test("GIVEN 3 AZs, the Secrets Manager endpoint in us-east-1a and us-east-1b only and us-east-1c's NAT in an unknown AZ THEN each row lists every surviving AZ and counts endpoints and egress per subnet", () => {
    const azs = ["us-east-1a", "us-east-1b", "us-east-1c"];
    const fx = fullFixture({ azs, instanceAzs: azs });
    fx.net.secretsEndpoint.subnetIds = [fx.net.privateSubnets[0].id, fx.net.privateSubnets[1].id];
    fx.net.natGateways[2].subnetId = "subnet-0123456789abcdef0";
    const report = reportOf(fx);
    expect(scenario(report, "us-east-1a").awsServices.map((s) => [s.subnetAz, s.via, s.survivingEndpointAzs])).toEqual([
      ["us-east-1b", "own-az", ["us-east-1b"]],
      ["us-east-1c", "other-az", ["us-east-1b"]],
    ]);
    expect(row(report, "us-east-1a")).toBe(
      "| us-east-1a | ok Web/Alb: us-east-1b, us-east-1c | ok Web/Asg: 2 / 3, relaunches in us-east-1b, us-east-1c | LOST: 1/2 surviving private subnets keep egress | ok secretsmanager: 2/2 (endpoint) | ok Db/Cluster: 2 instance(s) left | **LOSS** (1) | none | the 2 stack-wide alarms |",
    );
    expect(row(report, "us-east-1c")).toBe(
      "| us-east-1c | ok Web/Alb: us-east-1a, us-east-1b | ok Web/Asg: 2 / 3, relaunches in us-east-1a, us-east-1b | ok: 2/2 surviving private subnets keep egress | ok secretsmanager: 2/2 (own AZ) | ok Db/Cluster: 2 instance(s) left | ok: no loss of service | none | the 2 stack-wide alarms |",
    );
  });

  test("GIVEN the endpoint confined to us-east-1a WHEN us-east-1a is lost THEN the row shows the service lost; GIVEN no private DNS THEN no service is listed", () => {
    const confined = fullFixture();
    confined.net.secretsEndpoint.subnetIds = [confined.net.privateSubnets[0].id];
    expect(row(reportOf(confined), "us-east-1a")).toContain("| ok: 1/1 surviving private subnets keep egress | LOST secretsmanager: 0/1 (endpoint) | ok Db/Cluster");
    const noDns = fullFixture();
    noDns.net.secretsEndpoint.privateDnsEnabled = false; // the NAT still carries the calls
    expect(row(reportOf(noDns), "us-east-1a")).toContain("| ok: 1/1 surviving private subnets keep egress | — | ok Db/Cluster");
  });

  test("GIVEN a second VPC with its own interface endpoint THEN the workload subnets of the first VPC are not counted against it", () => {
    const fx = fullFixture();
    const other = new Vpc(fx.stack, "OtherVpc", { cidrBlock: "10.1.0.0/16" });
    const subnet = new Subnet(fx.stack, "OtherSubnet", { vpcId: other.id, availabilityZone: "us-east-1a", cidrBlock: "10.1.0.0/24" });
    new VpcEndpoint(fx.stack, "OtherLogsEndpoint", {
      vpcId: other.id,
      serviceName: "com.amazonaws.us-east-1.logs",
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: [subnet.id],
    });
    const report = reportOf(fx);
    expect(scenario(report, "us-east-1a").awsServices.map((s) => [s.service, s.subnet])).toEqual([["secretsmanager", "Net/us-east-1b/Private"]]);
    expect(report.serviceLostIn).toEqual([]);
  });

  test("GIVEN an aws_alb in us-east-1a beside the aws_lb THEN losing us-east-1a stops it, and the row lists both load balancers", () => {
    const fx = fullFixture();
    new Alb(fx.stack, "InternalAlb", { internal: true, subnets: [fx.net.privateSubnets[0].id], dropInvalidHeaderFields: true });
    const report = reportOf(fx);
    expect(scenario(report, "us-east-1a").loadBalancers).toEqual([
      { resource: "Web/Alb", azs: ["us-east-1a", "us-east-1b"], survivingAzs: ["us-east-1b"], ok: true },
      { resource: "InternalAlb", azs: ["us-east-1a"], survivingAzs: [], ok: false },
    ]);
    expect(scenario(report, "us-east-1a").losses).toEqual(["load balancer InternalAlb has no subnet outside us-east-1a: it stops serving"]);
    expect(row(report, "us-east-1a")).toMatch(/^\| us-east-1a \| ok Web\/Alb: us-east-1b<br>LOST InternalAlb: none left \| ok Web\/Asg: /);
    expect(row(report, "us-east-1b")).toMatch(/^\| us-east-1b \| ok Web\/Alb: us-east-1a<br>ok InternalAlb: us-east-1a \| /);
  });

  test("GIVEN an ASG in us-east-1a only WHEN us-east-1a is lost THEN the loss and the row say it cannot relaunch", () => {
    const fx = fullFixture();
    fx.web.asg.vpcZoneIdentifier = [fx.net.privateSubnets[0].id];
    const report = reportOf(fx);
    expect(scenario(report, "us-east-1a").losses).toContain("app Web/Asg: 0 of 2 minimum instances left; no other AZ to relaunch in");
    expect(row(report, "us-east-1a")).toContain("| LOST Web/Asg: 0 / 2, cannot relaunch |");
  });

  test("GIVEN an ASG whose min_size is an expression THEN its capacity is unknown and counted as lost", () => {
    const fx = fullFixture();
    fx.web.asg.minSize = new TerraformVariable(fx.stack, "min", { type: "number", default: 2 }).numberValue;
    const report = reportOf(fx);
    expect(scenario(report, "us-east-1a").capacity[0]).toMatchObject({ minSize: undefined, capacityLeft: undefined, ok: false });
    expect(scenario(report, "us-east-1a").losses).toEqual(["app Web/Asg: unknown of ? minimum instances left until the group relaunches in us-east-1b"]);
    expect(row(report, "us-east-1a")).toContain("| LOST Web/Asg: ? / ?, relaunches in us-east-1b |");
  });

  test("GIVEN an ASG with minimum 0 THEN losing an AZ costs no minimum capacity", () => {
    const report = reportOf(fullFixture({ asgMin: 0 }));
    expect(report.scenarios.map((s) => s.capacity[0].ok)).toEqual([true, true]);
    expect(report.serviceLostIn).toEqual([]);
  });

  test.each([
    { maxConnections: 58, line: "| Web/Asg | Db/Cluster | 6 × 8 + 10 = 58 | 58 | ok |" },
    { maxConnections: 57, line: "| Web/Asg | Db/Cluster | 6 × 8 + 10 = 58 | 57 | **OVER** |" },
    { maxConnections: undefined, line: "| Web/Asg | Db/Cluster | 6 × 8 + 10 = 58 | unknown | **OVER** |" },
  ])("GIVEN max_connections $maxConnections and 6 × 8 + 10 = 58 connections needed THEN the budget line reads $line", ({ maxConnections, line }) => {
    const fx = fullFixture();
    if (maxConnections === undefined) fx.db.parameterGroup.resetParameter();
    else fx.db.parameterGroup.putParameter([{ name: "max_connections", value: String(maxConnections) }]);
    const report = reportOf(fx);
    expect(report.connectionBudgets).toEqual([
      { group: "Web/Asg", database: "Db/Cluster", maxSize: 6, perInstance: 8, needed: 58, maxConnections, ok: maxConnections === 58 },
    ]);
    expect(lines(report)).toContain(line);
  });
  test.each([
    {
      what: "a network only, its AZs declared in reverse order",
      build: (stack: HaStack) => networkFixture(stack, { azs: ["us-east-1b", "us-east-1a"] }),
    },
    {
      what: "an Aurora cluster only (in an existing VPC's subnet group)",
      build: (stack: HaStack) => {
        const cluster = new RdsCluster(stack, "Cluster", { engine: "aurora-postgresql", dbSubnetGroupName: "existing", masterUsername: "app", manageMasterUserPassword: true });
        for (const az of ["us-east-1b", "us-east-1a"]) {
          new RdsClusterInstance(stack, `Instance-${az}`, { clusterIdentifier: cluster.id, engine: "aurora-postgresql", instanceClass: "db.r6g.large", availabilityZone: az });
        }
      },
    },
    {
      what: "an Auto Scaling group only, placed by availability_zones (default VPC)",
      build: (stack: HaStack) => {
        const template = new LaunchTemplate(stack, "LaunchTemplate", { imageId: "ami-0123456789abcdef0", instanceType: "t3.micro" });
        new AutoscalingGroup(stack, "Asg", { minSize: 2, maxSize: 2, availabilityZones: ["us-east-1b", "us-east-1a"], launchTemplate: { id: template.id } });
      },
    },
  ])("GIVEN $what THEN the report covers the AZs it is pinned to, sorted", ({ build }) => {
    const stack = testStack();
    build(stack);
    const report = buildAzLossReport(stack.toTerraform());
    expect(report.azs).toEqual(["us-east-1a", "us-east-1b"]);
    expect(report.scenarios.map((s) => s.lostAz)).toEqual(["us-east-1a", "us-east-1b"]);
    expect(lines(report)).toContain("AZs: us-east-1a, us-east-1b.");
  });
  test("GIVEN a network with no load balancer, app or database THEN their cells read —", () => {
    const stack = testStack();
    networkFixture(stack);
    expect(row(buildAzLossReport(stack.toTerraform()), "us-east-1a")).toBe(
      "| us-east-1a | — | — | ok: 1/1 surviving private subnets keep egress | ok secretsmanager: 1/1 (own AZ) | — | ok: no loss of service | none | no alarm |",
    );
  });
  test("GIVEN the network in an existing VPC given by id, with the endpoint confined to us-east-1a WHEN us-east-1a is lost THEN us-east-1b's subnet loses the service; an endpoint in another VPC id is not counted", () => {
    const fx = fullFixture();
    const existing = "vpc-0123456789abcdef0";
    for (const subnet of fx.net.privateSubnets) subnet.vpcId = existing;
    fx.net.secretsEndpoint.vpcId = existing;
    fx.net.secretsEndpoint.subnetIds = [fx.net.privateSubnets[0].id];
    new VpcEndpoint(fx.stack, "OtherVpcLogsEndpoint", {
      vpcId: "vpc-0fedcba9876543210",
      serviceName: "com.amazonaws.us-east-1.logs",
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: [fx.net.privateSubnets[0].id],
    });
    const report = reportOf(fx);
    expect(scenario(report, "us-east-1a").awsServices.map((s) => [s.service, s.subnet, s.ok])).toEqual([["secretsmanager", "Net/us-east-1b/Private", false]]);
    expect(report.serviceLostIn).toEqual(["us-east-1a"]);
  });

  test("GIVEN a NAT-routed subnet with no availability_zone THEN it is in no AZ's egress or endpoint count (HA-SUBNET-1 fails the synth on it)", () => {
    const fx = fullFixture();
    const unpinned = new Subnet(fx.stack, "Unpinned", { vpcId: fx.net.vpc.id, cidrBlock: "10.0.128.0/24" });
    new RouteTableAssociation(fx.stack, "UnpinnedAssociation", { subnetId: unpinned.id, routeTableId: fx.net.privateRouteTables[0].id });
    const report = reportOf(fx);
    expect(report.guardrails.findings.map((f) => [f.ruleId, f.suppressedBy])).toContainEqual(["HA-SUBNET-1", undefined]);
    for (const s of report.scenarios) {
      expect(s.egress.map((e) => e.subnet)).not.toContain("Unpinned");
      expect(s.awsServices.map((e) => e.subnet)).not.toContain("Unpinned");
    }
    expect(row(report, "us-east-1a")).toContain("| ok: 1/1 surviving private subnets keep egress | ok secretsmanager: 1/1 (own AZ) |");
  });
});
