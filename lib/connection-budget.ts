/**
 * The database connection budget of an app tier: every app instance may open up to its worker
 * pool's size of connections to the writer, so at full scale-out
 *
 *   ASG maxCapacity × workers per instance + headroom for administration ≤ writer's max_connections
 *
 * must hold, or a load spike exhausts the database and fails every instance at once (a correlated
 * failure across all AZs). The user-data renderer registers its pool here (keyed by the user data
 * text, which is what AppTier receives), and AppTier checks it when it is constructed.
 */
import { createHash } from "crypto";
import { Annotations } from "cdktf";
import { IConstruct } from "constructs";
import { ValidationError } from "./errors";

/**
 * Default `max_connections` of Aurora MySQL instance classes, as published by AWS in
 * "Managing performance and scaling for Amazon Aurora MySQL", section "Maximum connections to an
 * Aurora MySQL DB instance":
 * https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Managing.Performance.html#AuroraMySQL.Managing.MaxConnections
 * (the value of the default parameter group; a custom instance parameter group may raise it, up to 16,000).
 */
export const AURORA_MYSQL_MAX_CONNECTIONS: Readonly<Record<string, number>> = {
  "db.t3.small": 45,
  "db.t3.medium": 90,
  "db.t3.large": 135,
  "db.t4g.medium": 90,
  "db.t4g.large": 135,
  "db.r5.large": 1000,
  "db.r5.xlarge": 2000,
  "db.r5.2xlarge": 3000,
  "db.r5.4xlarge": 4000,
  "db.r5.8xlarge": 5000,
  "db.r5.12xlarge": 6000,
  "db.r5.16xlarge": 6000,
  "db.r5.24xlarge": 7000,
  "db.r6g.large": 1000,
  "db.r6g.xlarge": 2000,
  "db.r6g.2xlarge": 3000,
  "db.r6g.4xlarge": 4000,
  "db.r6g.8xlarge": 5000,
  "db.r6g.12xlarge": 6000,
  "db.r6g.16xlarge": 6000,
  "db.r7g.large": 1000,
  "db.r7g.xlarge": 2000,
  "db.r7g.2xlarge": 3000,
  "db.r7g.4xlarge": 4000,
  "db.r7g.8xlarge": 5000,
  "db.r7g.12xlarge": 6000,
  "db.r7g.16xlarge": 6000,
};

/**
 * Connections kept free for people and tools: RDS's own monitoring (rdsadmin), an operator's
 * client, a schema migration, the readiness page of a booting replacement instance.
 */
export const ADMIN_CONNECTION_HEADROOM = 10;

/** The default max_connections of an Aurora MySQL instance class, or undefined if not in the table. */
export function auroraMysqlMaxConnections(instanceClass: string): number | undefined {
  return Object.prototype.hasOwnProperty.call(AURORA_MYSQL_MAX_CONNECTIONS, instanceClass) ? AURORA_MYSQL_MAX_CONNECTIONS[instanceClass] : undefined;
}

/** What a user-data renderer tells AppTier about the connections its instances open. */
export interface ConnectionPoolSizing {
  /** Most database connections one instance opens (php-fpm's pm.max_children). */
  readonly perInstance: number;
  /** The instance type the pool size was derived from; undefined when it was given explicitly. */
  readonly sizedForInstanceType?: string;
  /** The renderer's default pool for an instance type (to judge a pool sized for another type). */
  readonly defaultFor?: (instanceType: string) => number;
  readonly database: {
    /** Construct path of the database, for messages. */
    readonly path: string;
    readonly instanceClass?: string;
    readonly maxConnections?: number;
  };
}

/** Keyed by a digest of the user data: a platform team may synth hundreds of stacks in one process. */
const pools = new Map<string, ConnectionPoolSizing>();
const keyOf = (userData: string): string => createHash("sha256").update(userData, "utf8").digest("base64");

/** Records the pool behind this user data text (see {@link connectionPoolOf}). */
export function registerConnectionPool(userData: string, pool: ConnectionPoolSizing): void {
  pools.set(keyOf(userData), pool);
}

/** The pool registered for this user data, if a renderer registered one. */
export function connectionPoolOf(userData: string): ConnectionPoolSizing | undefined {
  return pools.get(keyOf(userData));
}

/** The numbers of a budget, as the guardrail and the error show them. */
export interface ConnectionBudget {
  readonly maxCapacity: number;
  readonly perInstance: number;
  readonly headroom: number;
  /** maxCapacity × perInstance + headroom */
  readonly needed: number;
  readonly maxConnections: number;
}

export function connectionBudget(maxCapacity: number, perInstance: number, maxConnections: number): ConnectionBudget {
  return { maxCapacity, perInstance, headroom: ADMIN_CONNECTION_HEADROOM, needed: maxCapacity * perInstance + ADMIN_CONNECTION_HEADROOM, maxConnections };
}

/** The largest pool per instance that fits. */
export function largestFittingPool(maxCapacity: number, maxConnections: number): number {
  return Math.floor((maxConnections - ADMIN_CONNECTION_HEADROOM) / maxCapacity);
}

/**
 * Throws a ValidationError naming the props, the numbers and the fix when the app tier's pools
 * at full scale-out do not fit the database; the error carries `scope`'s path.
 */
export function checkConnectionBudget(scope: IConstruct, maxCapacity: number, instanceType: string, pool: ConnectionPoolSizing): void {
  const where = "AppTier";
  const db = pool.database;
  const mismatch = pool.sizedForInstanceType !== undefined && pool.sizedForInstanceType !== instanceType;
  const fitsInstance = (): boolean => {
    try {
      return pool.defaultFor === undefined || pool.perInstance <= pool.defaultFor(instanceType);
    } catch {
      return true; // an instance type the renderer cannot size: AppTier's own validation reports it
    }
  };
  if (mismatch && fitsInstance()) {
    // A smaller pool than the instance could run: safe (the database budget below still applies), only not tuned.
    Annotations.of(scope).addWarning(
      `AppTier: the user data sized its php-fpm pool for ${JSON.stringify(pool.sizedForInstanceType)} (${pool.perInstance} workers), ` +
        `not for instanceType ${JSON.stringify(instanceType)}; pass instanceType: ${JSON.stringify(instanceType)} to inventoryUserDataFor too`,
    );
  } else if (mismatch) {
    // A bigger pool than the instance's memory is sized for: workers would be killed under load.
    throw new ValidationError(
      `${where}: instanceType (${JSON.stringify(instanceType)}) differs from the instance type the user data sized its php-fpm pool for ` +
        `(${JSON.stringify(pool.sizedForInstanceType)}, ${pool.perInstance} workers); pass instanceType: ${JSON.stringify(instanceType)} ` +
        "to inventoryUserDataFor too (or set maxChildren there explicitly)",
      scope,
    );
  }
  const maxConnections = db.maxConnections;
  if (maxConnections === undefined) {
    throw new ValidationError(
      `${where}: the database ${db.path} has instanceClass ${JSON.stringify(db.instanceClass ?? "unknown")}, whose max_connections is not in ` +
        `the library's table, so the connection budget (maxCapacity ${maxCapacity} × maxChildren ${pool.perInstance}) cannot be checked; ` +
        `use one of ${Object.keys(AURORA_MYSQL_MAX_CONNECTIONS).join(", ")}`,
      scope,
    );
  }
  const b = connectionBudget(maxCapacity, pool.perInstance, maxConnections);
  if (b.needed <= b.maxConnections) return;
  const fitting = largestFittingPool(maxCapacity, maxConnections);
  const fixes = [
    fitting >= 1 ? `set maxChildren: ${fitting} (or less) in inventoryUserDataFor's options` : undefined,
    `lower maxCapacity to ${Math.max(0, Math.floor((maxConnections - ADMIN_CONNECTION_HEADROOM) / pool.perInstance))} or less`,
    `or give the database ${db.path} a larger instanceClass (max_connections of ${db.instanceClass} is ${maxConnections})`,
  ].filter((f): f is string => f !== undefined);
  throw new ValidationError(
    `${where}: maxCapacity (${maxCapacity}) × maxChildren (${pool.perInstance} php-fpm workers per instance${pool.sizedForInstanceType ? `, the default for ${pool.sizedForInstanceType}` : ""}) ` +
      `+ ${ADMIN_CONNECTION_HEADROOM} connections for administration = ${b.needed}, over the max_connections (${maxConnections}) of ` +
      `${db.path} (${db.instanceClass}); at full scale-out a load spike would exhaust the database and fail every instance at once. ` +
      `Fix: ${fixes.join(", ")}`,
    scope,
  );
}
