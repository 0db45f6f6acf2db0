/**
 * The monthly cost estimate: read from the synthesized stack, priced from the pinned table, with
 * unpriced lines named and the dev-vs-lab difference put beside what it buys.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, Testing } from "cdktf";
import { CloudwatchCompositeAlarm } from "@cdktf/provider-aws/lib/cloudwatch-composite-alarm";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { FisExperimentTemplate } from "@cdktf/provider-aws/lib/fis-experiment-template";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { HaStack } from "../lib/ha-stack";
import { AppTier } from "../modules/app-tier";
import { AuroraCluster, DatabaseAvailability } from "../modules/aurora-cluster";
import {
  CostEstimate,
  CostLineItem,
  PRICE_TABLE,
  addCostsToReports,
  compareHaCost,
  estimateMonthlyCost,
  listPrices,
  monthlyUsdOf,
} from "../modules/cost-estimate";
import { buildAzLossReport, reportApp } from "../modules/guardrails/az-loss-report";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { loadStackConfig } from "../stacks/config";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { testStack } from "./helpers/template";

const US = PRICE_TABLE.regions["us-east-1"];
const HOURS = 730;
const AZS = ["us-east-1a", "us-east-1b"];

function synthesized(stack: HaStack): Record<string, any> {
  Testing.synth(stack);
  return stack.toTerraform();
}

function line(estimate: CostEstimate, item: string | RegExp): CostLineItem {
  const found = estimate.lines.filter((l) => (typeof item === "string" ? l.item === item : item.test(l.item)));
  expect(found).toHaveLength(1);
  return found[0];
}

/** The three tiers from the modules, differing only in the NAT mode. */
function threeTiers(natGateways: NatGatewayMode, props: { region?: string; instanceType?: string } = {}): HaStack {
  const region = props.region ?? "us-east-1";
  const stack = testStack({ region }, "shop");
  const network = new HaVpc(stack, "Network", { azs: [`${region}a`, `${region}b`], natGateways });
  const database = new AuroraCluster(stack, "Database", { vpc: network, instanceClass: "db.t4g.medium" });
  const app = new AppTier(stack, "App", { vpc: network, instanceType: props.instanceType });
  database.allowFrom(app);
  return stack;
}

describe("GIVEN the lab stack", () => {
  const lab = new LabStack(Testing.app(), "lab", loadStackConfig({}));
  const estimate = estimateMonthlyCost(synthesized(lab));

  test("THEN its two NAT gateways give 2 × 730 NAT gateway hours at the us-east-1 price", () => {
    const nat = line(estimate, "NAT gateway hours");
    expect(nat.resources).toEqual(["Network/us-east-1a/NatGateway", "Network/us-east-1b/NatGateway"]);
    expect(nat.quantity).toBe(2 * HOURS);
    expect(nat.price).toBe(US.natGatewayHour);
    expect(nat.monthlyUsd).toBeCloseTo(2 * HOURS * 0.045, 2);
  });

  test("THEN public IPv4 is billed for both NAT EIPs and for one ALB node per AZ", () => {
    expect(line(estimate, "public IPv4 address hours (Elastic IPs)").quantity).toBe(2 * HOURS);
    const alb = line(estimate, "public IPv4 address hours (ALB nodes, one per AZ)");
    expect(alb.resources).toEqual(["App/Alb"]);
    expect(alb.quantity).toBe(AZS.length * HOURS);
    expect(alb.price!.usd).toBe(0.005);
  });

  test("THEN the ASG's desired capacity is priced by the launch template's instance type, volumes included", () => {
    const ec2 = line(estimate, "EC2 t3.micro instance hours");
    expect(ec2.quantity).toBe(2 * HOURS);
    expect(ec2.price).toBe(US.ec2InstanceHour["t3.micro"]);
    expect(line(estimate, "EBS gp3 volumes").quantity).toBe(2 * 20);
  });

  test("THEN Aurora is two db.t4g.medium instances, one cluster volume, and the RDS-managed secret", () => {
    expect(line(estimate, /^Aurora MySQL db\.t4g\.medium/).quantity).toBe(2 * HOURS);
    expect(line(estimate, "Aurora storage").quantity).toBe(20);
    expect(line(estimate, "Aurora I/O requests").assumption).toMatch(/auroraIoMillionsPerCluster = 10/);
    expect(line(estimate, /^Secrets Manager secrets/).resources).toEqual(["Database/Cluster"]);
    expect(line(estimate, /flow log ingestion/).monthlyUsd).toBeCloseTo(5 * US.vendedLogsIngestGb.usd, 2);
  });

  test("THEN the total is the sum of its lines, and nothing is unpriced", () => {
    expect(estimate.unpriced).toEqual([]);
    const sum = estimate.lines.reduce((s, l) => s + (l.monthlyUsd ?? 0), 0);
    expect(estimate.monthlyTotalUsd).toBeCloseTo(sum, 2);
    expect(estimate.monthlyTotalUsd).toBeGreaterThan(100);
  });

  test("WHEN assumptions change THEN only the assumed lines move", () => {
    const busier = estimateMonthlyCost(synthesized(new LabStack(Testing.app(), "lab", loadStackConfig({}))), { natDataGbPerMonth: 1100 });
    expect(busier.monthlyTotalUsd - estimate.monthlyTotalUsd).toBeCloseTo(1000 * US.natGatewayDataGb.usd, 2);
  });
});

describe("GIVEN the same three tiers WHEN the NAT mode goes from PER_AZ to SINGLE", () => {
  const perAz = estimateMonthlyCost(synthesized(threeTiers(NatGatewayMode.PER_AZ)));
  const single = estimateMonthlyCost(synthesized(threeTiers(NatGatewayMode.SINGLE)));

  test("THEN the total drops by exactly one NAT gateway's hours and its EIP", () => {
    const natAndIp = (e: CostEstimate) => monthlyUsdOf(e, ["nat-gateway"]) + line(e, "public IPv4 address hours (Elastic IPs)").monthlyUsd!;
    expect(perAz.monthlyTotalUsd - single.monthlyTotalUsd).toBeCloseTo(natAndIp(perAz) - natAndIp(single), 2);
    expect(perAz.monthlyTotalUsd - single.monthlyTotalUsd).toBeCloseTo(HOURS * (0.045 + 0.005), 2);
  });

  test("THEN every other line is unchanged", () => {
    const others = (e: CostEstimate) =>
      e.lines.filter((l) => l.category !== "nat-gateway" && l.item !== "public IPv4 address hours (Elastic IPs)");
    expect(others(single)).toEqual(others(perAz));
  });
});

describe("GIVEN something the price table does not hold", () => {
  test("WHEN the region is not in the table THEN every line is unpriced, naming the region, and the total is not a silent zero", () => {
    const estimate = estimateMonthlyCost(synthesized(threeTiers(NatGatewayMode.PER_AZ, { region: "sa-east-1" })));
    expect(estimate.region).toBe("sa-east-1");
    expect(estimate.lines.length).toBeGreaterThan(5);
    expect(estimate.unpriced).toEqual(estimate.lines);
    for (const l of estimate.unpriced) expect(l.unpriced).toMatch(/^region "sa-east-1" is not in the price table/);
    expect(estimate.monthlyTotalUsd).toBe(0);
  });

  test("WHEN the instance type is not in the table THEN its line is unpriced, naming the type, and the rest is priced", () => {
    const estimate = estimateMonthlyCost(synthesized(threeTiers(NatGatewayMode.PER_AZ, { instanceType: "c7i.large" })));
    expect(estimate.unpriced).toHaveLength(1);
    expect(estimate.unpriced[0]).toMatchObject({
      item: "EC2 c7i.large instance hours",
      resources: ["App/AutoScalingGroup"],
      unpriced: 'instance type "c7i.large" is not in the price table for us-east-1 (recorded 2026-12-03)',
    });
    expect(estimate.unpriced[0].monthlyUsd).toBeUndefined();
    expect(line(estimate, "NAT gateway hours").monthlyUsd).toBeGreaterThan(0);
  });

  test("WHEN the DB instance class is not in the table THEN its line is unpriced, naming the class", () => {
    const stack = testStack({}, "db");
    const network = new HaVpc(stack, "Network", { azs: AZS });
    new AuroraCluster(stack, "Database", { vpc: network, instanceClass: "db.x2g.large", availability: DatabaseAvailability.MULTI_AZ });
    const estimate = estimateMonthlyCost(synthesized(stack));
    expect(estimate.unpriced.map((l) => l.unpriced)).toEqual([
      'DB instance class "db.x2g.large" is not in the price table for us-east-1 (recorded 2026-12-03)',
    ]);
  });
});

describe("GIVEN resources other helpers add (alarms, dashboards, SNS, FIS, VPC endpoints)", () => {
  const stack = testStack({}, "ops");
  const network = new HaVpc(stack, "Network", { azs: AZS });
  const metric = (id: string, period: number) => ({ id, returnData: false, metric: { metricName: "CPUUtilization", namespace: "AWS/EC2", period, stat: "Average" } });
  new CloudwatchMetricAlarm(stack, "CpuAlarm", { alarmName: "cpu", comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1, threshold: 80, metricName: "CPUUtilization", namespace: "AWS/EC2", period: 60, statistic: "Average" });
  new CloudwatchMetricAlarm(stack, "MathAlarm", {
    alarmName: "math",
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 1,
    threshold: 1,
    metricQuery: [metric("a", 60), metric("b", 60), { id: "e", expression: "a+b", returnData: true }],
  });
  new CloudwatchMetricAlarm(stack, "FastAlarm", { alarmName: "fast", comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1, threshold: 1, metricName: "Custom", namespace: "App", period: 10, statistic: "Sum" });
  new CloudwatchMetricAlarm(stack, "AnomalyAlarm", {
    alarmName: "anomaly",
    comparisonOperator: "GreaterThanUpperThreshold",
    evaluationPeriods: 1,
    thresholdMetricId: "band",
    metricQuery: [metric("m", 300), { id: "band", expression: "ANOMALY_DETECTION_BAND(m, 2)", returnData: true }],
  });
  new CloudwatchCompositeAlarm(stack, "Composite", { alarmName: "both", alarmRule: "ALARM(cpu) AND ALARM(math)" });
  new CloudwatchDashboard(stack, "Dashboard", { dashboardName: "ops", dashboardBody: JSON.stringify({ widgets: [] }) });
  new SnsTopic(stack, "Alerts", { name: "alerts" });
  new FisExperimentTemplate(stack, "AzDrill", {
    description: "lose an AZ",
    roleArn: "arn:aws:iam::123456789012:role/fis",
    stopCondition: [{ source: "none" }],
    action: [
      { name: "cut", actionId: "aws:network:disrupt-connectivity", parameter: [{ key: "duration", value: "PT5M" }] },
      { name: "failover", actionId: "aws:rds:failover-db-cluster" },
    ],
  });
  new VpcEndpoint(stack, "SecretsEndpoint", {
    vpcId: network.vpcId,
    serviceName: "com.amazonaws.us-east-1.secretsmanager",
    vpcEndpointType: "Interface",
    subnetIds: network.privateSubnetIds,
  });
  new VpcEndpoint(stack, "S3Endpoint", { vpcId: network.vpcId, serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" });
  const estimate = estimateMonthlyCost(synthesized(stack));

  test("THEN alarms are priced per metric evaluated: metric math counts each metric, high resolution costs more", () => {
    const standard = line(estimate, "CloudWatch alarm metrics, standard resolution");
    // CpuAlarm 1 + MathAlarm 2 (the expression is free) + AnomalyAlarm 3 (a band is billed as 3 metrics)
    expect(standard.quantity).toBe(6);
    expect(standard.monthlyUsd).toBeCloseTo(0.6, 2);
    expect(line(estimate, "CloudWatch alarm metrics, high resolution").monthlyUsd).toBeCloseTo(0.3, 2);
    expect(line(estimate, "CloudWatch composite alarms").monthlyUsd).toBeCloseTo(0.5, 2);
  });

  test("THEN a dashboard is $3 a month and an SNS topic within the free million publishes is $0, not unpriced", () => {
    expect(line(estimate, /^CloudWatch dashboards/).monthlyUsd).toBe(3);
    const sns = line(estimate, "SNS publishes beyond the free million");
    expect(sns.monthlyUsd).toBe(0);
    expect(sns.unpriced).toBeUndefined();
  });

  test("THEN an FIS template costs nothing a month and its run is priced per action-minute, outside the total", () => {
    const fis = line(estimate, /^FIS action-minutes per experiment run/);
    expect(fis.quantity).toBe(5 + 10); // PT5M, and the assumed 10 minutes for the action without a duration
    expect(fis.perRunUsd).toBeCloseTo(1.5, 2);
    expect(fis.monthlyUsd).toBeUndefined();
    expect(estimate.perRun).toEqual([fis]);
  });

  test("THEN an interface endpoint costs per AZ-hour plus data, and a gateway endpoint is free", () => {
    expect(line(estimate, "interface VPC endpoint AZ-hours").quantity).toBe(2 * HOURS);
    expect(line(estimate, "interface VPC endpoint AZ-hours").monthlyUsd).toBeCloseTo(2 * HOURS * 0.01, 2);
    expect(line(estimate, "interface VPC endpoint data processed").quantity).toBe(10);
    expect(line(estimate, "gateway VPC endpoints (no charge)").monthlyUsd).toBe(0);
  });

  test("THEN the total holds every monthly line and no per-run line", () => {
    const monthly = estimate.lines.reduce((s, l) => s + (l.monthlyUsd ?? 0), 0);
    expect(estimate.monthlyTotalUsd).toBeCloseTo(monthly, 2);
    expect(estimate.unpriced).toEqual([]);
  });
});

describe("the price table", () => {
  test("covers us-east-1, us-west-2, eu-west-1, eu-central-1 and ap-northeast-2, with the library's default types", () => {
    for (const region of ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-2"]) {
      const prices = PRICE_TABLE.regions[region];
      expect(prices).toBeDefined();
      expect(prices.ec2InstanceHour["t3.micro"]).toBeDefined(); // AppTier's default
      expect(prices.auroraMysqlInstanceHour["db.r6g.large"]).toBeDefined(); // AuroraCluster's default
      expect(prices.auroraMysqlInstanceHour["db.t4g.medium"]).toBeDefined(); // dev and lab
    }
  });

  test("gives every price a positive amount its AWS pricing page, a date, and how it was recorded", () => {
    const prices = listPrices();
    expect(prices.length).toBeGreaterThan(5 * 20);
    for (const { path: where, price } of prices) {
      expect({ where, ok: Number.isFinite(price.usd) && price.usd > 0 }).toEqual({ where, ok: true });
      expect({ where, source: price.source }).toEqual({ where, source: expect.stringMatching(/^https:\/\/aws\.amazon\.com\/[a-z0-9-/]+\/$/) });
      expect({ where, asOf: price.asOf }).toEqual({ where, asOf: expect.stringMatching(/^20\d\d-(0[1-9]|1[0-2])$/) });
      expect(price.asOf <= PRICE_TABLE.recorded).toBe(true);
      if (price.basis === "corroborated") expect({ where, by: price.corroboratedBy }).toEqual({ where, by: expect.stringMatching(/^https:\/\//) });
      else expect(price.basis).toBe("recalled");
    }
  });
});

describe("GIVEN dev and lab WHEN their costs are compared", () => {
  const app = Testing.app();
  const config = loadStackConfig({});
  const costed = (stack: HaStack) => {
    const json = synthesized(stack);
    return { estimate: estimateMonthlyCost(json), report: buildAzLossReport(json) };
  };
  const dev = costed(new DevStack(app, "dev", config));
  const lab = costed(new LabStack(app, "lab", config));

  test("THEN the difference sits beside what it buys, both read from the AZ-loss reports", () => {
    const comparison = compareHaCost(dev, lab);
    const difference = lab.estimate.monthlyTotalUsd - dev.estimate.monthlyTotalUsd;
    expect(comparison.monthlyDifferenceUsd).toBeCloseTo(difference, 2);
    expect(difference).toBeGreaterThan(0);
    expect(comparison.candidateLosses).toEqual([]);
    expect(comparison.baselineLosses).toEqual([
      { lostAz: "us-east-1a", loses: ["egress", "database", "app"] },
      { lostAz: "us-east-1b", loses: ["app"] },
    ]);
    expect(comparison.summary).toBe(
      `lab costs $${difference.toFixed(2)}/month more than dev and survives the loss of any one AZ; ` +
        "dev loses egress, database and app when us-east-1a is lost, and app when us-east-1b is lost.",
    );
  });

  test("THEN the README's 'What HA costs' figures are the ones the estimate gives", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## What HA costs"), readme.indexOf("## Modules"));
    const money = (n: number) => `$${n.toFixed(2)}`;
    const eip = (e: CostEstimate) => line(e, "public IPv4 address hours (Elastic IPs)").monthlyUsd!;
    const rows = (e: CostEstimate) => {
      const nat = monthlyUsdOf(e, ["nat-gateway"]) + eip(e);
      const app = monthlyUsdOf(e, ["compute", "block-storage"]);
      const db = line(e, /^Aurora MySQL db\.t4g\.medium/).monthlyUsd!;
      return [nat, app, db, e.monthlyTotalUsd - nat - app - db, e.monthlyTotalUsd];
    };
    const [d, l] = [rows(dev.estimate), rows(lab.estimate)];
    const cells = section
      .split("\n")
      .filter((r) => /^\| (NAT|app|Aurora|the rest|\*\*total)/.test(r))
      .map((r) => r.split("|").slice(2, 4).map((c) => c.replace(/\*/g, "").trim()));
    // On a mismatch: run `npm run report` and copy its figures into README "What HA costs".
    expect(cells).toEqual(d.map((_, i) => [money(d[i]), money(l[i])]));
    expect(section).toContain(`**${compareHaCost(dev, lab).summary}**`);
  });

  test("THEN swapping them reads the other way round", () => {
    expect(compareHaCost(lab, dev).summary).toMatch(
      /^dev costs \$[\d.]+\/month less than lab and loses egress, database and app when us-east-1a is lost, .*; lab survives the loss of any one AZ\.$/,
    );
  });
});

describe("GIVEN the app's written reports WHEN costs are added", () => {
  test("THEN ha-report.json carries each estimate and the dev-vs-lab comparison, and ha-report.md shows them", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-report-"));
    const app = new App({ outdir });
    const config = loadStackConfig({});
    new DevStack(app, "dev", config);
    new LabStack(app, "lab", config);
    app.synth();
    const result = addCostsToReports(reportApp(app), { compare: [["dev", "lab"]] });
    expect(result.comparisons.map((c) => [c.baseline, c.candidate])).toEqual([["dev", "lab"]]);
    for (const name of ["dev", "lab"]) {
      const dir = path.join(outdir, "stacks", name);
      const json = JSON.parse(fs.readFileSync(path.join(dir, "ha-report.json"), "utf8"));
      const direct = estimateMonthlyCost(JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8")));
      expect(json.costEstimate.monthlyTotalUsd).toBe(direct.monthlyTotalUsd);
      expect(json.costEstimate.lines).toEqual(JSON.parse(JSON.stringify(direct.lines)));
      expect(json.haCostComparisons[0].summary).toBe(result.comparisons[0].summary);
      expect(json.scenarios.length).toBe(2); // the AZ-loss report is still there
      const markdown = fs.readFileSync(path.join(dir, "ha-report.md"), "utf8");
      expect(markdown).toContain("### Monthly cost estimate: us-east-1");
      expect(markdown).toContain(`**$${direct.monthlyTotalUsd.toFixed(2)}**`);
      expect(markdown).toContain(result.comparisons[0].summary);
    }
    fs.rmSync(outdir, { recursive: true, force: true });
  });
});
