import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { HaVpc } from "../ha-vpc";

/**
 * Whether the cluster keeps a failover replica in another AZ. A choice that trades HA for cost,
 * so it is a named mode rather than an instance count alone.
 */
export enum DatabaseAvailability {
  /**
   * A writer and at least one reader, pinned to the VPC's AZs in order (one per AZ until the list
   * wraps). When the writer or its AZ fails, Aurora promotes a reader in another AZ (typically
   * within a minute or two) and the cluster endpoint follows it. HA.
   */
  MULTI_AZ = "MULTI_AZ",
  /**
   * One instance, no replica. If it fails, Aurora tries to re-create it on a best-effort basis,
   * which can fail while its AZ is impaired; the database is down meanwhile. Not HA; the
   * construct adds a warning naming the trade-off.
   */
  SINGLE_INSTANCE = "SINGLE_INSTANCE",
}

/** Logs Aurora MySQL can export to CloudWatch Logs. */
export type AuroraMysqlLogType = "audit" | "error" | "general" | "slowquery";

/** Every exportable log type, in the order they are reported. */
export const AURORA_MYSQL_LOG_TYPES: readonly AuroraMysqlLogType[] = ["audit", "error", "general", "slowquery"];

/**
 * What the database needs from a neighbour that connects to it (e.g. `AppTier`): the security
 * group its instances use and the IAM role they run as. Wire it with
 * {@link AuroraCluster.allowFrom}.
 */
export interface DatabaseClient {
  /** Security group of the client's instances; the database admits its port from this group only. */
  readonly securityGroup: SecurityGroup;
  /** Role of the client's instances; it is granted read access to the master secret. */
  readonly instanceRole: IamRole;
}

/** Where one DB instance sits and when it would be promoted. */
export interface InstancePlacement {
  /** Construct id, role-neutral: `Instance1` … `InstanceN`. */
  readonly id: string;
  /** The DB instance identifier AWS shows, e.g. `lab-database-2`. */
  readonly identifier: string;
  /** The AZ the instance is pinned to. */
  readonly az: string;
  /**
   * Failover priority, 0 (first) to 15. Aurora promotes the reader with the lowest tier.
   * `Instance1` (tier 0) is created first and so is the writer at creation; after a failover
   * any instance may be the writer.
   */
  readonly promotionTier: number;
}

/** Aurora MySQL 3 long-term-support line (3.10.x, MySQL 8.0.42 compatible). */
export const DEFAULT_ENGINE_VERSION = "8.0.mysql_aurora.3.10.3";

/**
 * Memory-optimised Graviton class: no CPU credits to run out of when a promoted reader suddenly
 * takes the writer's full load, and it supports Performance Insights. Burstable classes
 * (`db.t4g.medium`) are fine for labs and dev, chosen explicitly.
 */
export const DEFAULT_INSTANCE_CLASS = "db.r6g.large";

/** A writer plus one reader in the next AZ: the fewest instances that survive an AZ loss. */
export const DEFAULT_MULTI_AZ_INSTANCES = 2;

/** Aurora allows one writer and up to 15 replicas, whose promotion tiers are 0–15. */
export const MAX_INSTANCES = 16;

export const DEFAULT_DATABASE_NAME = "app";
export const DEFAULT_MASTER_USERNAME = "dbadmin";
export const DEFAULT_PORT = 3306;

/** A week of point-in-time recovery (AWS's own default, 1 day, rarely covers a weekend incident). */
export const DEFAULT_BACKUP_RETENTION_DAYS = 7;
export const MIN_BACKUP_RETENTION_DAYS = 1;
export const MAX_BACKUP_RETENTION_DAYS = 35;

/** UTC; the backup window is daily and must not overlap the weekly maintenance window. */
export const DEFAULT_BACKUP_WINDOW = "03:00-04:00";
export const DEFAULT_MAINTENANCE_WINDOW = "sun:05:00-sun:06:00";

/** Error log for failures, audit for who connected and what DDL/DCL ran, slow queries for tuning. */
export const DEFAULT_LOG_EXPORTS: readonly AuroraMysqlLogType[] = ["audit", "error", "slowquery"];
export const DEFAULT_LOG_RETENTION_DAYS = 90;

/** Enhanced Monitoring granularity; 60 s is the cheapest interval that still shows OS-level spikes. */
export const DEFAULT_MONITORING_INTERVAL_SECONDS = 60;
/** Values RDS accepts for `monitoring_interval` (0 turns Enhanced Monitoring off). */
export const VALID_MONITORING_INTERVALS: readonly number[] = [0, 1, 5, 10, 15, 30, 60];

/** The free tier of Performance Insights retention. */
export const DEFAULT_PERFORMANCE_INSIGHTS_RETENTION_DAYS = 7;

/** Queries slower than this (seconds) go to the slow query log. */
export const DEFAULT_LONG_QUERY_TIME_SECONDS = 2;

/** Shortest reason accepted for turning deletion protection off in a production stack. */
export const MIN_REASON_LENGTH = 10;

/** Minor engine upgrades stay under Terraform's control (see `autoMinorVersionUpgrade`). */
export const DEFAULT_AUTO_MINOR_VERSION_UPGRADE = false;

/** Properties of {@link AuroraCluster}. */
export interface AuroraClusterProps {
  /** The network: the DB subnet group spans the isolated subnets of every AZ, and instances are pinned to its AZs by name. */
  readonly vpc: HaVpc;
  /**
   * Cluster identifier (AWS rules: 1–63 lowercase letters, digits and hyphens, starting with a
   * letter, no trailing or doubled hyphen; at most 60 here, so instance identifiers
   * `<identifier>-<n>` fit). Instances, the subnet group and the final snapshot are named after it.
   * @default - `<stack id>-<construct id>`, lowercased with other characters turned into hyphens
   */
  readonly identifier?: string;
  /**
   * Whether a failover replica sits in another AZ.
   * @default DatabaseAvailability.MULTI_AZ
   */
  readonly availability?: DatabaseAvailability;
  /**
   * Number of DB instances (writer + readers), placed on `vpc.azs` in AZ-name order (a, b, c …,
   * whatever the list order) and wrapping when there are more instances than AZs. `MULTI_AZ`
   * needs 2 to 16; `SINGLE_INSTANCE` exactly 1.
   * @default - the length of `instanceAzs` if given, else DEFAULT_MULTI_AZ_INSTANCES (2) with MULTI_AZ, 1 with SINGLE_INSTANCE
   */
  readonly instances?: number;
  /**
   * The AZ of each instance, Instance1 first; every one must be in `vpc.azs`, and with `MULTI_AZ`
   * they must span 2+ AZs. Pin placement with it when there are more instances than AZs and AZs
   * may be added later: the default wraps over the AZs, so a new AZ would take a wrapped instance
   * (a replacement), while with `instanceAzs` a new AZ receives only instances you add for it.
   * @default - AZ-name order, wrapping (see `instances`)
   */
  readonly instanceAzs?: string[];
  /**
   * Instance class of every instance (`db.<family>.<size>`). One class for all, because a
   * promoted reader must carry the writer's load.
   * @default DEFAULT_INSTANCE_CLASS (db.r6g.large)
   */
  readonly instanceClass?: string;
  /**
   * Aurora MySQL 3 engine version, `8.0.mysql_aurora.3.<minor>.<patch>`.
   * @default DEFAULT_ENGINE_VERSION (8.0.mysql_aurora.3.10.3, an LTS line)
   */
  readonly engineVersion?: string;
  /**
   * Name of the database created in the cluster (MySQL rules: a letter, then up to 63 letters, digits or underscores).
   * @default DEFAULT_DATABASE_NAME ("app")
   */
  readonly databaseName?: string;
  /**
   * Master user name. Its password is generated and rotated by Secrets Manager
   * (`manage_master_user_password`); this module has no password prop and rejects one.
   * @default DEFAULT_MASTER_USERNAME ("dbadmin")
   */
  readonly masterUsername?: string;
  /**
   * Database port (RDS accepts 1150–65535 for Aurora).
   * @default DEFAULT_PORT (3306)
   */
  readonly port?: number;
  /**
   * Days of automated backups (point-in-time recovery), 1–35.
   * @default DEFAULT_BACKUP_RETENTION_DAYS (7)
   */
  readonly backupRetentionDays?: number;
  /**
   * Daily backup window, UTC, `hh:mm-hh:mm`, at least 30 minutes, not overlapping the maintenance window.
   * @default DEFAULT_BACKUP_WINDOW ("03:00-04:00")
   */
  readonly preferredBackupWindow?: string;
  /**
   * Weekly maintenance window, UTC, `ddd:hh:mm-ddd:hh:mm`, at least 30 minutes; applied to the cluster and every instance.
   * @default DEFAULT_MAINTENANCE_WINDOW ("sun:05:00-sun:06:00")
   */
  readonly preferredMaintenanceWindow?: string;
  /**
   * Logs exported to CloudWatch Logs. The cluster parameter group turns on what each needs
   * (audit plugin, slow query log, general log), and each log group is created here with a retention.
   * @default DEFAULT_LOG_EXPORTS (audit, error, slowquery)
   */
  readonly cloudwatchLogsExports?: AuroraMysqlLogType[];
  /**
   * Days to keep exported logs (a CloudWatch Logs retention value).
   * @default DEFAULT_LOG_RETENTION_DAYS (90)
   */
  readonly logRetentionDays?: number;
  /**
   * Performance Insights on every instance. Not supported on db.t2, db.t3, db.t4g.micro and
   * db.t4g.small; asking for it there throws.
   * @default - on where the instance class supports it, off elsewhere
   */
  readonly performanceInsights?: boolean;
  /**
   * Enhanced Monitoring interval in seconds (0, 1, 5, 10, 15, 30 or 60; 0 turns it off).
   * @default DEFAULT_MONITORING_INTERVAL_SECONDS (60)
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Let AWS apply minor engine upgrades in the maintenance window. Off by default: the default
   * engine version is on an LTS line, for which AWS advises it off, and with it on a provider-5
   * plan after an AWS upgrade proposes a downgrade that AWS refuses, blocking every apply. When
   * on, the module ignores `engine_version` drift on the cluster so applies keep working; a later
   * change of `engineVersion` then takes effect only after turning this off again.
   * @default false
   */
  readonly autoMinorVersionUpgrade?: boolean;
  /**
   * Refuse `DeleteDBCluster` until turned off.
   * @default - true in a StackIntent.PRODUCTION stack (and outside any HaStack); false in
   *   StackIntent.DEVELOPMENT, so a dev stack tears down with one `destroy`
   */
  readonly deletionProtection?: boolean;
  /**
   * Why deletion protection is off; required (10+ characters) with `deletionProtection: false`
   * in a production stack, rejected otherwise.
   * @default - none
   */
  readonly deletionProtectionOffReason?: string;
  /**
   * Take a final snapshot when the cluster is deleted.
   * @default - true in a StackIntent.PRODUCTION stack (and outside any HaStack); false in
   *   StackIntent.DEVELOPMENT, whose data is disposable
   */
  readonly finalSnapshot?: boolean;
  /**
   * Identifier of the final snapshot. Fixed, not timestamped, so plans stay stable; delete or
   * rename an old snapshot of that name before destroying a re-created cluster.
   * @default - `<identifier>-final`
   */
  readonly finalSnapshotIdentifier?: string;
  /**
   * Customer-managed KMS key for the master secret. Clients wired with `allowFrom` are then also
   * granted `kms:Decrypt` on it, through Secrets Manager only.
   * @default - the AWS-managed `aws/secretsmanager` key (no grant needed)
   */
  readonly masterUserSecretKmsKeyArn?: string;
}
