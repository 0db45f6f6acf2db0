import { AppTier } from "../app-tier";
import { AuroraCluster } from "../aurora-cluster";
import { HaVpc } from "../ha-vpc";
import { HaMonitoring } from "../monitoring";

/** The failure drills a stack can carry; the values are what `npm run drill` takes. */
export enum DrillKind {
  /** Task 5: terminate one instance of the app's Auto Scaling group and watch it be replaced. */
  INSTANCE_LOSS = "instance-loss",
  /** Task 8: fail the Aurora cluster over (`aws:rds:failover-db-cluster`) and watch a reader take over. */
  DB_FAILOVER = "db-failover",
  /** One template per AZ: cut that AZ's subnets off, stop its app instances, refuse launches there, fail the database over. */
  AZ_LOSS = "az-loss",
}

/** Every drill, in the order the CLI lists them. */
export const ALL_DRILLS: readonly DrillKind[] = [DrillKind.INSTANCE_LOSS, DrillKind.DB_FAILOVER, DrillKind.AZ_LOSS];
/** How long an AZ power loss lasts: long enough for the ASG to relaunch elsewhere and for alarms to fire. */
export const DEFAULT_AZ_LOSS_DURATION_MINUTES = 10;
/** FIS's limits on the duration of the actions the AZ-loss drill uses (PT1M to PT12H). */
export const MIN_AZ_LOSS_DURATION_MINUTES = 1;
export const MAX_AZ_LOSS_DURATION_MINUTES = 12 * 60;
/** FIS allows at most five stop conditions per experiment template. */
export const MAX_STOP_CONDITIONS = 5;
/** Days the experiment logs are kept. */
export const DEFAULT_DRILL_LOG_RETENTION_DAYS = 90;
export { DRILL_TAG, DRILL_AZ_TAG } from "../../lib/drill-tags";

/** Properties of {@link FailureDrills}. */
export interface FailureDrillsProps {
  /** The network: the AZ-loss drills cut its subnets per AZ. */
  readonly network: HaVpc;
  /** The app tier: its instances are terminated or stopped, its group refused launches. */
  readonly app: AppTier;
  /** The database that is failed over. */
  readonly database: AuroraCluster;
  /** Its 5xx-rate alarms (and, for an AZ loss, the other AZs' healthy-host alarms) stop every drill. */
  readonly monitoring: HaMonitoring;
  /**
   * Which drills to create. Leaving one out is a trade-off: that failure is not rehearsed.
   * @default ALL_DRILLS (instance loss, database failover, AZ loss in every AZ)
   */
  readonly drills?: DrillKind[];
  /**
   * Minutes an AZ power loss lasts (network cut, instances stopped, launches refused); FIS allows 1 to 720.
   * @default DEFAULT_AZ_LOSS_DURATION_MINUTES (10)
   */
  readonly azLossDurationMinutes?: number;
  /**
   * Days the experiment logs are kept in CloudWatch Logs.
   * @default DEFAULT_DRILL_LOG_RETENTION_DAYS (90)
   */
  readonly logRetentionDays?: number;
}

/** One experiment template the module created. */
export interface DrillTemplate {
  readonly kind: DrillKind;
  /** The AZ an AZ-loss template takes down. */
  readonly az?: string;
  /** `instance-loss`, `db-failover` or `az-loss:<az>`: the key in the `drill_templates` output. */
  readonly key: string;
  /** The template's id (the FIS API's `experimentTemplateId`). */
  readonly id: string;
  readonly description: string;
  /** Names of the alarms that stop it. */
  readonly stopAlarmNames: readonly string[];
}

/** The key of a template in the `drill_templates` output. */
export function drillKey(kind: DrillKind, az?: string): string {
  return az === undefined ? kind : `${kind}:${az}`;
}
