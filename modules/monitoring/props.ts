import { AppTier } from "../app-tier";
import { AuroraCluster } from "../aurora-cluster";

/** ALB 5xx responses (ELB's own and the targets'), percent of requests, over which the rate alarms fire. */
export const DEFAULT_5XX_RATE_PERCENT = 5;
/** Average CPU of the app's instances (percent) over which the CPU alarm fires. */
export const DEFAULT_INSTANCE_CPU_PERCENT = 80;
/** Aurora replica lag (milliseconds) over which the lag alarm fires; readers usually lag < 100 ms. */
export const DEFAULT_REPLICA_LAG_MS = 2000;
/** Share of the instance class's max_connections (percent) at which the connections alarm fires. */
export const DEFAULT_CONNECTIONS_PERCENT = 80;
/** Days a notification key stays recoverable after deletion is scheduled (AWS allows 7–30). */
export const DEFAULT_KEY_DELETION_WINDOW_DAYS = 30;

/** Properties of {@link HaMonitoring}. */
export interface HaMonitoringProps {
  /** The app tier: its ALB, target group (per AZ) and Auto Scaling group are watched. */
  readonly app: AppTier;
  /** The database: writer availability, replica lag and connections are watched. */
  readonly database: AuroraCluster;
  /**
   * Stem of the alarm, topic and dashboard names (letters, digits, `-` and `_`, 1–200 characters).
   * @default - the app tier's name
   */
  readonly name?: string;
  /**
   * Where alarm notifications go: each entry an email address (subscribed with protocol `email`;
   * AWS mails a confirmation link) or an `https://` URL (protocol `https`; the endpoint must confirm
   * the subscription). The topic is created, encrypted, either way.
   * @default - none: alarms change state and show on the dashboard, nobody is notified
   */
  readonly subscriptions?: string[];
  /**
   * The ALB's own 5xx responses as a percent of requests (0–100, exclusive of 0) that fires the
   * ALB 5xx rate alarm. A stop condition of every drill.
   * @default DEFAULT_5XX_RATE_PERCENT (5)
   */
  readonly alb5xxRatePercent?: number;
  /**
   * The targets' 5xx responses as a percent of requests that fires the target 5xx rate alarm. A
   * stop condition of every drill.
   * @default DEFAULT_5XX_RATE_PERCENT (5)
   */
  readonly target5xxRatePercent?: number;
  /**
   * Average CPU percent of the app's instances that fires the CPU alarm.
   * @default DEFAULT_INSTANCE_CPU_PERCENT (80)
   */
  readonly instanceCpuPercent?: number;
  /**
   * Aurora replica lag in milliseconds that fires the replica lag alarm (only with readers).
   * @default DEFAULT_REPLICA_LAG_MS (2000)
   */
  readonly replicaLagMs?: number;
  /**
   * Percent of the writer's `max_connections` that fires the connections alarm.
   * @default DEFAULT_CONNECTIONS_PERCENT (80)
   */
  readonly connectionsPercent?: number;
  /**
   * The writer's `max_connections`. Needed only for an instance class the module has no figure for,
   * or when a parameter group sets `max_connections`.
   * @default - the Aurora MySQL default for the database's instance class (see AURORA_MYSQL_MAX_CONNECTIONS)
   */
  readonly maxConnections?: number;
}

/** What an alarm watches; the AZ-loss report and the drills read it. */
export enum AlarmScope {
  /** What users see: the ALB's and the targets' 5xx rates. Drills stop on these. */
  CUSTOMER = "customer",
  /** Healthy targets of one AZ. */
  AZ = "az",
  /** The Auto Scaling group and its instances. */
  CAPACITY = "capacity",
  /** The Aurora cluster. */
  DATABASE = "database",
}

/** One alarm the module created. */
export interface MonitoredAlarm {
  /** Construct id, e.g. `Alb5xxRate`, `HealthyHosts-us-east-1a`. */
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  readonly scope: AlarmScope;
  /** The AZ the alarm watches (AZ scope only). */
  readonly az?: string;
}
