import { HaVpc } from "../ha-vpc";

/**
 * How many instances the tier keeps relative to its AZs. A choice that trades HA for cost, so it
 * is a named mode; the validation refuses fewer instances than AZs unless REDUCED is chosen.
 */
export enum InstanceRedundancy {
  /**
   * `minCapacity` >= the number of AZs, spread one or more per AZ: losing an instance or a whole
   * AZ leaves running, registered instances in the others while the ASG replaces the lost ones.
   */
  PER_AZ = "PER_AZ",
  /**
   * Fewer instances than AZs (e.g. one, to save cost in dev). Losing the AZ or the instance that
   * runs the app takes it down until the ASG has launched and warmed a replacement (minutes). Not HA.
   */
  REDUCED = "REDUCED",
}

/** Where the ALB writes its access logs. */
export interface AccessLogsOptions {
  /** Write access logs. */
  readonly enabled: boolean;
  /**
   * An existing bucket to write to. It must grant ALB log delivery `s3:PutObject` and use SSE-S3
   * (ALB logs do not support SSE-KMS). Specify this or let the module create a bucket, not both
   * with `expirationDays` / `versioned`, which only apply to the module's bucket.
   * @default - the module creates an encrypted, private bucket with a lifecycle rule
   */
  readonly bucketName?: string;
  /**
   * Key prefix of the log objects (no leading or trailing slash).
   * @default - the tier's name
   */
  readonly prefix?: string;
  /**
   * Days after which log objects expire in the module's bucket.
   * @default DEFAULT_ACCESS_LOG_EXPIRATION_DAYS (90)
   */
  readonly expirationDays?: number;
  /**
   * Keep object versions in the module's bucket (noncurrent versions expire after `expirationDays`).
   * Log objects are written once, so versioning only guards against deletion.
   * @default - true with StackIntent.PRODUCTION (the logs are evidence), false with StackIntent.DEVELOPMENT
   */
  readonly versioned?: boolean;
}

/** Default port the app listens on (Apache in the lab's inventory app). */
export const DEFAULT_APP_PORT = 80;
/** Default health-check path; the app answers 200 there when it can serve. */
export const DEFAULT_HEALTH_CHECK_PATH = "/health";
/** The lab's thresholds: two good checks to enter service, two bad to leave it. */
export const DEFAULT_HEALTHY_THRESHOLD = 2;
export const DEFAULT_UNHEALTHY_THRESHOLD = 2;
/** Thresholds AWS accepts for ALB target groups. */
export const MIN_HEALTH_THRESHOLD = 2;
export const MAX_HEALTH_THRESHOLD = 10;
/** Anyone on the internet may reach the ALB. */
export const DEFAULT_ALLOWED_CIDRS: readonly string[] = ["0.0.0.0/0"];
/** TLS 1.3 with TLS 1.2 fallback and only forward-secret AEAD ciphers (AWS's recommended policy). */
export const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** The lab's instance size. */
export const DEFAULT_INSTANCE_TYPE = "t3.micro";
/** Latest Amazon Linux 2023, resolved by EC2 at each launch (no AWS call at synth or plan). */
export const DEFAULT_IMAGE_X86_64 = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
/** The same for Graviton instance types (t4g, m7g, …), chosen automatically by the instance type. */
export const DEFAULT_IMAGE_ARM64 = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
/** Root volume size; the AL2023 image needs 8 GiB, the rest is room for packages and logs. */
export const DEFAULT_ROOT_VOLUME_GIB = 20;
/** AL2023's root device. */
export const DEFAULT_ROOT_DEVICE_NAME = "/dev/xvda";
/** IMDSv2 response hop limit: 1 keeps instance credentials away from anything one hop further (containers, forwarded traffic). */
export const DEFAULT_METADATA_HOP_LIMIT = 1;
/** The lab's capacity: one instance per AZ of the default two, room to double under load. */
export const DEFAULT_MIN_CAPACITY_PER_AZ = 1;
export const DEFAULT_MAX_CAPACITY_FACTOR = 2;
/** Average CPU the scaling policy keeps the group at. */
export const DEFAULT_TARGET_CPU_PERCENT = 50;
/**
 * Seconds after launch before failed ELB health checks count: boot plus user data (package
 * installs) on AL2023 take one to two minutes; a shorter grace kills instances that would come up.
 */
export const DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS = 180;
/** Days ALB logs are kept in the module's bucket. */
export const DEFAULT_ACCESS_LOG_EXPIRATION_DAYS = 90;
/** Largest user data EC2 accepts, in bytes before base64 encoding. */
export const MAX_USER_DATA_BYTES = 16 * 1024;

/** Properties of {@link AppTier}. */
export interface AppTierProps {
  /** The network: the ALB goes into its public subnets, the instances into its private subnets, in every AZ. */
  readonly vpc: HaVpc;
  /**
   * Name of the ALB and the Auto Scaling group, and the stem of the other names (target group,
   * security groups, role, log bucket). The ALB must be unique per account and region.
   * Letters, digits and hyphens, 1 to 32 characters, not starting with `internal-`.
   * @default - `<stack id>-<construct id>`, lower-cased and shortened to fit
   */
  readonly name?: string;
  /**
   * Port the app listens on; the ALB forwards and health-checks there.
   * @default DEFAULT_APP_PORT (80)
   */
  readonly appPort?: number;
  /**
   * Path the target group health check requests; must start with `/`.
   * @default DEFAULT_HEALTH_CHECK_PATH ("/health")
   */
  readonly healthCheckPath?: string;
  /**
   * Consecutive successful checks before a target receives traffic (2–10).
   * @default DEFAULT_HEALTHY_THRESHOLD (2)
   */
  readonly healthyThreshold?: number;
  /**
   * Consecutive failed checks before a target stops receiving traffic (2–10); the ASG then replaces it.
   * @default DEFAULT_UNHEALTHY_THRESHOLD (2)
   */
  readonly unhealthyThreshold?: number;
  /**
   * IPv4 CIDR blocks allowed to reach the ALB on HTTP (and HTTPS when a certificate is given).
   * @default DEFAULT_ALLOWED_CIDRS (["0.0.0.0/0"]: anyone)
   */
  readonly allowedCidrs?: string[];
  /**
   * ACM certificate ARN, in the stack's region. With it the ALB serves HTTPS on 443 and
   * redirects HTTP to HTTPS; without it the ALB serves plain HTTP on 80.
   * @default - no certificate: HTTP only
   */
  readonly certificateArn?: string;
  /**
   * TLS policy of the HTTPS listener (only with `certificateArn`).
   * @default DEFAULT_SSL_POLICY ("ELBSecurityPolicy-TLS13-1-2-2021-06")
   */
  readonly sslPolicy?: string;
  /**
   * Refuse to delete the ALB (Terraform must turn this off before a destroy).
   * @default - true with StackIntent.PRODUCTION, false with StackIntent.DEVELOPMENT
   */
  readonly deletionProtection?: boolean;
  /**
   * ALB access logs.
   * @default - PRODUCTION: on, to a bucket the module creates (SSE-S3, private, 90-day expiry);
   *   DEVELOPMENT: off
   */
  readonly accessLogs?: AccessLogsOptions;
  /**
   * EC2 instance type, e.g. `t3.micro` or `m7g.large`.
   * @default DEFAULT_INSTANCE_TYPE ("t3.micro")
   */
  readonly instanceType?: string;
  /**
   * AMI id, or `resolve:ssm:<public parameter>`. Changing it rolls the instances.
   * @default - latest Amazon Linux 2023 for the instance type's architecture (DEFAULT_IMAGE_X86_64 or DEFAULT_IMAGE_ARM64)
   */
  readonly imageId?: string;
  /**
   * Raw user data (cloud-init YAML or a shell script), at most 16 KB. The module base64-encodes
   * it; tokens (database endpoint, secret ARN) are allowed. Changing it rolls the instances.
   * @default - none: the image boots as is, and nothing answers the health check
   */
  readonly userData?: string;
  /**
   * Size of the encrypted gp3 root volume in GiB (8–16384).
   * @default DEFAULT_ROOT_VOLUME_GIB (20)
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * The image's root device; the module's encrypted gp3 mapping must hit it.
   * @default DEFAULT_ROOT_DEVICE_NAME ("/dev/xvda", Amazon Linux)
   */
  readonly rootDeviceName?: string;
  /**
   * IMDSv2 response hop limit, 1 or 2. Keep 1 unless the app runs in containers (bridge
   * networking adds a hop) that need the instance role.
   * @default DEFAULT_METADATA_HOP_LIMIT (1)
   */
  readonly metadataHopLimit?: number;
  /**
   * Fewest instances. Must be >= the number of AZs unless `redundancy` is REDUCED.
   * @default - one per AZ (DEFAULT_MIN_CAPACITY_PER_AZ × AZ count; 2 with two AZs)
   */
  readonly minCapacity?: number;
  /**
   * Instances at creation, between min and max. Afterwards the scaling policy owns it, so
   * Terraform does not reset it on later applies.
   * @default - minCapacity
   */
  readonly desiredCapacity?: number;
  /**
   * Most instances the scaling policy may run.
   * @default - DEFAULT_MAX_CAPACITY_FACTOR × minCapacity (4 with two AZs); at least 1
   */
  readonly maxCapacity?: number;
  /**
   * Whether fewer instances than AZs are acceptable.
   * @default InstanceRedundancy.PER_AZ
   */
  readonly redundancy?: InstanceRedundancy;
  /**
   * Average CPU utilization (percent, 1–100) the target-tracking policy holds.
   * @default DEFAULT_TARGET_CPU_PERCENT (50)
   */
  readonly targetCpuUtilization?: number;
  /**
   * Seconds after launch before ELB health-check failures count (0–7200).
   * @default DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS (180)
   */
  readonly healthCheckGracePeriodSeconds?: number;
}
