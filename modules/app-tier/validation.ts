import { IConstruct } from "constructs";
import { Token } from "cdktf";
import { cidrProblem } from "../../lib/cidr";
import { ValidationError, show } from "../../lib/errors";
import { Checks, checks } from "../../lib/checks";
import { partitionOf } from "../../lib/iam";
import { HaVpc } from "../ha-vpc";
import { HaStack, StackIntent } from "../../lib/ha-stack";
import { AWS_NAME_RULES, checkName, sanitizeName } from "../../lib/naming";
import {
  AppTierProps,
  DEFAULT_ACCESS_LOG_EXPIRATION_DAYS,
  DEFAULT_ALLOWED_CIDRS,
  DEFAULT_APP_PORT,
  DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS,
  DEFAULT_HEALTH_CHECK_PATH,
  DEFAULT_HEALTHY_THRESHOLD,
  DEFAULT_IMAGE_ARM64,
  DEFAULT_IMAGE_X86_64,
  DEFAULT_INSTANCE_TYPE,
  DEFAULT_MAX_CAPACITY_FACTOR,
  DEFAULT_METADATA_HOP_LIMIT,
  DEFAULT_MIN_CAPACITY_PER_AZ,
  DEFAULT_ROOT_DEVICE_NAME,
  DEFAULT_ROOT_VOLUME_GIB,
  DEFAULT_SSL_POLICY,
  DEFAULT_TARGET_CPU_PERCENT,
  DEFAULT_UNHEALTHY_THRESHOLD,
  InstanceRedundancy,
  MAX_HEALTH_THRESHOLD,
  MAX_USER_DATA_BYTES,
  MIN_HEALTH_THRESHOLD,
} from "./props";
import { literalUserDataBytes } from "./user-data";

/** Access-log settings after defaults: off, to an existing bucket, or to a bucket the module creates. */
export type ResolvedAccessLogs =
  | { readonly mode: "off" }
  | { readonly mode: "existing"; readonly bucketName: string; readonly prefix: string }
  | { readonly mode: "create"; readonly prefix: string; readonly expirationDays: number; readonly versioned: boolean };

/** AppTierProps with every default applied and every rule checked. */
export interface ResolvedAppTierConfig {
  readonly name: string;
  readonly region?: string;
  readonly azCount: number;
  readonly appPort: number;
  readonly healthCheckPath: string;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  readonly allowedCidrs: readonly string[];
  readonly certificateArn?: string;
  readonly sslPolicy: string;
  readonly deletionProtection: boolean;
  readonly accessLogs: ResolvedAccessLogs;
  readonly instanceType: string;
  readonly imageId: string;
  readonly userData?: string;
  readonly rootVolumeSizeGiB: number;
  readonly rootDeviceName: string;
  readonly metadataHopLimit: number;
  readonly minCapacity: number;
  readonly desiredCapacity: number;
  readonly maxCapacity: number;
  readonly redundancy: InstanceRedundancy;
  readonly targetCpuUtilization: number;
  readonly healthCheckGracePeriodSeconds: number;
}

/**
 * EC2 instance type: family (letters and digits with a generation digit somewhere, a hyphenated
 * variant allowed, e.g. `u-6tb1`, `m7i-flex`) and size (`nano` … `48xlarge`, `metal`, `metal-24xl`).
 */
const INSTANCE_TYPE_PATTERN = /^(?=[a-z0-9-]*\d)[a-z][a-z0-9]*(-[a-z0-9]+)?\.(nano|micro|small|medium|large|\d*xlarge|metal(-\d+xl)?)$/;
/**
 * Graviton families carry a `g` after the generation digit (t4g, m7g, c7gn, r8gd, im4gn), except the
 * first generation, `a1`.
 */
const GRAVITON_FAMILY = /^(a1|[a-z]+\d+[a-z]*g[a-z]*)$/;
/** An ACM certificate ARN in any partition. */
const ACM_ARN_PATTERN = /^arn:aws(-cn|-us-gov)?:acm:([a-z]{2}(-gov)?-[a-z]+-\d):\d{12}:certificate\/[0-9a-f-]{36}$/;
const ELB_SSL_POLICY_PATTERN = /^ELBSecurityPolicy-[A-Za-z0-9-]+$/;
const S3_KEY_PREFIX_PATTERN = /^[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/;
const S3_BUCKET_NAME_PATTERN = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const HEALTH_CHECK_PATH_MAX = 1024;
const ROOT_VOLUME_MIN_GIB = 8;
const ROOT_VOLUME_MAX_GIB = 16384;
const GRACE_PERIOD_MAX_SECONDS = 7200;
/** S3 lifecycle expiration needs at least one day. */
const MIN_EXPIRATION_DAYS = 1;

/** The CPU architecture of an instance type, to pick the matching default image. */
export function instanceArchitecture(instanceType: string): "arm64" | "x86_64" {
  return GRAVITON_FAMILY.test(instanceType.split(".")[0]) ? "arm64" : "x86_64";
}

/** Applies defaults and checks every rule before any resource exists; throws ValidationError. */
export function resolveAppTierConfig(props: AppTierProps, id: string, scope: IConstruct): ResolvedAppTierConfig {
  const fail = (message: string): never => {
    throw new ValidationError(`AppTier: ${message}`, scope);
  };
  /** A value known at synth (not a token); every value checked with it has a default or is checked for undefined first. */
  const known = (value: unknown): boolean => !Token.isUnresolved(value);
  const wholeInRange = (field: string, value: number, min: number, max: number, fix = "") => {
    if (!Number.isInteger(value) || value < min || value > max) {
      fail(`${field} (${show(value)}) must be a whole number from ${min} to ${max}${fix}`);
    }
  };

  const check = checks(fail);
  check.record(props, "props", "{ vpc: network }");
  const stack = HaStack.find(scope);
  const region = stack?.region;
  const intent = HaStack.intentOf(scope);
  if (!props.vpc) fail(`vpc (${show(props.vpc)}) is missing; pass the HaVpc the tier runs in`);
  const azCount = check.instanceOf(props.vpc, HaVpc, "vpc", "pass the HaVpc the tier runs in").azs.length;
  const givenDeletionProtection = check.optionalBoolean(props.deletionProtection, "deletionProtection");

  // --- Names ---
  if (props.name !== undefined) check.string(props.name, "name", 'pass the ALB name as text, e.g. "shop"');
  if (Token.isUnresolved(props.name)) {
    fail(`name (${show(props.name)}) is a token; other names are derived from it at synth, so pass a literal string`);
  }
  const name =
    props.name !== undefined
      ? checkName(AWS_NAME_RULES.loadBalancer, props.name, "AppTier", "name", scope)
      : sanitizeName(AWS_NAME_RULES.loadBalancer, stack ? `${stack.node.id}-${id}`.toLowerCase() : id.toLowerCase());

  // --- Load balancer and listeners ---
  const appPort = props.appPort ?? DEFAULT_APP_PORT;
  wholeInRange("appPort", appPort, 1, 65535);

  const healthCheckPath = check.string(props.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH, "healthCheckPath", 'pass a path like "/health"');
  if (known(healthCheckPath)) {
    if (!healthCheckPath.startsWith("/")) {
      fail(`healthCheckPath (${show(healthCheckPath)}) must start with "/"; use e.g. "/${healthCheckPath}"`);
    }
    if (healthCheckPath.length > HEALTH_CHECK_PATH_MAX) {
      fail(
        `healthCheckPath (${healthCheckPath.length} characters) is longer than the ${HEALTH_CHECK_PATH_MAX} AWS allows; ` +
          `shorten it to at most ${HEALTH_CHECK_PATH_MAX} characters`,
      );
    }
  }
  const healthyThreshold = props.healthyThreshold ?? DEFAULT_HEALTHY_THRESHOLD;
  wholeInRange("healthyThreshold", healthyThreshold, MIN_HEALTH_THRESHOLD, MAX_HEALTH_THRESHOLD, " (the AWS range)");
  const unhealthyThreshold = props.unhealthyThreshold ?? DEFAULT_UNHEALTHY_THRESHOLD;
  wholeInRange("unhealthyThreshold", unhealthyThreshold, MIN_HEALTH_THRESHOLD, MAX_HEALTH_THRESHOLD, " (the AWS range)");

  const allowedCidrs = check.optionalList<string>(props.allowedCidrs, "allowedCidrs", '["203.0.113.0/24"]') ?? DEFAULT_ALLOWED_CIDRS;
  if (allowedCidrs.length === 0) {
    fail(
      `allowedCidrs ([]) lets nobody reach the internet-facing ALB; list the client blocks, ` +
        `e.g. ["203.0.113.0/24"], or leave it unset for anyone (["0.0.0.0/0"])`,
    );
  }
  allowedCidrs.forEach((cidr, i) => {
    // An undefined entry (e.g. an unset environment variable) is refused here, not left to crash later.
    const problem = known(cidr) ? cidrProblem(cidr) : undefined;
    if (problem) fail(`allowedCidrs[${i}] (${show(cidr)}) ${problem}; pass IPv4 blocks like "203.0.113.0/24" or "0.0.0.0/0"`);
  });
  // The same token twice is the same block twice too.
  const duplicate = allowedCidrs.find((cidr, i) => allowedCidrs.indexOf(cidr) !== i);
  if (duplicate) fail(`allowedCidrs (${show(allowedCidrs)}) lists ${show(duplicate)} twice; list each block once`);

  const certificateArn = props.certificateArn;
  if (certificateArn !== undefined && known(certificateArn)) {
    const match = ACM_ARN_PATTERN.exec(certificateArn);
    if (!match) {
      fail(
        `certificateArn (${show(certificateArn)}) is not an ACM certificate ARN; pass one like ` +
          `"arn:aws:acm:${region ?? "us-east-1"}:123456789012:certificate/<uuid>" (IAM server certificates are not supported)`,
      );
    }
    const partition = `aws${match![1] ?? ""}`;
    if (region && partition !== partitionOf(region)) {
      fail(
        `certificateArn (${show(certificateArn)}) is in partition ${partition} but the ALB's region ${region} is in ` +
          `${partitionOf(region)}; use a certificate ARN of the form "arn:${partitionOf(region)}:acm:${region}:…"`,
      );
    }
    if (region && match![2] !== region) {
      fail(
        `certificateArn (${show(certificateArn)}) is in ${match![2]} but the ALB is in ${region}; ` +
          `an ALB can only use an ACM certificate of its own region, so request or import one in ${region}`,
      );
    }
  }
  const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;
  if (props.sslPolicy !== undefined && certificateArn === undefined) {
    fail(`sslPolicy (${show(props.sslPolicy)}) only applies to the HTTPS listener; set certificateArn too, or drop sslPolicy`);
  }
  if (known(sslPolicy) && !ELB_SSL_POLICY_PATTERN.test(sslPolicy)) {
    fail(`sslPolicy (${show(sslPolicy)}) is not an ELB security policy name; use e.g. ${show(DEFAULT_SSL_POLICY)}`);
  }

  // A stack built for teardown (HaStack teardown: true) drops the protection whatever was asked.
  const deletionProtection = !HaStack.teardownOf(scope) && (givenDeletionProtection ?? intent === StackIntent.PRODUCTION);
  const accessLogs = resolveAccessLogs(props, name, intent, region, fail, check);

  // --- Instances ---
  const instanceType = props.instanceType ?? DEFAULT_INSTANCE_TYPE;
  if (known(instanceType) && !INSTANCE_TYPE_PATTERN.test(instanceType)) {
    fail(`instanceType (${show(instanceType)}) is not an EC2 instance type; use family.size, e.g. "t3.micro" or "m7g.large"`);
  }
  const imageId =
    props.imageId ??
    (known(instanceType) && instanceArchitecture(instanceType) === "arm64" ? DEFAULT_IMAGE_ARM64 : DEFAULT_IMAGE_X86_64);
  if (known(imageId) && !/^(ami-[0-9a-f]{8,17}|resolve:ssm:\S+)$/.test(imageId)) {
    fail(`imageId (${show(imageId)}) is neither an AMI id ("ami-0123456789abcdef0") nor "resolve:ssm:<parameter>"`);
  }
  const userData = props.userData === "" ? undefined : props.userData;
  if (userData !== undefined) {
    check.string(userData, "userData", "pass the script as text (gzip it if it is large)");
    const bytes = literalUserDataBytes(userData);
    if (bytes > MAX_USER_DATA_BYTES) {
      fail(
        `userData (${bytes} bytes${Token.isUnresolved(userData) ? " before its tokens are filled in" : ""}) exceeds ` +
          `EC2's ${MAX_USER_DATA_BYTES}-byte limit; gzip it (cloud-init reads gzip) or fetch the bulk from S3 at boot`,
      );
    }
  }
  const rootVolumeSizeGiB = props.rootVolumeSizeGiB ?? DEFAULT_ROOT_VOLUME_GIB;
  wholeInRange("rootVolumeSizeGiB", rootVolumeSizeGiB, ROOT_VOLUME_MIN_GIB, ROOT_VOLUME_MAX_GIB);
  const rootDeviceName = props.rootDeviceName ?? DEFAULT_ROOT_DEVICE_NAME;
  if (known(rootDeviceName) && !/^\/dev\/[a-z0-9]+$/.test(rootDeviceName)) {
    fail(`rootDeviceName (${show(rootDeviceName)}) is not a device name; use the image's root device, e.g. "/dev/xvda"`);
  }
  const metadataHopLimit = props.metadataHopLimit ?? DEFAULT_METADATA_HOP_LIMIT;
  wholeInRange("metadataHopLimit", metadataHopLimit, 1, 2, "; 1 for processes on the instance, 2 for containers with bridge networking");

  // --- Capacity ---
  const redundancy = check.oneOf(props.redundancy ?? InstanceRedundancy.PER_AZ, InstanceRedundancy, "redundancy", "InstanceRedundancy");
  const defaultMinCapacity = DEFAULT_MIN_CAPACITY_PER_AZ * azCount;
  const minCapacity = props.minCapacity ?? defaultMinCapacity;
  if (!Number.isInteger(minCapacity) || minCapacity < 0) {
    fail(`minCapacity (${show(minCapacity)}) must be a whole number >= 0; e.g. ${defaultMinCapacity} (one instance per AZ, the default)`);
  }
  const maxCapacity = props.maxCapacity ?? Math.max(DEFAULT_MAX_CAPACITY_FACTOR * minCapacity, 1);
  if (!Number.isInteger(maxCapacity) || maxCapacity < 1) {
    fail(
      `maxCapacity (${show(maxCapacity)}) must be a whole number >= 1; ` +
        `e.g. ${Math.max(DEFAULT_MAX_CAPACITY_FACTOR * minCapacity, 1)} (the default for minCapacity ${minCapacity})`,
    );
  }
  if (minCapacity > maxCapacity) {
    fail(`minCapacity (${minCapacity}) is greater than maxCapacity (${maxCapacity}); raise maxCapacity to at least ${minCapacity} or lower minCapacity`);
  }
  const desiredCapacity = props.desiredCapacity ?? minCapacity;
  if (!Number.isInteger(desiredCapacity) || desiredCapacity < minCapacity || desiredCapacity > maxCapacity) {
    fail(
      `desiredCapacity (${show(desiredCapacity)}) must be a whole number from minCapacity (${minCapacity}) to ` +
        `maxCapacity (${maxCapacity}); pick one in that range or leave it unset for minCapacity`,
    );
  }
  if (minCapacity < azCount && redundancy !== InstanceRedundancy.REDUCED) {
    fail(
      `minCapacity (${minCapacity}) must be >= the number of AZs (${azCount}) for HA: with fewer, losing an AZ can ` +
        `leave no running instance. Set minCapacity: ${azCount}, or set redundancy: InstanceRedundancy.REDUCED to accept that`,
    );
  }
  if (minCapacity >= azCount && redundancy === InstanceRedundancy.REDUCED) {
    fail(
      `redundancy (REDUCED) conflicts with minCapacity (${minCapacity}), which already covers all ${azCount} AZs; ` +
        `drop redundancy (PER_AZ is the default)`,
    );
  }
  const targetCpuUtilization = props.targetCpuUtilization ?? DEFAULT_TARGET_CPU_PERCENT;
  if (typeof targetCpuUtilization !== "number" || !(targetCpuUtilization > 0 && targetCpuUtilization <= 100)) {
    fail(`targetCpuUtilization (${show(targetCpuUtilization)}) must be a percentage above 0 and at most 100; e.g. ${DEFAULT_TARGET_CPU_PERCENT}`);
  }
  const healthCheckGracePeriodSeconds = props.healthCheckGracePeriodSeconds ?? DEFAULT_HEALTH_CHECK_GRACE_PERIOD_SECONDS;
  wholeInRange("healthCheckGracePeriodSeconds", healthCheckGracePeriodSeconds, 0, GRACE_PERIOD_MAX_SECONDS);

  return {
    name,
    region,
    azCount,
    appPort,
    healthCheckPath,
    healthyThreshold,
    unhealthyThreshold,
    allowedCidrs,
    certificateArn,
    sslPolicy,
    deletionProtection,
    accessLogs,
    instanceType,
    imageId,
    userData,
    rootVolumeSizeGiB,
    rootDeviceName,
    metadataHopLimit,
    minCapacity,
    desiredCapacity,
    maxCapacity,
    redundancy,
    targetCpuUtilization,
    healthCheckGracePeriodSeconds,
  };
}

function resolveAccessLogs(
  props: AppTierProps,
  name: string,
  intent: StackIntent,
  region: string | undefined,
  fail: (message: string) => never,
  check: Checks,
): ResolvedAccessLogs {
  const given = check.optionalRecord<NonNullable<AppTierProps["accessLogs"]>>(props.accessLogs, "accessLogs", "{ enabled: true }");
  const options = given ?? { enabled: intent === StackIntent.PRODUCTION };
  if (given) {
    // Without `enabled` (JavaScript callers; TypeScript requires it) the logs would be off, silently, even in production.
    if (given.enabled === undefined) {
      fail(`accessLogs.enabled (undefined) is required; pass true or false, or leave accessLogs out for the stack intent's default`);
    }
    check.optionalBoolean(given.enabled, "accessLogs.enabled");
    check.optionalBoolean(given.versioned, "accessLogs.versioned");
  }
  if (!options.enabled) {
    const extra = given && (["bucketName", "prefix", "expirationDays", "versioned"] as const).find((k) => given[k] !== undefined);
    if (extra) fail(`accessLogs.${extra} (${show(given![extra])}) has no effect with accessLogs.enabled false; drop it or enable logs`);
    return { mode: "off" };
  }
  const prefix = check.string(options.prefix ?? name, "accessLogs.prefix", 'pass a key prefix as text, e.g. "shop/alb"');
  if (!Token.isUnresolved(prefix) && (!S3_KEY_PREFIX_PATTERN.test(prefix) || prefix.includes("AWSLogs"))) {
    fail(
      `accessLogs.prefix (${show(prefix)}) is not a usable log prefix; use letters, digits and !_.*'()- in ` +
        `slash-separated parts, no leading or trailing slash, and not "AWSLogs" (ELB adds it)`,
    );
  }
  if (options.bucketName !== undefined) {
    for (const key of ["expirationDays", "versioned"] as const) {
      if (options[key] !== undefined) {
        fail(
          `accessLogs.${key} (${show(options[key])}) applies only to the bucket the module creates, but accessLogs.bucketName ` +
            `(${show(options.bucketName)}) names your own; configure that bucket directly, or drop bucketName`,
        );
      }
    }
    check.string(options.bucketName, "accessLogs.bucketName", 'pass the name of your log bucket, e.g. "corp-logs"');
    if (!Token.isUnresolved(options.bucketName) && !S3_BUCKET_NAME_PATTERN.test(options.bucketName)) {
      fail(`accessLogs.bucketName (${show(options.bucketName)}) is not an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)`);
    }
    return { mode: "existing", bucketName: options.bucketName, prefix };
  }
  if (!region) {
    fail(
      `accessLogs needs the region to grant ELB log delivery on the module's bucket, and the AppTier is not in an ` +
        `HaStack; create it inside an HaStack, or pass accessLogs.bucketName of a bucket you prepared`,
    );
  }
  const expirationDays = options.expirationDays ?? DEFAULT_ACCESS_LOG_EXPIRATION_DAYS;
  if (!Number.isInteger(expirationDays) || expirationDays < MIN_EXPIRATION_DAYS) {
    fail(`accessLogs.expirationDays (${show(expirationDays)}) must be a whole number of days >= ${MIN_EXPIRATION_DAYS}; e.g. ${DEFAULT_ACCESS_LOG_EXPIRATION_DAYS}`);
  }
  // Production logs are evidence: versioning keeps a deleted or overwritten object recoverable
  // until the lifecycle expires its noncurrent version (CKV_AWS_21).
  return { mode: "create", prefix, expirationDays, versioned: options.versioned ?? intent === StackIntent.PRODUCTION };
}
