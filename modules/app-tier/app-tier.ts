import { Construct } from "constructs";
import { Token } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HaStack, StackIntent } from "../../lib/ha-stack";
import { partitionOf, serviceRole } from "../../lib/iam";
import { checkConnectionBudget, connectionPoolOf } from "../../lib/connection-budget";
import { AWS_NAME_RULES, shortHash, withSuffix } from "../../lib/naming";
import { logDeliveryPrincipal } from "./log-delivery";
import { AppTierProps, InstanceRedundancy } from "./props";
import { encodeUserData } from "./user-data";
import { ResolvedAppTierConfig, resolveAppTierConfig } from "./validation";

const HTTP_PORT = 80;
const HTTPS_PORT = 443;
const ANY_IPV4 = "0.0.0.0/0";
/** 15 s × 2 failed checks: a dead instance leaves the rotation within about 30 s. */
const HEALTH_CHECK_INTERVAL_SECONDS = 15;
const HEALTH_CHECK_TIMEOUT_SECONDS = 5;
const HEALTH_CHECK_MATCHER = "200";
/** Requests to the app are short; 30 s drains them without slowing every rollout by AWS's 300 s default. */
const DEREGISTRATION_DELAY_SECONDS = 30;
/** Seconds a new instance's metrics are left out of scaling and refresh decisions while it warms up. */
const INSTANCE_WARMUP_SECONDS = 60;
/**
 * Rolling refresh and maintenance launch before they terminate: never fewer healthy instances than
 * desired (100 %), up to twice as many while replacing (200 %). With 90 % and two instances, AWS
 * would still replace one at a time and leave one AZ without an instance during every rollout.
 */
const MIN_HEALTHY_PERCENTAGE = 100;
const MAX_HEALTHY_PERCENTAGE = 200;
/** When an AZ is impaired, launch in the healthy AZs instead of retrying the impaired one. */
const CAPACITY_DISTRIBUTION_STRATEGY = "balanced-best-effort";
/** Group metrics are free at one-minute granularity and show capacity per state during incidents. */
const GROUP_METRICS = [
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupMaxSize",
  "GroupMinSize",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
];
/** Parts of a failed multipart log upload are removed after a week. */
const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;
const SSM_MANAGED_INSTANCE_POLICY = "AmazonSSMManagedInstanceCore";

/**
 * A load-balanced, self-healing app tier: an internet-facing ALB in the public subnets of every
 * AZ, and an Auto Scaling group over the private subnets of every AZ that replaces instances
 * failing the ALB health check, rolls new launch template versions out without losing capacity,
 * and launches in healthy AZs when one is impaired. Instances have no public IP and no SSH;
 * Session Manager reaches them.
 */
export class AppTier extends Construct {
  /** Name of the ALB and the Auto Scaling group. */
  public readonly name: string;
  /** Security group of the instances; a database allows it in (and adds its egress rule here). */
  public readonly securityGroup: SecurityGroup;
  /** Security group of the ALB. */
  public readonly albSecurityGroup: SecurityGroup;
  /** Role of the instances; grant it what the app reads (e.g. the database secret). */
  public readonly instanceRole: IamRole;
  public readonly albArn: string;
  /** The ALB's ARN suffix, the dimension of its CloudWatch metrics. */
  public readonly albArnSuffix: string;
  public readonly albDnsName: string;
  /** Route 53 hosted zone of the ALB, for alias records. */
  public readonly albZoneId: string;
  /** `http://` or `https://` plus the ALB's DNS name. */
  public readonly url: string;
  public readonly targetGroupArn: string;
  /** The target group's ARN suffix, the `TargetGroup` dimension of its CloudWatch metrics. */
  public readonly targetGroupArnSuffix: string;
  public readonly autoScalingGroupName: string;
  /** ARN of the Auto Scaling group (FIS experiments target it by ARN). */
  public readonly autoScalingGroupArn: string;
  public readonly launchTemplateId: string;
  /** AZs the ALB and the instances span, in the network's order. */
  public readonly azs: readonly string[];
  public readonly minCapacity: number;
  public readonly desiredCapacity: number;
  public readonly maxCapacity: number;
  public readonly redundancy: InstanceRedundancy;
  /** Port the instances serve on. */
  public readonly appPort: number;
  /** Bucket receiving the ALB access logs; undefined when logs are off. */
  public readonly accessLogsBucket?: string;

  constructor(scope: Construct, id: string, props: AppTierProps) {
    super(scope, id);
    const config = resolveAppTierConfig(props, id, this);
    // User data from inventoryUserDataFor carries its worker pool and database: check the connection budget.
    const pool = typeof props.userData === "string" ? connectionPoolOf(props.userData) : undefined;
    if (pool !== undefined && !Token.isUnresolved(config.maxCapacity) && !Token.isUnresolved(config.instanceType)) {
      checkConnectionBudget(this, config.maxCapacity, config.instanceType, pool);
    }
    const vpc = props.vpc;
    this.name = config.name;
    this.azs = vpc.azs;
    this.minCapacity = config.minCapacity;
    this.desiredCapacity = config.desiredCapacity;
    this.maxCapacity = config.maxCapacity;
    this.redundancy = config.redundancy;
    this.appPort = config.appPort;

    this.albSecurityGroup = new SecurityGroup(this, "AlbSecurityGroup", {
      namePrefix: withSuffix(AWS_NAME_RULES.genericNamePrefix, config.name, "-alb-"),
      description: `ALB of ${config.name}: web clients in, the app port out to the instances`,
      vpcId: vpc.vpcId,
      tags: { Name: `${config.name}-alb` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroup = new SecurityGroup(this, "AppSecurityGroup", {
      namePrefix: withSuffix(AWS_NAME_RULES.genericNamePrefix, config.name, "-app-"),
      description: `Instances of ${config.name}: the app port from the ALB only; HTTPS out`,
      vpcId: vpc.vpcId,
      tags: { Name: `${config.name}-app` },
      lifecycle: { createBeforeDestroy: true },
    });
    this.createSecurityGroupRules(config);

    const logs = this.createAccessLogs(config);
    this.accessLogsBucket = logs?.bucket;

    const alb = new Lb(this, "Alb", {
      name: config.name,
      internal: false,
      loadBalancerType: "application",
      ipAddressType: "ipv4",
      subnets: vpc.publicSubnetIds,
      securityGroups: [this.albSecurityGroup.id],
      // Requests with header names that are not valid HTTP never reach the app (request smuggling).
      dropInvalidHeaderFields: true,
      enableDeletionProtection: config.deletionProtection,
      // Lets ARC (or autoshift) move traffic away from an impaired AZ's ALB nodes and targets.
      enableZonalShift: true,
      accessLogs: logs ? { bucket: logs.bucket, prefix: logs.prefix, enabled: true } : undefined,
      // An internet-facing ALB cannot be created before the VPC has an internet gateway, and the
      // ALB's own creation checks that it may write its logs.
      dependsOn: [vpc.internetGateway, ...(logs?.dependsOn ?? [])],
      tags: { Name: config.name },
    });

    // The name carries a hash of the settings that force a replacement, so the replacement can
    // exist beside the old group (create_before_destroy) without DuplicateTargetGroupName.
    const targetProtocol = "HTTP";
    const targetGroup = new LbTargetGroup(this, "TargetGroup", {
      name: withSuffix(
        AWS_NAME_RULES.targetGroup,
        config.name,
        // vpc_id forces a replacement too: the VPC's path and CIDR stand for it (a new CIDR or a
        // moved construct means a new VPC).
        `-${shortHash(config.name, targetProtocol, config.appPort, "instance", "HTTP1", vpc.node.path, vpc.vpcCidr)}`,
      ),
      port: config.appPort,
      protocol: targetProtocol,
      protocolVersion: "HTTP1",
      targetType: "instance",
      vpcId: vpc.vpcId,
      deregistrationDelay: String(DEREGISTRATION_DELAY_SECONDS),
      healthCheck: {
        enabled: true,
        protocol: targetProtocol,
        port: "traffic-port",
        path: config.healthCheckPath,
        matcher: HEALTH_CHECK_MATCHER,
        interval: HEALTH_CHECK_INTERVAL_SECONDS,
        timeout: HEALTH_CHECK_TIMEOUT_SECONDS,
        healthyThreshold: config.healthyThreshold,
        unhealthyThreshold: config.unhealthyThreshold,
      },
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: config.name },
    });
    this.createListeners(config, alb, targetGroup);

    this.instanceRole = this.createInstanceRole(config);
    const profile = new IamInstanceProfile(this, "InstanceProfile", {
      namePrefix: withSuffix(AWS_NAME_RULES.iamNamePrefix, config.name, "-app-"),
      role: this.instanceRole.name,
    });

    const instanceTags = { ...stackDefaultTags(this), Name: config.name, tier: "app" };
    const launchTemplate = new LaunchTemplate(this, "LaunchTemplate", {
      namePrefix: withSuffix(AWS_NAME_RULES.genericNamePrefix, config.name, "-"),
      description: `Instances of ${config.name}`,
      imageId: config.imageId,
      instanceType: config.instanceType,
      userData: config.userData !== undefined ? encodeUserData(config.userData) : undefined,
      iamInstanceProfile: { arn: profile.arn },
      // IMDSv2 only: a stolen GET (SSRF) cannot read the role's credentials.
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: config.metadataHopLimit,
        instanceMetadataTags: "disabled",
      },
      networkInterfaces: [
        {
          deviceIndex: 0,
          associatePublicIpAddress: "false",
          deleteOnTermination: "true",
          securityGroups: [this.securityGroup.id],
        },
      ],
      blockDeviceMappings: [
        {
          deviceName: config.rootDeviceName,
          ebs: {
            volumeType: "gp3",
            volumeSize: config.rootVolumeSizeGiB,
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ],
      // Provider default tags reach the launch template itself, not what it launches.
      tagSpecifications: [
        { resourceType: "instance", tags: instanceTags },
        { resourceType: "volume", tags: instanceTags },
        { resourceType: "network-interface", tags: instanceTags },
      ],
      // New versions become the default, so a console launch from the template matches the group.
      updateDefaultVersion: true,
      tags: { Name: config.name },
    });

    const group = new AutoscalingGroup(this, "AutoScalingGroup", {
      name: config.name,
      minSize: config.minCapacity,
      maxSize: config.maxCapacity,
      desiredCapacity: config.desiredCapacity,
      vpcZoneIdentifier: vpc.privateSubnetIds,
      targetGroupArns: [targetGroup.arn],
      // Instances install packages at boot: they must not launch before their subnet's NAT route.
      dependsOn: vpc.privateEgressRoutes,
      // ELB health: an instance whose app stops answering is replaced, not only a dead VM.
      healthCheckType: "ELB",
      healthCheckGracePeriod: config.healthCheckGracePeriodSeconds,
      defaultInstanceWarmup: INSTANCE_WARMUP_SECONDS,
      // The pinned version number, not "$Latest": only a changed version makes Terraform start
      // the instance refresh, so a user-data or image change really rolls the instances.
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      instanceRefresh: {
        strategy: "Rolling",
        preferences: {
          minHealthyPercentage: MIN_HEALTHY_PERCENTAGE,
          maxHealthyPercentage: MAX_HEALTHY_PERCENTAGE,
          instanceWarmup: String(INSTANCE_WARMUP_SECONDS),
          skipMatching: true,
        },
      },
      instanceMaintenancePolicy: {
        minHealthyPercentage: MIN_HEALTHY_PERCENTAGE,
        maxHealthyPercentage: MAX_HEALTHY_PERCENTAGE,
      },
      availabilityZoneDistribution: { capacityDistributionStrategy: CAPACITY_DISTRIBUTION_STRATEGY },
      // Replaces Spot instances at risk before they are reclaimed; no effect on On-Demand, and
      // keeps a later Spot mix safe.
      capacityRebalance: true,
      enabledMetrics: GROUP_METRICS,
      metricsGranularity: "1Minute",
      // The scaling policy owns the running count after creation; a later apply must not reset it.
      lifecycle: { ignoreChanges: ["desired_capacity"] },
    });

    new AutoscalingPolicy(this, "CpuTargetTracking", {
      name: `${config.name}-cpu-target`,
      autoscalingGroupName: group.name,
      policyType: "TargetTrackingScaling",
      targetTrackingConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        targetValue: config.targetCpuUtilization,
      },
    });

    this.albArn = alb.arn;
    this.albArnSuffix = alb.arnSuffix;
    this.albDnsName = alb.dnsName;
    this.albZoneId = alb.zoneId;
    this.url = `${config.certificateArn !== undefined ? "https" : "http"}://${alb.dnsName}`;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.autoScalingGroupName = group.name;
    this.autoScalingGroupArn = group.arn;
    this.launchTemplateId = launchTemplate.id;
  }

  /** One rule per resource, each described; nothing inline, so neighbours can add rules. */
  private createSecurityGroupRules(config: ResolvedAppTierConfig): void {
    const listenerPorts = config.certificateArn !== undefined ? [HTTP_PORT, HTTPS_PORT] : [HTTP_PORT];
    config.allowedCidrs.forEach((cidr, index) => {
      // Keyed by the block, so reordering allowedCidrs replaces no rule.
      const key = Token.isUnresolved(cidr) ? `Cidr${index}` : cidr.replace(/[./]/g, "_");
      for (const port of listenerPorts) {
        new VpcSecurityGroupIngressRule(this, `AlbIngress${port}_${key}`, {
          securityGroupId: this.albSecurityGroup.id,
          description: `${port === HTTPS_PORT ? "HTTPS" : "HTTP"} from ${cidr}`,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: cidr,
        });
      }
    });
    new VpcSecurityGroupEgressRule(this, "AlbEgressToApp", {
      securityGroupId: this.albSecurityGroup.id,
      description: `Traffic and health checks to the instances on ${config.appPort}`,
      ipProtocol: "tcp",
      fromPort: config.appPort,
      toPort: config.appPort,
      referencedSecurityGroupId: this.securityGroup.id,
    });
    new VpcSecurityGroupIngressRule(this, "AppIngressFromAlb", {
      securityGroupId: this.securityGroup.id,
      description: `The app port ${config.appPort} from the ALB only`,
      ipProtocol: "tcp",
      fromPort: config.appPort,
      toPort: config.appPort,
      referencedSecurityGroupId: this.albSecurityGroup.id,
    });
    // Packages, SSM Session Manager and Secrets Manager all speak HTTPS. DNS (VPC resolver),
    // instance metadata and time sync are link-local and not filtered by security groups.
    new VpcSecurityGroupEgressRule(this, "AppEgressHttps", {
      securityGroupId: this.securityGroup.id,
      description: "HTTPS out: packages, SSM, Secrets Manager",
      ipProtocol: "tcp",
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      cidrIpv4: ANY_IPV4,
    });
  }

  private createListeners(config: ResolvedAppTierConfig, alb: Lb, targetGroup: LbTargetGroup): void {
    const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
    if (config.certificateArn === undefined) {
      new LbListener(this, "HttpListener", {
        loadBalancerArn: alb.arn,
        port: HTTP_PORT,
        protocol: "HTTP",
        defaultAction: forward,
      });
      return;
    }
    new LbListener(this, "HttpsListener", {
      loadBalancerArn: alb.arn,
      port: HTTPS_PORT,
      protocol: "HTTPS",
      certificateArn: config.certificateArn,
      sslPolicy: config.sslPolicy,
      defaultAction: forward,
    });
    new LbListener(this, "HttpRedirectListener", {
      loadBalancerArn: alb.arn,
      port: HTTP_PORT,
      protocol: "HTTP",
      defaultAction: [
        {
          type: "redirect",
          redirect: { protocol: "HTTPS", port: String(HTTPS_PORT), statusCode: "HTTP_301" },
        },
      ],
    });
  }

  /** A role EC2 can assume with Session Manager access only; no SSH key exists anywhere. */
  private createInstanceRole(config: ResolvedAppTierConfig): IamRole {
    const role = serviceRole(this, "InstanceRole", {
      service: "ec2.amazonaws.com",
      namePrefix: withSuffix(AWS_NAME_RULES.iamNamePrefix, config.name, "-app-"),
      description: `Instances of ${config.name}`,
    });
    new IamRolePolicyAttachment(this, "SessionManagerAccess", {
      role: role.name,
      policyArn: `arn:${partitionOf(config.region)}:iam::aws:policy/${SSM_MANAGED_INSTANCE_POLICY}`,
    });
    return role;
  }

  /**
   * The log destination, creating the bucket when asked: SSE-S3 (ALB log delivery does not
   * support SSE-KMS), no public access, ACLs disabled, expiry, TLS-only, and a policy that lets
   * only the region's ELB log delivery write under the prefix.
   */
  private createAccessLogs(
    config: ResolvedAppTierConfig,
  ): { bucket: string; prefix: string; dependsOn: S3BucketPolicy[] } | undefined {
    const logs = config.accessLogs;
    if (logs.mode === "off") return undefined;
    if (logs.mode === "existing") return { bucket: logs.bucketName, prefix: logs.prefix, dependsOn: [] };

    const bucket = new S3Bucket(this, "AccessLogBucket", {
      bucketPrefix: withSuffix(AWS_NAME_RULES.bucketPrefix, config.name.toLowerCase(), "-alb-logs-"),
      // A development stack, or one built for teardown, must tear down cleanly; elsewhere logs
      // are evidence and a non-empty bucket stops a destroy.
      forceDestroy: HaStack.intentOf(this) === StackIntent.DEVELOPMENT || HaStack.teardownOf(this),
      tags: { Name: `${config.name}-alb-logs` },
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "AccessLogBucketPublicAccess", {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "AccessLogBucketOwnership", {
      bucket: bucket.id,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "AccessLogBucketEncryption", {
      bucket: bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    if (logs.versioned) {
      new S3BucketVersioningA(this, "AccessLogBucketVersioning", {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
      });
    }
    new S3BucketLifecycleConfiguration(this, "AccessLogBucketLifecycle", {
      bucket: bucket.id,
      rule: [
        {
          id: "expire-access-logs",
          status: "Enabled",
          filter: [{ prefix: "" }],
          expiration: [{ days: logs.expirationDays }],
          noncurrentVersionExpiration: logs.versioned ? [{ noncurrentDays: logs.expirationDays }] : undefined,
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS }],
        },
      ],
    });
    const policy = new DataAwsIamPolicyDocument(this, "AccessLogBucketPolicyDocument", {
      statement: [
        {
          sid: "AllowElbLogDelivery",
          actions: ["s3:PutObject"],
          principals: [logDeliveryPrincipal(config.region!)],
          resources: [`${bucket.arn}/${logs.prefix}/AWSLogs/*`],
        },
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          actions: ["s3:*"],
          principals: [{ type: "*", identifiers: ["*"] }],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    const bucketPolicy = new S3BucketPolicy(this, "AccessLogBucketPolicy", {
      bucket: bucket.id,
      policy: policy.json,
      // S3 refuses a policy change while the public access block is being written.
      dependsOn: [publicAccess],
    });
    return { bucket: bucket.bucket, prefix: logs.prefix, dependsOn: [bucketPolicy] };
  }
}


/** The enclosing HaStack's provider default tags, for what the launch template launches. */
function stackDefaultTags(scope: Construct): Record<string, string> {
  const defaultTags = HaStack.find(scope)?.provider.defaultTags;
  if (!Array.isArray(defaultTags)) return {};
  return Object.assign({}, ...defaultTags.map((block) => block.tags ?? {}));
}
