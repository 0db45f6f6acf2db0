/**
 * HaMonitoring: what each alarm watches, when it fires, how it treats missing data, where it
 * notifies; the per-AZ dashboard; and HA-MON-1 on stacks built from the real modules.
 */
import { Testing } from "cdktf";
import { StackIntent } from "../lib/ha-stack";
import { AppTier, InstanceRedundancy } from "../modules/app-tier";
import { AuroraCluster, DatabaseAvailability } from "../modules/aurora-cluster";
import { Guardrails } from "../modules/guardrails/guardrails";
import { HaVpc } from "../modules/ha-vpc";
import { AlarmScope, HaMonitoring, HaMonitoringProps, defaultMaxConnections } from "../modules/monitoring";
import { LabStack } from "../stacks/lab";
import { Template, testStack } from "./helpers/template";

const AZS = ["us-east-1a", "us-east-1b"];

function build(options: { azs?: string[]; min?: number; single?: boolean; instanceClass?: string; intent?: StackIntent } = {}, props: Partial<HaMonitoringProps> = {}) {
  const azs = options.azs ?? AZS;
  const stack = testStack({ intent: options.intent });
  const network = new HaVpc(stack, "Net", { azs });
  const database = new AuroraCluster(stack, "Db", {
    vpc: network,
    instanceClass: options.instanceClass ?? "db.t4g.medium",
    ...(options.single ? { availability: DatabaseAvailability.SINGLE_INSTANCE } : {}),
  });
  const min = options.min;
  const app = new AppTier(stack, "App", {
    vpc: network,
    name: "shop",
    ...(min !== undefined ? { minCapacity: min, desiredCapacity: min, maxCapacity: Math.max(min * 2, 2) } : {}),
    ...(min !== undefined && min < azs.length ? { redundancy: InstanceRedundancy.REDUCED } : {}),
  });
  const monitoring = new HaMonitoring(stack, "Monitoring", { app, database, ...props });
  return { stack, monitoring, template: Template.of(stack) };
}

const alarm = (t: Template, name: string) => {
  const found = t.find("aws_cloudwatch_metric_alarm", { alarm_name: name });
  if (found.length !== 1) throw new Error(`expected one alarm ${name}, found ${found.length}`);
  return found[0].values;
};

describe("GIVEN a two-AZ stack with one instance per AZ", () => {
  const { template, monitoring } = build();
  const tg = Template.ref(template.resource("aws_lb_target_group", "App/TargetGroup"), "arn_suffix");
  const lb = Template.ref(template.resource("aws_lb", "App/Alb"), "arn_suffix");

  test.each(AZS)("THEN %s has a healthy-host alarm on its AvailabilityZone dimension, below 1, missing data breaching", (az) => {
    expect(alarm(template, `shop-healthy-hosts-${az}`)).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metric_name: "HealthyHostCount",
      dimensions: { TargetGroup: tg, LoadBalancer: lb, AvailabilityZone: az },
      comparison_operator: "LessThanThreshold",
      threshold: 1,
      treat_missing_data: "breaching",
    });
  });

  test("THEN the 5xx alarms are rates: errors (0 when unpublished) over requests, missing data not breaching", () => {
    const rate = alarm(template, "shop-alb-5xx-rate");
    expect(rate.threshold).toBe(5);
    expect(rate.treat_missing_data).toBe("notBreaching");
    expect(rate.metric_query).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: "rate", expression: "100 * FILL(errors, 0) / requests", return_data: true }),
        expect.objectContaining({ id: "errors", metric: expect.objectContaining({ metric_name: "HTTPCode_ELB_5XX_Count", dimensions: { LoadBalancer: lb } }) }),
        expect.objectContaining({ id: "requests", metric: expect.objectContaining({ metric_name: "RequestCount" }) }),
      ]),
    );
    const target = alarm(template, "shop-target-5xx-rate");
    expect(target.metric_query[1].metric).toMatchObject({ metric_name: "HTTPCode_Target_5XX_Count", dimensions: { TargetGroup: tg } });
  });

  test("THEN in-service instances below the group's minimum (2) alarm, and silence breaches", () => {
    expect(alarm(template, "shop-in-service")).toMatchObject({
      metric_name: "GroupInServiceInstances",
      comparison_operator: "LessThanThreshold",
      threshold: 2,
      treat_missing_data: "breaching",
    });
  });

  test("THEN the database alarms watch the writer, the readers' lag and connections at 80 % of db.t4g.medium's 90", () => {
    expect(alarm(template, "test-db-writer-available")).toMatchObject({
      metric_name: "EngineUptime",
      dimensions: { DBClusterIdentifier: "test-db", Role: "WRITER" },
      treat_missing_data: "breaching",
    });
    expect(alarm(template, "test-db-replica-lag")).toMatchObject({ metric_name: "AuroraReplicaLagMaximum", threshold: 2000 });
    expect(alarm(template, "test-db-connections")).toMatchObject({ metric_name: "DatabaseConnections", threshold: 72 });
  });

  test("THEN every alarm states its missing-data choice, and notifies the topic on ALARM and on OK", () => {
    const topic = Template.ref(template.resource("aws_sns_topic", "Monitoring/Topic"), "arn");
    const alarms = template.resources("aws_cloudwatch_metric_alarm");
    expect(alarms).toHaveLength(9);
    for (const { values } of alarms) {
      expect(["breaching", "notBreaching"]).toContain(values.treat_missing_data);
      expect(values.alarm_description).toMatch(/missing data means .*, so it (does not breach|breaches)|missing data means .*covers that/);
      expect(values.alarm_actions).toEqual([topic]);
      expect(values.ok_actions).toEqual([topic]);
    }
  });

  test("THEN the topic is encrypted with its own rotated KMS key that CloudWatch may use, for this account only", () => {
    const key = template.resource("aws_kms_key", "Monitoring/TopicKey");
    expect(key.values.enable_key_rotation).toBe(true);
    expect(template.resource("aws_sns_topic", "Monitoring/Topic").values.kms_master_key_id).toBe(Template.ref(key, "arn"));
    const document = template.json.data.aws_iam_policy_document;
    const policy = Object.values<any>(document).find((d) => d.statement.some((s: any) => s.sid === "CloudWatchPublishesAlarms"));
    const cloudwatch = policy.statement.find((s: any) => s.sid === "CloudWatchPublishesAlarms");
    expect(cloudwatch.actions).toEqual(["kms:Decrypt", "kms:GenerateDataKey*"]);
    expect(cloudwatch.principals).toEqual([{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }]);
    expect(cloudwatch.condition[0]).toMatchObject({ variable: "aws:SourceAccount" });
    expect(template.resources("aws_kms_key_policy")).toHaveLength(1);
  });

  test("THEN the dashboard has a targets row per AZ and lists every alarm", () => {
    const body = JSON.parse(template.resource("aws_cloudwatch_dashboard", "Monitoring/Dashboard").values.dashboard_body);
    for (const az of AZS) {
      const widget = body.widgets.find((w: any) => w.properties.title === `${az}: targets`);
      expect(widget.properties.metrics[0]).toEqual(expect.arrayContaining(["HealthyHostCount", "AvailabilityZone", az]));
    }
    expect(body.widgets.find((w: any) => w.type === "alarm").properties.alarms).toHaveLength(9);
    expect(monitoring.customerImpactAlarms().map((a) => a.name)).toEqual(["shop-alb-5xx-rate", "shop-target-5xx-rate"]);
    expect(monitoring.azAlarm("us-east-1b")).toMatchObject({ scope: AlarmScope.AZ, name: "shop-healthy-hosts-us-east-1b" });
  });
});

test("GIVEN three AZs and a minimum of 7 THEN each AZ is expected to hold 2 healthy targets", () => {
  const { template, monitoring } = build({ azs: ["us-east-1a", "us-east-1b", "us-east-1c"], min: 7 });
  expect(monitoring.expectedHealthyPerAz).toBe(2);
  expect(alarm(template, "shop-healthy-hosts-us-east-1c").threshold).toBe(2);
});

test("GIVEN fewer instances than AZs (dev) THEN one target-group alarm replaces the per-AZ ones, and no lag alarm without readers", () => {
  const { template, monitoring } = build({ min: 1, single: true });
  expect(monitoring.alarms.filter((a) => a.scope === AlarmScope.AZ)).toEqual([]);
  expect(alarm(template, "shop-healthy-hosts")).toMatchObject({ threshold: 1, treat_missing_data: "breaching" });
  expect(alarm(template, "shop-healthy-hosts").dimensions.AvailabilityZone).toBeUndefined();
  expect(template.find("aws_cloudwatch_metric_alarm", { metric_name: "AuroraReplicaLagMaximum" })).toEqual([]);
});

test("GIVEN subscriptions THEN an email is subscribed as email and a URL as https, also one with user info that reads like an email", () => {
  const { template } = build({}, { subscriptions: ["ops@example.com", "https://hooks.example.com/a", "https://token@hooks.example.com/b"] });
  expect(template.resources("aws_sns_topic_subscription").map((s) => [s.values.protocol, s.values.endpoint])).toEqual([
    ["email", "ops@example.com"],
    ["https", "https://hooks.example.com/a"],
    ["https", "https://token@hooks.example.com/b"],
  ]);
});

test("GIVEN every threshold at its limit (100 %, just above 0, one connection) THEN each is accepted and set on its alarm", () => {
  const { template } = build(
    {},
    { alb5xxRatePercent: 100, target5xxRatePercent: 0.5, instanceCpuPercent: 100, connectionsPercent: 100, maxConnections: 1, replicaLagMs: 0.5 },
  );
  expect(
    ["shop-alb-5xx-rate", "shop-target-5xx-rate", "shop-instance-cpu", "test-db-connections", "test-db-replica-lag"].map((name) => [name, alarm(template, name).threshold]),
  ).toEqual([
    ["shop-alb-5xx-rate", 100],
    ["shop-target-5xx-rate", 0.5],
    ["shop-instance-cpu", 100],
    ["test-db-connections", 1],
    ["test-db-replica-lag", 0.5],
  ]);
});

test("GIVEN instance classes THEN the connections alarm follows Aurora MySQL's max_connections, or maxConnections", () => {
  expect(defaultMaxConnections("db.r6g.large")).toBe(1000);
  expect(defaultMaxConnections("db.r7g.2xlarge")).toBe(3000);
  expect(defaultMaxConnections("db.t3.medium")).toBe(90);
  expect(defaultMaxConnections("db.serverless")).toBeUndefined();
  expect(alarm(build({ instanceClass: "db.r6g.large" }).template, "test-db-connections").threshold).toBe(800);
  expect(alarm(build({}, { maxConnections: 500, connectionsPercent: 50 }).template, "test-db-connections").threshold).toBe(250);
});

describe("HA-MON-1 on the real modules", () => {
  const mon1 = (stack: ReturnType<typeof testStack>) => {
    Testing.synth(stack);
    return Guardrails.findings(stack).filter((f) => f.ruleId === "HA-MON-1");
  };

  test("GIVEN a production stack without HaMonitoring THEN it warns on the target group and the cluster", () => {
    const stack = testStack();
    const network = new HaVpc(stack, "Net", { azs: AZS });
    new AuroraCluster(stack, "Db", { vpc: network });
    new AppTier(stack, "App", { vpc: network });
    expect(mon1(stack).map((f) => [f.path.replace("test/", ""), f.level])).toEqual([
      ["Db/Cluster", "warning"],
      ["App/TargetGroup", "warning"],
    ]);
  });

  test("GIVEN the same stack with HaMonitoring THEN nothing is reported", () => {
    expect(mon1(build().stack)).toEqual([]);
  });

  test("GIVEN lab THEN HA-MON-1 finds nothing", () => {
    const lab = new LabStack(Testing.app(), "lab", { region: "us-east-1", azs: AZS });
    expect(mon1(lab)).toEqual([]);
  });
});
