import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import {
  DataAwsIamPolicyDocument,
  DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import {
  FisExperimentTemplate,
  FisExperimentTemplateAction,
  FisExperimentTemplateTarget,
} from "@cdktf/provider-aws/lib/fis-experiment-template";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { HaStack } from "../../lib/ha-stack";
import { partitionOf, serviceRole } from "../../lib/iam";
import { AWS_NAME_RULES, withSuffix } from "../../lib/naming";
import { predictAzLoss } from "./prediction";
import { DRILL_AZ_TAG, DRILL_TAG } from "../../lib/drill-tags";
import {
  DrillKind,
  DrillTemplate,
  FailureDrillsProps,
  MAX_STOP_CONDITIONS,
  drillKey,
} from "./props";
import { ResolvedDrillsConfig, resolveDrillsConfig } from "./validation";

/** FIS's description limit. */
const MAX_DESCRIPTION = 512;
/** The tag EC2 Auto Scaling puts on every instance it launches. */
const ASG_INSTANCE_TAG = "aws:autoscaling:groupName";
/** The tag FIS puts on the network ACL it swaps in for aws:network:disrupt-connectivity. */
const FIS_ACL_TAG = "managedByFIS";

interface TemplateSpec {
  readonly kind: DrillKind;
  readonly az?: string;
  readonly description: string;
  readonly targets: FisExperimentTemplateTarget[];
  readonly actions: FisExperimentTemplateAction[];
  readonly permissions: DataAwsIamPolicyDocumentStatement[];
  readonly stopAlarms: ReadonlyArray<{ name: string; arn: string }>;
}

/**
 * AWS FIS experiment templates that make the failures the AZ-loss report predicts happen on
 * demand, in this stack only: losing one app instance, failing the Aurora cluster over, and losing
 * each AZ's power. Each template has its own role with only the permissions its actions need,
 * scoped to this stack's resources (by ARN, or by the `aws:autoscaling:groupName` tag EC2 Auto
 * Scaling puts on the app's instances); writes its experiment log to CloudWatch Logs; and stops
 * when a customer-facing alarm of {@link HaMonitoring} fires. Start one with `npm run drill`.
 */
export class FailureDrills extends Construct {
  /** Every template, instance loss first. */
  public readonly templates: readonly DrillTemplate[];
  /** CloudWatch Logs group of the experiment logs. */
  public readonly logGroupName: string;
  /** Minutes an AZ power loss lasts. */
  public readonly azLossDurationMinutes: number;
  /** Drills this stack carries. */
  public readonly drills: readonly DrillKind[];

  private readonly config: ResolvedDrillsConfig;
  private readonly props: FailureDrillsProps;
  private readonly partition: string;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: FailureDrillsProps) {
    super(scope, id);
    this.config = resolveDrillsConfig(props, this);
    this.props = props;
    const region = HaStack.find(this)?.region;
    this.partition = partitionOf(region);
    this.region = region ?? "*";
    this.azLossDurationMinutes = this.config.azLossDurationMinutes;
    this.drills = this.config.drills;

    this.logGroupName = `/aws/fis/${props.app.name}`;
    const logs = new CloudwatchLogGroup(this, "LogGroup", {
      name: this.logGroupName,
      retentionInDays: this.config.logRetentionDays,
    });

    const specs: TemplateSpec[] = [];
    if (this.drills.includes(DrillKind.INSTANCE_LOSS)) specs.push(this.instanceLoss());
    if (this.drills.includes(DrillKind.DB_FAILOVER)) specs.push(this.dbFailover());
    if (this.drills.includes(DrillKind.AZ_LOSS)) specs.push(...props.network.azs.map((az) => this.azLoss(az)));

    this.templates = specs.map((spec) => this.createTemplate(spec, logs));
  }

  /** The template of a drill (and AZ, for `az-loss`). */
  public template(kind: DrillKind, az?: string): DrillTemplate | undefined {
    return this.templates.find((t) => t.kind === kind && t.az === az);
  }

  private createTemplate(spec: TemplateSpec, logs: CloudwatchLogGroup): DrillTemplate {
    const key = drillKey(spec.kind, spec.az);
    const id = spec.az ? `AzLoss-${spec.az}` : spec.kind === DrillKind.INSTANCE_LOSS ? "InstanceLoss" : "DbFailover";
    const scope = new Construct(this, id);
    const name = `${this.props.app.name}-${key.replace(":", "-")}`;
    const role = serviceRole(scope, "Role", {
      service: "fis.amazonaws.com",
      namePrefix: withSuffix(AWS_NAME_RULES.iamNamePrefix, name, "-fis-"),
      description: `FIS drill ${key} of ${this.props.app.name}: only what its actions need`,
    });
    const policy = new DataAwsIamPolicyDocument(scope, "PolicyDocument", { statement: spec.permissions });
    new IamRolePolicy(scope, "Policy", { namePrefix: "fis-drill-", role: role.id, policy: policy.json });
    const description = spec.description.length > MAX_DESCRIPTION ? `${spec.description.slice(0, MAX_DESCRIPTION - 1)}…` : spec.description;
    const template = new FisExperimentTemplate(scope, "Template", {
      description,
      roleArn: role.arn,
      target: spec.targets,
      action: spec.actions,
      stopCondition: spec.stopAlarms.map((a) => ({ source: "aws:cloudwatch:alarm", value: a.arn })),
      logConfiguration: { logSchemaVersion: 2, cloudwatchLogsConfiguration: { logGroupArn: `${logs.arn}:*` } },
      // A drill whose targets are gone (no instance running) fails loudly instead of passing empty.
      experimentOptions: { accountTargeting: "single-account", emptyTargetResolutionMode: "fail" },
      tags: { Name: name, [DRILL_TAG]: spec.kind, ...(spec.az ? { [DRILL_AZ_TAG]: spec.az } : {}) },
    });
    return { kind: spec.kind, az: spec.az, key, id: template.id, description, stopAlarmNames: spec.stopAlarms.map((a) => a.name) };
  }

  /** Task 5: one running instance of the group, picked by FIS, is terminated. */
  private instanceLoss(): TemplateSpec {
    const { app } = this.props;
    const left = app.minCapacity - 1;
    return {
      kind: DrillKind.INSTANCE_LOSS,
      description:
        `Instance loss (Task 5): terminates one running instance of ${app.name}. Expected: ` +
        (left >= 1
          ? `${left} of ${app.minCapacity} instances keep serving while the group launches a replacement.`
          : `the app is down until the group has booted a replacement (minimum ${app.minCapacity}).`),
      targets: [this.appInstances("AppInstances", "COUNT(1)")],
      actions: [
        { name: "TerminateOneInstance", actionId: "aws:ec2:terminate-instances", target: { key: "Instances", value: "AppInstances" } },
      ],
      permissions: [describeInstances(), this.onAppInstances("TerminateAppInstances", ["ec2:TerminateInstances"])],
      stopAlarms: this.props.monitoring.customerImpactAlarms(),
    };
  }

  /** Task 8: Aurora promotes the reader with the best promotion tier. */
  private dbFailover(): TemplateSpec {
    const { database } = this.props;
    const readers = database.instancePlacements.slice(1).map((p) => `${p.identifier} (${p.az})`);
    return {
      kind: DrillKind.DB_FAILOVER,
      description:
        `Database failover (Task 8): fails Aurora cluster ${database.clusterIdentifier} over. Expected: a reader ` +
        `(${readers.join(", ")}) becomes the writer within about a minute; the cluster endpoint follows it.`,
      targets: [this.clusterTarget()],
      actions: [{ name: "FailoverCluster", actionId: "aws:rds:failover-db-cluster", target: { key: "Clusters", value: "Cluster" } }],
      permissions: this.clusterPermissions(),
      stopAlarms: this.props.monitoring.customerImpactAlarms(),
    };
  }

  /**
   * AZ power loss, as AWS's AZ Availability: Power Interruption scenario: the AZ's subnets lose
   * all connectivity, its app instances stop, the group cannot launch there, and the database
   * fails over, all for the duration. Stops on the customer alarms and the other AZs' alarms.
   */
  private azLoss(az: string): TemplateSpec {
    const { network, app, database, monitoring } = this.props;
    const minutes = this.config.azLossDurationMinutes;
    const duration = `PT${minutes}M`;
    const subnets = network.azNetworks[az];
    const subnetArns = [subnets.publicSubnet.arn, subnets.privateSubnet.arn, subnets.isolatedSubnet.arn];
    const failover = database.highlyAvailable;
    const losses = predictAzLoss(network, app, database, az);

    const targets: FisExperimentTemplateTarget[] = [
      { name: "Subnets", resourceType: "aws:ec2:subnet", selectionMode: "ALL", resourceArns: subnetArns },
      this.appInstances("AppInstances", "ALL", az),
      { name: "AutoScalingGroup", resourceType: "aws:ec2:autoscaling-group", selectionMode: "ALL", resourceArns: [app.autoScalingGroupArn] },
    ];
    const actions: FisExperimentTemplateAction[] = [
      {
        name: "CutNetwork",
        actionId: "aws:network:disrupt-connectivity",
        parameter: [
          { key: "duration", value: duration },
          { key: "scope", value: "all" },
        ],
        target: { key: "Subnets", value: "Subnets" },
      },
      {
        name: "StopInstances",
        actionId: "aws:ec2:stop-instances",
        parameter: [
          { key: "startInstancesAfterDuration", value: duration },
          // The group replaces stopped instances (ELB health checks); that must not fail the drill.
          { key: "completeIfInstancesTerminated", value: "true" },
        ],
        target: { key: "Instances", value: "AppInstances" },
      },
      {
        name: "RefuseLaunches",
        actionId: "aws:ec2:asg-insufficient-instance-capacity-error",
        parameter: [
          { key: "availabilityZoneIdentifiers", value: az },
          { key: "duration", value: duration },
          { key: "percentage", value: "100" },
        ],
        target: { key: "AutoScalingGroups", value: "AutoScalingGroup" },
      },
    ];
    const permissions = [
      describeInstances(),
      this.onAppInstances("StopAndStartAppInstances", ["ec2:StopInstances", "ec2:StartInstances"]),
      ...this.networkPermissions(subnetArns),
      ...this.launchErrorPermissions(),
    ];
    if (failover) {
      targets.push(this.clusterTarget());
      actions.push({ name: "FailoverDatabase", actionId: "aws:rds:failover-db-cluster", target: { key: "Clusters", value: "Cluster" } });
      permissions.push(...this.clusterPermissions());
    }
    const otherAzAlarms = network.azs
      .filter((other) => other !== az)
      .map((other) => monitoring.azAlarm(other))
      .filter((a): a is NonNullable<typeof a> => a !== undefined);
    const customer = monitoring.customerImpactAlarms();
    const stopAlarms = [...customer, ...otherAzAlarms].slice(0, MAX_STOP_CONDITIONS);
    return {
      kind: DrillKind.AZ_LOSS,
      az,
      description:
        `AZ power loss in ${az} for ${minutes} min: cuts its subnets, stops its app instances, refuses launches there` +
        (failover ? ", fails the database over" : "") +
        `. The AZ-loss report predicts: ${losses.length === 0 ? "no loss of service" : `loss of service: ${losses.join("; ")}`}.`,
      targets,
      actions,
      permissions,
      stopAlarms,
    };
  }

  /** The app's instances (optionally those in one AZ), found by the tag Auto Scaling puts on them. */
  private appInstances(name: string, selectionMode: string, az?: string): FisExperimentTemplateTarget {
    return {
      name,
      resourceType: "aws:ec2:instance",
      selectionMode,
      // The group's name is the tier's name (AppTier names both alike).
      resourceTag: [{ key: ASG_INSTANCE_TAG, value: this.props.app.name }],
      filter: [
        { path: "State.Name", values: ["running"] },
        ...(az ? [{ path: "Placement.AvailabilityZone", values: [az] }] : []),
      ],
    };
  }

  private clusterTarget(): FisExperimentTemplateTarget {
    return { name: "Cluster", resourceType: "aws:rds:cluster", selectionMode: "ALL", resourceArns: [this.props.database.clusterArn] };
  }

  // The policies name the group and the cluster by their literal names, not by attributes of the
  // resources: a policy document that refers to a resource is re-read whenever that resource has a
  // pending change, and would show as a change of the role's policy too.
  private onAppInstances(sid: string, actions: string[]): DataAwsIamPolicyDocumentStatement {
    return {
      sid,
      actions,
      resources: [`arn:${this.partition}:ec2:${this.region}:*:instance/*`],
      condition: [{ test: "StringEquals", variable: `aws:ResourceTag/${ASG_INSTANCE_TAG}`, values: [this.props.app.name] }],
    };
  }

  private clusterPermissions(): DataAwsIamPolicyDocumentStatement[] {
    const cluster = `arn:${this.partition}:rds:${this.region}:*:cluster:${this.props.database.clusterIdentifier}`;
    return [{ sid: "FailoverThisCluster", actions: ["rds:FailoverDBCluster", "rds:DescribeDBClusters"], resources: [cluster] }];
  }

  /**
   * aws:network:disrupt-connectivity swaps a deny-all network ACL (tagged managedByFIS) onto the
   * subnets and swaps the original back afterwards: it may create, fill and delete only ACLs
   * tagged so, in this VPC, and re-associate only this AZ's subnets.
   */
  private networkPermissions(subnetArns: string[]): DataAwsIamPolicyDocumentStatement[] {
    const acls = `arn:${this.partition}:ec2:${this.region}:*:network-acl/*`;
    const fisTagged = (variable: string) => ({ test: "StringEquals", variable, values: ["true"] });
    return [
      {
        sid: "CreateFisNetworkAcl",
        actions: ["ec2:CreateNetworkAcl"],
        resources: [acls],
        condition: [fisTagged(`aws:RequestTag/${FIS_ACL_TAG}`)],
      },
      { sid: "CreateNetworkAclInThisVpc", actions: ["ec2:CreateNetworkAcl"], resources: [this.props.network.vpc.arn] },
      {
        sid: "TagFisNetworkAcl",
        actions: ["ec2:CreateTags"],
        resources: [acls],
        condition: [
          { test: "StringEquals", variable: "ec2:CreateAction", values: ["CreateNetworkAcl"] },
          fisTagged(`aws:RequestTag/${FIS_ACL_TAG}`),
        ],
      },
      {
        sid: "ChangeFisNetworkAcl",
        actions: ["ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"],
        resources: [acls],
        condition: [fisTagged(`aws:ResourceTag/${FIS_ACL_TAG}`)],
      },
      { sid: "SwapAclsOfThisAz", actions: ["ec2:ReplaceNetworkAclAssociation"], resources: [...subnetArns, acls] },
      {
        sid: "ReadNetwork",
        actions: [
          "ec2:DescribeNetworkAcls",
          "ec2:DescribeSubnets",
          "ec2:DescribeVpcs",
          "ec2:DescribeManagedPrefixLists",
          "ec2:GetManagedPrefixListEntries",
        ],
        resources: ["*"],
      },
    ];
  }

  /** The capacity error is injected into this group's launches only, and only by this FIS action. */
  private launchErrorPermissions(): DataAwsIamPolicyDocumentStatement[] {
    return [
      { sid: "ReadGroups", actions: ["autoscaling:DescribeAutoScalingGroups"], resources: ["*"] },
      {
        sid: "RefuseLaunchesOfThisGroup",
        actions: ["ec2:InjectApiError"],
        resources: ["*"],
        condition: [
          { test: "ForAnyValue:StringEquals", variable: "ec2:FisActionId", values: ["aws:ec2:asg-insufficient-instance-capacity-error"] },
          {
            test: "ForAllValues:StringLike",
            variable: "ec2:FisTargetArns",
            values: [`arn:${this.partition}:autoscaling:${this.region}:*:autoScalingGroup:*:autoScalingGroupName/${this.props.app.name}`],
          },
        ],
      },
    ];
  }
}

/** FIS resolves instance targets by describing them; DescribeInstances has no resource-level permissions. */
function describeInstances(): DataAwsIamPolicyDocumentStatement {
  return { sid: "DescribeInstances", actions: ["ec2:DescribeInstances"], resources: ["*"] };
}
