import { Construct } from "constructs";
import { Fn } from "cdktf";
import {
  CloudwatchMetricAlarm,
  CloudwatchMetricAlarmConfig,
  CloudwatchMetricAlarmMetricQuery,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { HaStack } from "../../lib/ha-stack";
import { partitionOf } from "../../lib/iam";
import { AlarmScope, DEFAULT_KEY_DELETION_WINDOW_DAYS, HaMonitoringProps, MonitoredAlarm } from "./props";
import { ResolvedMonitoringConfig, resolveMonitoringConfig } from "./validation";

const ALB = "AWS/ApplicationELB";
const RDS = "AWS/RDS";
/** ALB, ASG group metrics and Aurora publish every minute. */
const MINUTE = 60;
/** The instances use basic monitoring: EC2 publishes CPU every five minutes. */
const EC2_BASIC_PERIOD = 300;

/**
 * Missing-data treatments, one per kind of metric, each with the reason it is right for it. A
 * metric that is only published when something happens (error counts) means "nothing happened"
 * when missing; a metric that is published while the thing exists (healthy hosts, in-service
 * instances, the writer's uptime) means "it is gone" when missing.
 */
const MISSING = {
  /** 5xx counts are published only when a 5xx occurs; no requests also means no rate. */
  errorRate: { treatment: "notBreaching", why: "missing data means no requests or no errors, so it does not breach" },
  /** The ALB publishes HealthyHostCount per AZ while targets are registered there. */
  healthyHosts: { treatment: "breaching", why: "missing data means no target registered in the AZ, so it breaches" },
  /** Group metrics are enabled on the ASG; they stop only if the group or its metrics go away. */
  inService: { treatment: "breaching", why: "missing data means the group stopped reporting, so it breaches" },
  /** An Aurora writer reports EngineUptime every minute while it runs. */
  writer: { treatment: "breaching", why: "missing data means no writer is reporting, so it breaches" },
  /** Lag and connections are published by running instances; their absence is the writer alarm's job. */
  databaseLoad: { treatment: "notBreaching", why: "missing data means no instance reports it; the writer alarm covers that" },
  /** CPU is missing when no instance runs; the in-service alarm covers that. */
  cpu: { treatment: "notBreaching", why: "missing data means no instance runs; the in-service alarm covers that" },
} as const;

/**
 * Alarms and a dashboard for a stack built from {@link AppTier} and {@link AuroraCluster}, and one
 * encrypted SNS topic they notify:
 * - what users see: the ALB's own 5xx rate and the targets' 5xx rate (the drills' stop conditions);
 * - per AZ: healthy targets below what that AZ should hold (the target group's AvailabilityZone
 *   dimension), so the loss of one AZ shows as that AZ's alarm;
 * - capacity: in-service instances below the group's minimum, and instance CPU;
 * - the database: no writer reporting, replica lag (with readers), connections near the class's limit.
 * Each alarm's description states its threshold and why missing data breaches or not.
 */
export class HaMonitoring extends Construct {
  /** Stem of the names. */
  public readonly name: string;
  /** The SNS topic every alarm notifies (on ALARM and back to OK). */
  public readonly topicArn: string;
  /** The KMS key encrypting the topic (a customer managed key: CloudWatch cannot use aws/sns). */
  public readonly topicKeyArn: string;
  public readonly dashboardName: string;
  /** Every alarm, in creation order. */
  public readonly alarms: readonly MonitoredAlarm[];
  /** AZs of the app, in the network's order. */
  public readonly azs: readonly string[];
  /** Healthy targets each AZ should hold at least (the group's minimum spread evenly, rounded down). */
  public readonly expectedHealthyPerAz: number;

  private readonly config: ResolvedMonitoringConfig;
  private readonly created: MonitoredAlarm[] = [];

  constructor(scope: Construct, id: string, props: HaMonitoringProps) {
    super(scope, id);
    const config = resolveMonitoringConfig(props, this);
    this.config = config;
    const { app, database } = props;
    this.name = config.name;
    this.azs = app.azs;
    this.expectedHealthyPerAz = Math.floor(app.minCapacity / Math.max(app.azs.length, 1));

    const key = this.createTopicKey();
    const topic = new SnsTopic(this, "Topic", {
      name: `${config.name}-alarms`,
      displayName: `${config.name} alarms`,
      kmsMasterKeyId: key.arn,
      tags: { Name: `${config.name}-alarms` },
    });
    config.subscriptions.forEach((s, i) => {
      new SnsTopicSubscription(this, `Subscription${i + 1}`, { topicArn: topic.arn, protocol: s.protocol, endpoint: s.endpoint });
    });
    this.topicArn = topic.arn;
    this.topicKeyArn = key.arn;

    const lb = { LoadBalancer: app.albArnSuffix };
    const tg = { TargetGroup: app.targetGroupArnSuffix, LoadBalancer: app.albArnSuffix };
    this.rateAlarm("Alb5xxRate", "HTTPCode_ELB_5XX_Count", lb, config.alb5xxRatePercent, "ALB 5xx responses (the load balancer's own)");
    this.rateAlarm("Target5xxRate", "HTTPCode_Target_5XX_Count", tg, config.target5xxRatePercent, "5xx responses from the app's targets");

    if (this.expectedHealthyPerAz >= 1) {
      for (const az of app.azs) {
        this.alarm(`HealthyHosts-${az}`, AlarmScope.AZ, az, {
          alarmName: `${config.name}-healthy-hosts-${az}`,
          alarmDescription:
            `Healthy targets in ${az} below ${this.expectedHealthyPerAz} (the group's minimum ${app.minCapacity} spread over ` +
            `${app.azs.length} AZs) for 2 minutes; ${MISSING.healthyHosts.why}.`,
          namespace: ALB,
          metricName: "HealthyHostCount",
          dimensions: { ...tg, AvailabilityZone: az },
          statistic: "Minimum",
          period: MINUTE,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          comparisonOperator: "LessThanThreshold",
          threshold: this.expectedHealthyPerAz,
          treatMissingData: MISSING.healthyHosts.treatment,
        });
      }
    } else {
      // Fewer instances than AZs (InstanceRedundancy.REDUCED): no AZ is sure to hold one, so the
      // healthy-host alarm watches the whole target group instead.
      this.alarm("HealthyHosts", AlarmScope.CAPACITY, undefined, {
        alarmName: `${config.name}-healthy-hosts`,
        alarmDescription:
          `No healthy target in any AZ for 2 minutes (the group's minimum ${app.minCapacity} is below one per AZ, so no ` +
          `single AZ is expected to hold one); ${MISSING.healthyHosts.why}.`,
        namespace: ALB,
        metricName: "HealthyHostCount",
        dimensions: tg,
        statistic: "Minimum",
        period: MINUTE,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        treatMissingData: MISSING.healthyHosts.treatment,
      });
    }

    const group = { AutoScalingGroupName: app.autoScalingGroupName };
    this.alarm("InService", AlarmScope.CAPACITY, undefined, {
      alarmName: `${config.name}-in-service`,
      alarmDescription: `In-service instances below the group's minimum (${app.minCapacity}) for 2 minutes; ${MISSING.inService.why}.`,
      namespace: "AWS/AutoScaling",
      metricName: "GroupInServiceInstances",
      dimensions: group,
      statistic: "Minimum",
      period: MINUTE,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: "LessThanThreshold",
      threshold: app.minCapacity,
      treatMissingData: MISSING.inService.treatment,
    });
    this.alarm("InstanceCpu", AlarmScope.CAPACITY, undefined, {
      alarmName: `${config.name}-instance-cpu`,
      alarmDescription:
        `Average CPU of the app's instances above ${config.instanceCpuPercent} % for 15 minutes (scaling is not keeping up); ` +
        `${MISSING.cpu.why}.`,
      namespace: "AWS/EC2",
      metricName: "CPUUtilization",
      dimensions: group,
      statistic: "Average",
      period: EC2_BASIC_PERIOD,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: config.instanceCpuPercent,
      treatMissingData: MISSING.cpu.treatment,
    });

    const writer = { DBClusterIdentifier: database.clusterIdentifier, Role: "WRITER" };
    this.alarm("DatabaseWriter", AlarmScope.DATABASE, undefined, {
      alarmName: `${database.clusterIdentifier}-writer-available`,
      alarmDescription:
        `Aurora cluster ${database.clusterIdentifier} has had no writer up for 2 minutes (EngineUptime of the WRITER role ` +
        `below 60 s or absent); ${MISSING.writer.why}.`,
      namespace: RDS,
      metricName: "EngineUptime",
      dimensions: writer,
      statistic: "Minimum",
      period: MINUTE,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: "LessThanThreshold",
      threshold: MINUTE,
      treatMissingData: MISSING.writer.treatment,
    });
    if (database.instancePlacements.length > 1) {
      this.alarm("ReplicaLag", AlarmScope.DATABASE, undefined, {
        alarmName: `${database.clusterIdentifier}-replica-lag`,
        alarmDescription:
          `Aurora replica lag above ${config.replicaLagMs} ms for 3 minutes: a failover now could promote a stale reader; ` +
          `${MISSING.databaseLoad.why}.`,
        namespace: RDS,
        metricName: "AuroraReplicaLagMaximum",
        dimensions: { DBClusterIdentifier: database.clusterIdentifier },
        statistic: "Maximum",
        period: MINUTE,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        comparisonOperator: "GreaterThanThreshold",
        threshold: config.replicaLagMs,
        treatMissingData: MISSING.databaseLoad.treatment,
      });
    }
    this.alarm("DatabaseConnections", AlarmScope.DATABASE, undefined, {
      alarmName: `${database.clusterIdentifier}-connections`,
      alarmDescription:
        `Writer connections above ${config.connectionsThreshold} (of max_connections ${config.maxConnections} for ` +
        `${database.instanceClass}) for 5 minutes; ${MISSING.databaseLoad.why}.`,
      namespace: RDS,
      metricName: "DatabaseConnections",
      dimensions: writer,
      statistic: "Maximum",
      period: MINUTE,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      comparisonOperator: "GreaterThanThreshold",
      threshold: config.connectionsThreshold,
      treatMissingData: MISSING.databaseLoad.treatment,
    });
    this.alarms = this.created;

    const dashboard = new CloudwatchDashboard(this, "Dashboard", {
      dashboardName: config.name,
      dashboardBody: JSON.stringify(this.dashboardBody(props, HaStack.find(this)?.region)),
    });
    this.dashboardName = dashboard.dashboardName;
  }

  /** The alarms users would notice first (5xx rates): every drill stops when one fires. */
  public customerImpactAlarms(): MonitoredAlarm[] {
    return this.alarms.filter((a) => a.scope === AlarmScope.CUSTOMER);
  }

  /** The healthy-host alarm of one AZ, if the module created per-AZ alarms. */
  public azAlarm(az: string): MonitoredAlarm | undefined {
    return this.alarms.find((a) => a.scope === AlarmScope.AZ && a.az === az);
  }

  /** Percent of requests answered 5xx, as metric math over two ALB counts. */
  private rateAlarm(id: string, errorMetric: string, dimensions: Record<string, string>, percent: number, what: string): void {
    const metric = (name: string) => ({ metricName: name, namespace: ALB, period: MINUTE, stat: "Sum", dimensions });
    const queries: CloudwatchMetricAlarmMetricQuery[] = [
      {
        id: "rate",
        // FILL: a minute with requests and no error publishes no error count; it is 0, not missing.
        expression: "100 * FILL(errors, 0) / requests",
        label: `${what}, percent of requests`,
        returnData: true,
      },
      { id: "errors", metric: metric(errorMetric) },
      { id: "requests", metric: metric("RequestCount") },
    ];
    const slug = id === "Alb5xxRate" ? "alb-5xx-rate" : "target-5xx-rate";
    this.alarm(id, AlarmScope.CUSTOMER, undefined, {
      alarmName: `${this.config.name}-${slug}`,
      alarmDescription: `${what} above ${percent} % of requests for 3 minutes; ${MISSING.errorRate.why}.`,
      metricQuery: queries,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      comparisonOperator: "GreaterThanThreshold",
      threshold: percent,
      treatMissingData: MISSING.errorRate.treatment,
    });
  }

  private alarm(id: string, scope: AlarmScope, az: string | undefined, config: CloudwatchMetricAlarmConfig): void {
    const alarm = new CloudwatchMetricAlarm(this, id, {
      ...config,
      alarmActions: [this.topicArn],
      okActions: [this.topicArn],
      tags: { Name: config.alarmName },
    });
    this.created.push({ id, name: config.alarmName, arn: alarm.arn, scope, az });
  }

  /**
   * A customer managed key: alarms publish to an encrypted topic only if CloudWatch may use the
   * key, which the AWS managed aws/sns key never allows. The account comes from the key's own ARN,
   * so the plan needs no AWS call.
   */
  private createTopicKey(): KmsKey {
    const region = HaStack.find(this)?.region;
    const key = new KmsKey(this, "TopicKey", {
      description: `Encrypts the ${this.config.name} alarm topic`,
      enableKeyRotation: true,
      deletionWindowInDays: DEFAULT_KEY_DELETION_WINDOW_DAYS,
      tags: { Name: `${this.config.name}-alarms` },
    });
    const account = Fn.element(Fn.split(":", key.arn), 4);
    const policy = new DataAwsIamPolicyDocument(this, "TopicKeyPolicyDocument", {
      statement: [
        {
          sid: "AccountAdministersKey",
          actions: ["kms:*"],
          resources: ["*"],
          principals: [{ type: "AWS", identifiers: [`arn:${partitionOf(region)}:iam::${account}:root`] }],
        },
        {
          sid: "CloudWatchPublishesAlarms",
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [account] }],
        },
      ],
    });
    new KmsKeyPolicy(this, "TopicKeyPolicy", { keyId: key.id, policy: policy.json });
    return key;
  }

  /** Widgets: the 5xx rates, then one row per AZ (healthy and unhealthy targets, requests, target 5xx), then capacity and database. */
  private dashboardBody(props: HaMonitoringProps, region: string | undefined): Record<string, unknown> {
    const { app, database } = props;
    const widgets: Record<string, unknown>[] = [];
    const width = 12;
    const height = 6;
    let y = 0;
    const add = (title: string, metrics: unknown[], x: number, extra: Record<string, unknown> = {}) =>
      widgets.push({
        type: "metric",
        x,
        y,
        width,
        height,
        properties: { title, region, view: "timeSeries", stacked: false, period: MINUTE, metrics, ...extra },
      });
    const tg = ["TargetGroup", app.targetGroupArnSuffix, "LoadBalancer", app.albArnSuffix];
    add(
      "Requests and 5xx (all AZs)",
      [
        [ALB, "RequestCount", "LoadBalancer", app.albArnSuffix, { stat: "Sum" }],
        [ALB, "HTTPCode_ELB_5XX_Count", "LoadBalancer", app.albArnSuffix, { stat: "Sum" }],
        [ALB, "HTTPCode_Target_5XX_Count", ...tg, { stat: "Sum" }],
      ],
      0,
    );
    widgets.push({ type: "alarm", x: width, y, width, height, properties: { title: "Alarms", alarms: this.created.map((a) => a.arn) } });
    y += height;
    for (const az of app.azs) {
      add(
        `${az}: targets`,
        [
          [ALB, "HealthyHostCount", ...tg, "AvailabilityZone", az, { stat: "Minimum" }],
          [ALB, "UnHealthyHostCount", ...tg, "AvailabilityZone", az, { stat: "Maximum" }],
        ],
        0,
        this.expectedHealthyPerAz >= 1
          ? { annotations: { horizontal: [{ label: "expected healthy", value: this.expectedHealthyPerAz }] } }
          : {},
      );
      add(
        `${az}: requests and target 5xx`,
        [
          [ALB, "RequestCount", "LoadBalancer", app.albArnSuffix, "AvailabilityZone", az, { stat: "Sum" }],
          [ALB, "HTTPCode_Target_5XX_Count", ...tg, "AvailabilityZone", az, { stat: "Sum" }],
        ],
        width,
      );
      y += height;
    }
    add(
      "Auto Scaling group",
      [
        ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", app.autoScalingGroupName, { stat: "Minimum" }],
        ["AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName", app.autoScalingGroupName, { stat: "Maximum" }],
        ["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", app.autoScalingGroupName, { stat: "Average", yAxis: "right" }],
      ],
      0,
    );
    add(
      `Aurora ${database.clusterIdentifier}`,
      [
        [RDS, "DatabaseConnections", "DBClusterIdentifier", database.clusterIdentifier, "Role", "WRITER", { stat: "Maximum" }],
        [RDS, "AuroraReplicaLagMaximum", "DBClusterIdentifier", database.clusterIdentifier, { stat: "Maximum", yAxis: "right" }],
      ],
      width,
    );
    return { widgets };
  }
}
