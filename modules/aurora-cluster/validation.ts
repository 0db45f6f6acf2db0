import { IConstruct } from "constructs";
import { Token } from "cdktf";
import { ValidationError, show } from "../../lib/errors";
import { StackIntent } from "../../lib/ha-stack";
import { checks } from "../../lib/checks";
import { HaVpc, VALID_LOG_RETENTION_DAYS } from "../ha-vpc";
import { INSTANCE_CLASS_PATTERN, planInstancePlacements, supportsPerformanceInsights } from "./placement";
import {
  AURORA_MYSQL_LOG_TYPES,
  AuroraClusterProps,
  AuroraMysqlLogType,
  DEFAULT_AUTO_MINOR_VERSION_UPGRADE,
  DEFAULT_BACKUP_RETENTION_DAYS,
  DEFAULT_BACKUP_WINDOW,
  DEFAULT_DATABASE_NAME,
  DEFAULT_ENGINE_VERSION,
  DEFAULT_INSTANCE_CLASS,
  DEFAULT_LOG_EXPORTS,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_MAINTENANCE_WINDOW,
  DEFAULT_MASTER_USERNAME,
  DEFAULT_MONITORING_INTERVAL_SECONDS,
  DEFAULT_MULTI_AZ_INSTANCES,
  DEFAULT_PORT,
  DatabaseAvailability,
  InstancePlacement,
  MAX_BACKUP_RETENTION_DAYS,
  MAX_INSTANCES,
  MIN_BACKUP_RETENTION_DAYS,
  MIN_REASON_LENGTH,
  VALID_MONITORING_INTERVALS,
} from "./props";
import { MYSQL_80_RESERVED_WORDS, reservedUsernameProblem } from "./reserved-names";

/** AuroraClusterProps with every default applied and every rule checked. */
export interface ResolvedAuroraClusterConfig {
  readonly identifier: string;
  readonly availability: DatabaseAvailability;
  readonly instanceClass: string;
  readonly engineVersion: string;
  /** Cluster parameter group family of the engine version, e.g. `aurora-mysql8.0`. */
  readonly parameterGroupFamily: string;
  readonly databaseName: string;
  readonly masterUsername: string;
  readonly port: number;
  readonly backupRetentionDays: number;
  readonly preferredBackupWindow: string;
  readonly preferredMaintenanceWindow: string;
  readonly logExports: readonly AuroraMysqlLogType[];
  readonly logRetentionDays: number;
  readonly performanceInsights: boolean;
  readonly monitoringIntervalSeconds: number;
  readonly autoMinorVersionUpgrade: boolean;
  readonly deletionProtection: boolean;
  readonly finalSnapshot: boolean;
  readonly finalSnapshotIdentifier: string;
  readonly masterUserSecretKmsKeyArn?: string;
  readonly placements: readonly InstancePlacement[];
}

/** Where the cluster is being built: what defaults and messages depend on. */
export interface AuroraValidationContext {
  /** Identifier used when props.identifier is absent (already derived from stack and construct ids). */
  readonly defaultIdentifier: string;
  readonly intent: StackIntent;
  readonly scope: IConstruct;
}

/** AWS: 1–63 letters, digits, hyphens; first a letter; no trailing hyphen, no "--". Terraform requires lowercase. */
const CLUSTER_IDENTIFIER_PATTERN = /^[a-z](?:[a-z0-9]|-(?!-|$))*$/;
const MAX_CLUSTER_IDENTIFIER = 63;
/** Leaves room for the instance suffix `-16`, since instance identifiers follow the same 63-character rule. */
const MAX_IDENTIFIER_WITH_INSTANCE_SUFFIX = MAX_CLUSTER_IDENTIFIER - `-${MAX_INSTANCES}`.length;
/** Snapshot identifiers: the same character rules, up to 255 characters. */
const SNAPSHOT_IDENTIFIER_PATTERN = /^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-|$))*$/;
const MAX_SNAPSHOT_IDENTIFIER = 255;

/** Aurora MySQL 3 (MySQL 8.0 compatible): `8.0.mysql_aurora.3.<two-digit minor>.<patch>`. */
const ENGINE_VERSION_PATTERN = /^8\.0\.mysql_aurora\.3\.\d{2}\.\d+$/;
const AURORA_MYSQL_3_FAMILY = "aurora-mysql8.0";

/**
 * CreateDBCluster MasterUsername: "1 to 16 letters or numbers; first character must be a letter"
 * (Amazon RDS API Reference). Stricter than RDS for MySQL instances, which also allow underscores.
 */
const MASTER_USERNAME_PATTERN = /^[A-Za-z][A-Za-z0-9]{0,15}$/;
/** MySQL database name as RDS accepts it: a letter, then letters, digits or underscores, 64 at most. */
const DATABASE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** RDS: "Valid values: 1150-65535" for Aurora ports. */
const MIN_PORT = 1150;
const MAX_PORT = 65535;

const BACKUP_WINDOW_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const MAINTENANCE_WINDOW_PATTERN =
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)$/;
/** RDS rejects backup and maintenance windows shorter than 30 minutes. */
const MIN_WINDOW_MINUTES = 30;
const MINUTES_PER_DAY = 24 * 60;
const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

const KMS_KEY_ARN_PATTERN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;

/** Keys that can only mean a password; the props have none, so one arriving through an untyped object is a literal password. */
const PASSWORD_KEY_PATTERN = /pass(word|wd|phrase)|^pass$|pwd/i;
/** Free text carrying a credential: `password=…`, `pwd: …`, or `scheme://user:secret@host`. */
const PASSWORD_TEXT_PATTERN = /\b(password|passwd|pwd)\s*[:=]\s*\S|:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Draft config plus the raw props, what the cross-prop rules look at. */
interface Draft extends Omit<ResolvedAuroraClusterConfig, "placements"> {
  readonly instanceCount: number;
  /** True when instanceAzs is given, so the count is its length: messages then name instanceAzs and a fix to it. */
  readonly countFromAzs: boolean;
  readonly intent: StackIntent;
  readonly props: AuroraClusterProps;
}

/** A cross-prop rule: `condition` true means the combination is invalid. */
interface CrossPropRule {
  readonly condition: (d: Draft) => boolean;
  readonly message: (d: Draft) => string;
}

/**
 * Checks between props, as a table (the aws-cdk RDS pattern): each row is independent and reads
 * as the rule it enforces.
 */
const CROSS_PROP_RULES: readonly CrossPropRule[] = [
  {
    condition: (d) => d.availability === DatabaseAvailability.MULTI_AZ && d.instanceCount < 2,
    message: (d) =>
      (d.countFromAzs
        ? `instanceAzs (${show(d.props.instanceAzs)}) places ${d.instanceCount} instance with availability MULTI_AZ, which leaves no reader to promote when the writer's AZ fails; ` +
          `add the AZ of a reader to instanceAzs`
        : `instances (${d.instanceCount}) with availability MULTI_AZ leaves no reader to promote when the writer's AZ fails; ` +
          `set instances: ${DEFAULT_MULTI_AZ_INSTANCES}`) +
      `, or set availability: DatabaseAvailability.SINGLE_INSTANCE to accept no failover replica`,
  },
  {
    condition: (d) => d.availability === DatabaseAvailability.SINGLE_INSTANCE && d.instanceCount !== 1,
    message: (d) =>
      d.countFromAzs
        ? `instanceAzs (${show(d.props.instanceAzs)}) places ${d.instanceCount} instances, which conflicts with availability SINGLE_INSTANCE; ` +
          `use availability: DatabaseAvailability.MULTI_AZ for readers, or list one AZ`
        : `instances (${d.instanceCount}) conflicts with availability SINGLE_INSTANCE; ` +
          `use availability: DatabaseAvailability.MULTI_AZ for readers, or drop instances`,
  },
  {
    condition: (d) => d.props.performanceInsights === true && !supportsPerformanceInsights(d.instanceClass),
    message: (d) =>
      `performanceInsights (true) is not supported on instanceClass ${show(d.instanceClass)} ` +
      `(no Performance Insights on db.t2, db.t3, db.t4g.micro, db.t4g.small); use a class such as db.t4g.medium or db.r6g.large, ` +
      `or leave performanceInsights unset`,
  },
  {
    condition: (d) =>
      d.intent === StackIntent.PRODUCTION &&
      !d.deletionProtection &&
      (d.props.deletionProtectionOffReason ?? "").trim().length < MIN_REASON_LENGTH,
    message: (d) =>
      `deletionProtection (false) in a production stack (StackIntent.PRODUCTION) needs a stated reason; ` +
      `set deletionProtectionOffReason to why (${MIN_REASON_LENGTH}+ characters, got ${show(d.props.deletionProtectionOffReason)}), ` +
      `or keep deletionProtection: true`,
  },
  {
    condition: (d) => d.props.deletionProtectionOffReason !== undefined && d.deletionProtection,
    message: (d) =>
      `deletionProtectionOffReason (${show(d.props.deletionProtectionOffReason)}) is set but deletion protection is on; ` +
      `set deletionProtection: false with it, or remove the reason`,
  },
  {
    condition: (d) => d.props.finalSnapshotIdentifier !== undefined && !d.finalSnapshot,
    message: (d) =>
      `finalSnapshotIdentifier (${show(d.props.finalSnapshotIdentifier)}) is set but finalSnapshot is false; ` +
      `set finalSnapshot: true or remove finalSnapshotIdentifier`,
  },
  {
    condition: (d) => windowsOverlap(d.preferredBackupWindow, d.preferredMaintenanceWindow),
    message: (d) =>
      `preferredBackupWindow (${show(d.preferredBackupWindow)}) overlaps preferredMaintenanceWindow ` +
      `(${show(d.preferredMaintenanceWindow)}), which RDS rejects; move one of them (UTC)`,
  },
];

/** Applies defaults and checks every rule before any resource exists; throws ValidationError. */
export function resolveAuroraClusterConfig(
  props: AuroraClusterProps,
  ctx: AuroraValidationContext,
): ResolvedAuroraClusterConfig {
  const fail = (message: string): never => {
    throw new ValidationError(`AuroraCluster: ${message}`, ctx.scope);
  };

  const check = checks(fail);
  check.record(props, "props", "{ vpc: network }");
  /** An optional string prop: a JavaScript caller's list, number or boolean fails here, naming it, instead of passing a pattern or crashing later. */
  const text = (value: unknown, field: string, fix: string): string | undefined =>
    value === undefined ? undefined : check.string(value, field, fix);

  // --- No literal password, anywhere ---
  const leak = findPasswordLike(props as unknown as Record<string, unknown>);
  if (leak) {
    fail(
      `${leak.path} (<redacted, ${leak.length} characters>) ${leak.why}; never pass a password: ` +
        `Secrets Manager generates and rotates the master password (manage_master_user_password). ` +
        `Remove ${leak.path} and have clients read the secret at runtime through secretArn (see allowFrom)`,
    );
  }

  const booleans = {
    performanceInsights: check.optionalBoolean(props.performanceInsights, "performanceInsights"),
    autoMinorVersionUpgrade: check.optionalBoolean(props.autoMinorVersionUpgrade, "autoMinorVersionUpgrade"),
    deletionProtection: check.optionalBoolean(props.deletionProtection, "deletionProtection"),
    finalSnapshot: check.optionalBoolean(props.finalSnapshot, "finalSnapshot"),
  };

  // --- Network ---
  const vpc = check.instanceOf(props.vpc, HaVpc, "vpc", "pass the HaVpc built in the same stack (new HaVpc(stack, \"Network\", { azs }))");
  const azs = vpc.azs;
  if (azs.length < 2) {
    fail(
      `vpc spans ${azs.length} AZ (${show(azs)}); a DB subnet group needs isolated subnets in at least 2 AZs. ` +
        `Pass an HaVpc with 2 or more AZs`,
    );
  }

  // --- Identifiers ---
  const identifier = text(props.identifier, "identifier", 'pass one like "lab-database"') ?? ctx.defaultIdentifier;
  const identifierField = props.identifier === undefined ? "identifier (derived from the stack and construct ids)" : "identifier";
  if (!CLUSTER_IDENTIFIER_PATTERN.test(identifier) || identifier.length > MAX_CLUSTER_IDENTIFIER) {
    fail(
      `${identifierField} (${show(identifier)}) is not a valid cluster identifier: use 1–${MAX_CLUSTER_IDENTIFIER} ` +
        `lowercase letters, digits and hyphens, starting with a letter, with no trailing hyphen and no two hyphens in a row ` +
        `(e.g. "lab-database")`,
    );
  }
  if (identifier.length > MAX_IDENTIFIER_WITH_INSTANCE_SUFFIX) {
    fail(
      `${identifierField} (${show(identifier)}) has ${identifier.length} characters; at most ${MAX_IDENTIFIER_WITH_INSTANCE_SUFFIX} ` +
        `leave room for the instance identifiers "<identifier>-1" … "-${MAX_INSTANCES}" (63 characters max); pass a shorter identifier`,
    );
  }

  // --- Availability and instances ---
  const availability = check.oneOf(props.availability ?? DatabaseAvailability.MULTI_AZ, DatabaseAvailability, "availability", "DatabaseAvailability");
  const instanceAzs = check.optionalList<unknown>(props.instanceAzs, "instanceAzs", `[${azs.map((az) => show(az)).join(", ")}]`);
  instanceAzs?.forEach((az, i) => {
    if (typeof az !== "string" || !azs.includes(az)) {
      fail(`instanceAzs[${i}] (${show(az)}) is not an AZ of the vpc (${show(azs)}); place each instance in one of them`);
    }
  });
  if (instanceAzs && props.instances !== undefined && props.instances !== instanceAzs.length) {
    fail(
      `instances (${show(props.instances)}) differs from instanceAzs, which places ${instanceAzs.length}; ` +
        `drop instances (it follows instanceAzs) or give one AZ per instance`,
    );
  }
  if (instanceAzs && availability === DatabaseAvailability.MULTI_AZ && instanceAzs.length > 1 && new Set(instanceAzs).size < 2) {
    fail(
      `instanceAzs (${show(instanceAzs)}) puts every instance in one AZ, so losing it leaves no reader to promote; ` +
        `place at least one instance in another AZ of the vpc`,
    );
  }
  const countFromAzs = instanceAzs !== undefined;
  const instanceCount =
    props.instances ??
    instanceAzs?.length ??
    (availability === DatabaseAvailability.SINGLE_INSTANCE ? 1 : DEFAULT_MULTI_AZ_INSTANCES);
  if (!Number.isInteger(instanceCount) || instanceCount < 1 || instanceCount > MAX_INSTANCES) {
    fail(
      countFromAzs
        ? `instanceAzs (${show(instanceAzs)}) places ${instanceCount} instances; list 1 to ${MAX_INSTANCES} AZs, one per instance (one writer and up to 15 readers)`
        : `instances (${show(instanceCount)}) must be a whole number from 1 to ${MAX_INSTANCES} (one writer and up to 15 readers); ` +
            `pass ${DEFAULT_MULTI_AZ_INSTANCES} for a writer and one reader in another AZ`,
    );
  }

  const instanceClass = text(props.instanceClass, "instanceClass", `pass one like "${DEFAULT_INSTANCE_CLASS}"`) ?? DEFAULT_INSTANCE_CLASS;
  if (!INSTANCE_CLASS_PATTERN.test(instanceClass)) {
    fail(
      `instanceClass (${show(instanceClass)}) is not an instance class of the form db.<family>.<size>; ` +
        `pass one like "${DEFAULT_INSTANCE_CLASS}" or "db.t4g.medium" (Serverless v2 "db.serverless" is not supported by this module)`,
    );
  }

  const engineVersion = text(props.engineVersion, "engineVersion", `pass one like "${DEFAULT_ENGINE_VERSION}"`) ?? DEFAULT_ENGINE_VERSION;
  if (!ENGINE_VERSION_PATTERN.test(engineVersion)) {
    fail(
      `engineVersion (${show(engineVersion)}) is not an Aurora MySQL 3 version of the form 8.0.mysql_aurora.3.<minor>.<patch>; ` +
        `pass one like "${DEFAULT_ENGINE_VERSION}"`,
    );
  }

  // --- Database and master user ---
  const databaseName = text(props.databaseName, "databaseName", `pass one like "${DEFAULT_DATABASE_NAME}"`) ?? DEFAULT_DATABASE_NAME;
  if (!DATABASE_NAME_PATTERN.test(databaseName)) {
    fail(
      `databaseName (${show(databaseName)}) must start with a letter and hold only letters, digits and underscores, ` +
        `64 characters at most; pass one like "${DEFAULT_DATABASE_NAME}"`,
    );
  }
  if (MYSQL_80_RESERVED_WORDS.has(databaseName.toUpperCase())) {
    fail(`databaseName (${show(databaseName)}) is a MySQL 8.0 reserved word; pick another name, e.g. "${DEFAULT_DATABASE_NAME}"`);
  }

  const masterUsername = text(props.masterUsername, "masterUsername", `pass one like "${DEFAULT_MASTER_USERNAME}"`) ?? DEFAULT_MASTER_USERNAME;
  if (!MASTER_USERNAME_PATTERN.test(masterUsername)) {
    fail(
      `masterUsername (${show(masterUsername)}) must be 1–16 letters or digits starting with a letter ` +
        `(Aurora's CreateDBCluster rule; no underscores or symbols); pass one like "${DEFAULT_MASTER_USERNAME}"`,
    );
  }
  const reserved = reservedUsernameProblem(masterUsername);
  if (reserved) {
    fail(`masterUsername (${show(masterUsername)}) ${reserved}, so RDS rejects it; pick another, e.g. "${DEFAULT_MASTER_USERNAME}"`);
  }

  const port = props.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < MIN_PORT || port > MAX_PORT) {
    fail(`port (${show(port)}) must be a whole number from ${MIN_PORT} to ${MAX_PORT} (RDS's range for Aurora); the MySQL default is ${DEFAULT_PORT}`);
  }

  // --- Backups and windows ---
  const backupRetentionDays = props.backupRetentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS;
  if (
    !Number.isInteger(backupRetentionDays) ||
    backupRetentionDays < MIN_BACKUP_RETENTION_DAYS ||
    backupRetentionDays > MAX_BACKUP_RETENTION_DAYS
  ) {
    fail(
      `backupRetentionDays (${show(backupRetentionDays)}) must be a whole number of days from ${MIN_BACKUP_RETENTION_DAYS} ` +
        `to ${MAX_BACKUP_RETENTION_DAYS} (Aurora always keeps backups); e.g. ${DEFAULT_BACKUP_RETENTION_DAYS}`,
    );
  }

  const preferredBackupWindow =
    text(props.preferredBackupWindow, "preferredBackupWindow", `pass one like "${DEFAULT_BACKUP_WINDOW}"`) ?? DEFAULT_BACKUP_WINDOW;
  const backup = parseBackupWindow(preferredBackupWindow);
  if (!backup || backup.length < MIN_WINDOW_MINUTES) {
    fail(
      `preferredBackupWindow (${show(preferredBackupWindow)}) must be a daily UTC range "hh:mm-hh:mm" of at least ` +
        `${MIN_WINDOW_MINUTES} minutes, e.g. "${DEFAULT_BACKUP_WINDOW}"`,
    );
  }
  const preferredMaintenanceWindow =
    text(props.preferredMaintenanceWindow, "preferredMaintenanceWindow", `pass one like "${DEFAULT_MAINTENANCE_WINDOW}"`) ??
    DEFAULT_MAINTENANCE_WINDOW;
  const maintenance = parseMaintenanceWindow(preferredMaintenanceWindow);
  if (!maintenance || maintenance.length < MIN_WINDOW_MINUTES) {
    fail(
      `preferredMaintenanceWindow (${show(preferredMaintenanceWindow)}) must be a weekly UTC range "ddd:hh:mm-ddd:hh:mm" ` +
        `(lowercase day names) of at least ${MIN_WINDOW_MINUTES} minutes, e.g. "${DEFAULT_MAINTENANCE_WINDOW}"`,
    );
  }

  // --- Logs and monitoring ---
  const logExports = check.optionalList<AuroraMysqlLogType>(props.cloudwatchLogsExports, "cloudwatchLogsExports", '["error", "slowquery"]') ?? DEFAULT_LOG_EXPORTS;
  for (const log of logExports) {
    if (!AURORA_MYSQL_LOG_TYPES.includes(log)) {
      fail(`cloudwatchLogsExports contains ${show(log)}, which Aurora MySQL cannot export; use any of ${show(AURORA_MYSQL_LOG_TYPES)}`);
    }
  }
  const duplicateLog = logExports.find((log, i) => logExports.indexOf(log) !== i);
  if (duplicateLog) fail(`cloudwatchLogsExports (${show(logExports)}) lists ${show(duplicateLog)} twice; list each log once`);

  const logRetentionDays = props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  if (!VALID_LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    fail(`logRetentionDays (${show(logRetentionDays)}) is not a CloudWatch Logs retention; use one of ${show(VALID_LOG_RETENTION_DAYS)}`);
  }

  const monitoringIntervalSeconds = props.monitoringIntervalSeconds ?? DEFAULT_MONITORING_INTERVAL_SECONDS;
  if (!VALID_MONITORING_INTERVALS.includes(monitoringIntervalSeconds)) {
    fail(
      `monitoringIntervalSeconds (${show(monitoringIntervalSeconds)}) is not an Enhanced Monitoring interval; ` +
        `use one of ${show(VALID_MONITORING_INTERVALS)} (0 turns it off)`,
    );
  }

  // --- Protection of data ---
  const production = ctx.intent === StackIntent.PRODUCTION;
  const deletionProtection = booleans.deletionProtection ?? production;
  const finalSnapshot = booleans.finalSnapshot ?? production;
  const finalSnapshotIdentifier =
    text(props.finalSnapshotIdentifier, "finalSnapshotIdentifier", `pass one like "${identifier}-final"`) ?? `${identifier}-final`;
  text(props.deletionProtectionOffReason, "deletionProtectionOffReason", 'say why in words, e.g. "rebuilt nightly from the seed data"');
  if (
    !SNAPSHOT_IDENTIFIER_PATTERN.test(finalSnapshotIdentifier) ||
    finalSnapshotIdentifier.length > MAX_SNAPSHOT_IDENTIFIER
  ) {
    fail(
      `finalSnapshotIdentifier (${show(finalSnapshotIdentifier)}) must be 1–${MAX_SNAPSHOT_IDENTIFIER} letters, digits and hyphens, ` +
        `starting with a letter, with no trailing hyphen and no two hyphens in a row; e.g. "${identifier}-final"`,
    );
  }

  const kmsKey = text(props.masterUserSecretKmsKeyArn, "masterUserSecretKmsKeyArn", "pass a KMS key ARN or a key's arn attribute");
  if (kmsKey !== undefined && !Token.isUnresolved(kmsKey) && !KMS_KEY_ARN_PATTERN.test(kmsKey)) {
    fail(
      `masterUserSecretKmsKeyArn (${show(kmsKey)}) is not a KMS key ARN; pass one like ` +
        `"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", or a key's arn attribute`,
    );
  }

  const draft: Draft = {
    identifier,
    availability,
    instanceClass,
    engineVersion,
    parameterGroupFamily: AURORA_MYSQL_3_FAMILY,
    databaseName,
    masterUsername,
    port,
    backupRetentionDays,
    preferredBackupWindow,
    preferredMaintenanceWindow,
    logExports,
    logRetentionDays,
    performanceInsights: booleans.performanceInsights ?? supportsPerformanceInsights(instanceClass),
    monitoringIntervalSeconds,
    autoMinorVersionUpgrade: booleans.autoMinorVersionUpgrade ?? DEFAULT_AUTO_MINOR_VERSION_UPGRADE,
    deletionProtection,
    finalSnapshot,
    finalSnapshotIdentifier,
    masterUserSecretKmsKeyArn: kmsKey,
    instanceCount,
    countFromAzs,
    intent: ctx.intent,
    props,
  };
  for (const rule of CROSS_PROP_RULES) {
    if (rule.condition(draft)) fail(rule.message(draft));
  }

  // The draft is the resolved configuration plus what only the cross-prop rules need.
  const { instanceCount: _count, countFromAzs: _fromAzs, intent: _intent, props: _props, ...resolved } = draft;
  return { ...resolved, placements: planInstancePlacements(identifier, azs, instanceCount, instanceAzs as string[] | undefined) };
}

/** Where a password-like value was found and why it looks like one. */
interface PasswordLeak {
  readonly path: string;
  readonly length: number;
  readonly why: string;
}

/**
 * Walks plain objects and arrays in the props (not constructs such as the VPC) looking for a key
 * that names a password, or a string that carries one. Returns the first hit.
 */
export function findPasswordLike(value: Record<string, unknown>, prefix = ""): PasswordLeak | undefined {
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (PASSWORD_KEY_PATTERN.test(key) && child !== undefined && child !== null && child !== "") {
      return { path, length: String(child).length, why: "looks like a literal password (AuroraClusterProps has no password field)" };
    }
    if (typeof child === "string" && PASSWORD_TEXT_PATTERN.test(child)) {
      return { path, length: child.length, why: "contains what looks like a password" };
    }
    if (Array.isArray(child)) {
      const hit = findPasswordLike(Object.fromEntries(child.map((v, i) => [String(i), v])), path);
      if (hit) return hit;
    } else if (isPlainObject(child)) {
      const hit = findPasswordLike(child, path);
      if (hit) return hit;
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A window as minutes from its week (or day) start plus its length. */
interface Window {
  readonly start: number;
  readonly length: number;
}

function parseBackupWindow(text: string): Window | undefined {
  const m = BACKUP_WINDOW_PATTERN.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  return { start, length: (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY };
}

function parseMaintenanceWindow(text: string): Window | undefined {
  const m = MAINTENANCE_WINDOW_PATTERN.exec(text);
  if (!m) return undefined;
  const at = (day: string, h: string, min: string) => WEEKDAYS.indexOf(day) * MINUTES_PER_DAY + Number(h) * 60 + Number(min);
  const start = at(m[1], m[2], m[3]);
  const end = at(m[4], m[5], m[6]);
  return { start, length: (end - start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK };
}

/** True when the daily backup window meets the weekly maintenance window on any day (both may wrap). */
function windowsOverlap(backupText: string, maintenanceText: string): boolean {
  const backup = parseBackupWindow(backupText);
  const maintenance = parseMaintenanceWindow(maintenanceText);
  if (!backup || !maintenance) return false;
  const arcsMeet = (a: Window, b: Window) =>
    (b.start - a.start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK < a.length ||
    (a.start - b.start + MINUTES_PER_WEEK) % MINUTES_PER_WEEK < b.length;
  return WEEKDAYS.some((_, day) =>
    arcsMeet({ start: day * MINUTES_PER_DAY + backup.start, length: backup.length }, maintenance),
  );
}
