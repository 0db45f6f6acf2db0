import { IConstruct } from "constructs";
import { ValidationError, show } from "../../lib/errors";
import {
  ALL_DRILLS,
  DEFAULT_AZ_LOSS_DURATION_MINUTES,
  DEFAULT_DRILL_LOG_RETENTION_DAYS,
  DrillKind,
  FailureDrillsProps,
  MAX_AZ_LOSS_DURATION_MINUTES,
  MIN_AZ_LOSS_DURATION_MINUTES,
} from "./props";

export interface ResolvedDrillsConfig {
  readonly drills: readonly DrillKind[];
  readonly azLossDurationMinutes: number;
  readonly logRetentionDays: number;
}

/** CloudWatch Logs' accepted retention periods. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

/** The modules a drill acts on or watches, and what to pass for each. */
const REQUIRED: ReadonlyArray<readonly ["network" | "app" | "database" | "monitoring", string]> = [
  ["network", "HaVpc"],
  ["app", "AppTier"],
  ["database", "AuroraCluster"],
  ["monitoring", "HaMonitoring"],
];

/** Validates the props (before any resource is created) and fills in the defaults. */
export function resolveDrillsConfig(props: FailureDrillsProps, scope: IConstruct): ResolvedDrillsConfig {
  const fail = (message: string): never => {
    throw new ValidationError(`FailureDrills: ${message}`, scope);
  };
  if (!props || typeof props !== "object") {
    fail(`props (${show(props)}) must be an object with network, app, database and monitoring; pass the stack's HaVpc, AppTier, AuroraCluster and HaMonitoring`);
  }
  const missing = REQUIRED.filter(([field]) => !props[field]);
  if (missing.length > 0) {
    fail(
      missing.map(([field]) => `${field} (${show(props[field])})`).join(", ") +
        ` ${missing.length === 1 ? "is" : "are"} required; pass the stack's ${missing.map(([, type]) => type).join(", ")}`,
    );
  }
  const drills = props.drills ?? [...ALL_DRILLS];
  if (!Array.isArray(drills) || drills.length === 0) {
    fail(`drills (${show(props.drills)}) must list at least one of ${show(ALL_DRILLS)}; leave it out for all of them`);
  }
  for (const drill of drills) {
    if (!ALL_DRILLS.includes(drill)) fail(`drills contains ${show(drill)}, which is not a drill; use ${show(ALL_DRILLS)}`);
  }
  const duplicate = drills.find((d, i) => drills.indexOf(d) !== i);
  if (duplicate) fail(`drills (${show(drills)}) lists ${show(duplicate)} twice; list each drill once`);
  if (drills.includes(DrillKind.DB_FAILOVER) && !props.database.highlyAvailable) {
    fail(
      `drills includes "db-failover" but the database has no reader in another AZ (availability ${show(props.database.availability)}), ` +
        `so there is nothing to fail over to; use DatabaseAvailability.MULTI_AZ or leave "db-failover" out`,
    );
  }

  const duration = props.azLossDurationMinutes ?? DEFAULT_AZ_LOSS_DURATION_MINUTES;
  if (
    typeof duration !== "number" ||
    !Number.isInteger(duration) ||
    duration < MIN_AZ_LOSS_DURATION_MINUTES ||
    duration > MAX_AZ_LOSS_DURATION_MINUTES
  ) {
    fail(
      `azLossDurationMinutes (${show(props.azLossDurationMinutes)}) is outside FIS's limits for these actions; pass a whole ` +
        `number of minutes from ${MIN_AZ_LOSS_DURATION_MINUTES} to ${MAX_AZ_LOSS_DURATION_MINUTES} (PT1M to PT12H)`,
    );
  }
  const logRetentionDays = props.logRetentionDays ?? DEFAULT_DRILL_LOG_RETENTION_DAYS;
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    fail(`logRetentionDays (${show(props.logRetentionDays)}) is not a CloudWatch Logs retention; use one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }
  return { drills, azLossDurationMinutes: duration, logRetentionDays };
}
