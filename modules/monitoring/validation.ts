import { IConstruct } from "constructs";
import { Token } from "cdktf";
import { ValidationError, show } from "../../lib/errors";
import { defaultMaxConnections } from "./max-connections";
import {
  DEFAULT_5XX_RATE_PERCENT,
  DEFAULT_CONNECTIONS_PERCENT,
  DEFAULT_INSTANCE_CPU_PERCENT,
  DEFAULT_REPLICA_LAG_MS,
  HaMonitoringProps,
} from "./props";

/** A notification endpoint and the SNS protocol it needs. */
export interface ResolvedSubscription {
  readonly protocol: "email" | "https";
  readonly endpoint: string;
}

export interface ResolvedMonitoringConfig {
  readonly name: string;
  readonly subscriptions: readonly ResolvedSubscription[];
  readonly alb5xxRatePercent: number;
  readonly target5xxRatePercent: number;
  readonly instanceCpuPercent: number;
  readonly replicaLagMs: number;
  readonly connectionsThreshold: number;
  readonly maxConnections: number;
}

const NAME = /^[A-Za-z0-9_-]{1,200}$/;
/** One @, no spaces, a dot in the domain: what SNS accepts for the email protocol. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Validates the props (before any resource is created) and fills in the defaults. */
export function resolveMonitoringConfig(props: HaMonitoringProps, scope: IConstruct): ResolvedMonitoringConfig {
  const fail = (message: string): never => {
    throw new ValidationError(`HaMonitoring: ${message}`, scope);
  };
  if (!props || typeof props !== "object") {
    fail(`props (${show(props)}) must be an object with app and database; pass the stack's AppTier and AuroraCluster`);
  }
  if (!props.app) fail(`app (${show(props.app)}) is required; pass the stack's AppTier`);
  if (!props.database) fail(`database (${show(props.database)}) is required; pass the stack's AuroraCluster`);
  const name = props.name ?? props.app.name;
  if (typeof name !== "string" || (!Token.isUnresolved(name) && !NAME.test(name))) {
    fail(`name (${show(name)}) must be 1 to 200 letters, digits, hyphens or underscores`);
  }

  const subscriptions: ResolvedSubscription[] = [];
  if (props.subscriptions !== undefined && !Array.isArray(props.subscriptions)) {
    fail(`subscriptions (${show(props.subscriptions)}) must be a list of email addresses or https:// URLs`);
  }
  (props.subscriptions ?? []).forEach((endpoint, i) => {
    if (typeof endpoint === "string" && EMAIL.test(endpoint) && !endpoint.includes("://")) {
      subscriptions.push({ protocol: "email", endpoint });
      return;
    }
    if (typeof endpoint === "string" && isHttpsUrl(endpoint)) {
      subscriptions.push({ protocol: "https", endpoint });
      return;
    }
    fail(
      `subscriptions[${i}] (${show(endpoint)}) is neither an email address nor an https:// URL; ` +
        `pass e.g. "ops@example.com" or "https://hooks.example.com/alarms" (plain http is refused: alarm texts name your resources)`,
    );
  });
  const duplicate = subscriptions.find((s, i) => subscriptions.findIndex((o) => o.endpoint === s.endpoint) !== i);
  if (duplicate) fail(`subscriptions lists ${show(duplicate.endpoint)} twice; list each endpoint once`);

  const percent = (field: keyof HaMonitoringProps, value: unknown, fallback: number): number => {
    const v = value ?? fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > 100) {
      fail(`${field} (${show(value)}) must be a percentage above 0 and at most 100`);
    }
    return v as number;
  };
  const alb5xxRatePercent = percent("alb5xxRatePercent", props.alb5xxRatePercent, DEFAULT_5XX_RATE_PERCENT);
  const target5xxRatePercent = percent("target5xxRatePercent", props.target5xxRatePercent, DEFAULT_5XX_RATE_PERCENT);
  const instanceCpuPercent = percent("instanceCpuPercent", props.instanceCpuPercent, DEFAULT_INSTANCE_CPU_PERCENT);
  const connectionsPercent = percent("connectionsPercent", props.connectionsPercent, DEFAULT_CONNECTIONS_PERCENT);

  const replicaLagMs = props.replicaLagMs ?? DEFAULT_REPLICA_LAG_MS;
  if (typeof replicaLagMs !== "number" || !Number.isFinite(replicaLagMs) || replicaLagMs <= 0) {
    fail(`replicaLagMs (${show(props.replicaLagMs)}) must be a positive number of milliseconds, e.g. ${DEFAULT_REPLICA_LAG_MS}`);
  }

  const instanceClass = props.database.instanceClass;
  const maxConnections = props.maxConnections ?? defaultMaxConnections(instanceClass);
  if (maxConnections === undefined) {
    fail(
      `maxConnections is not set and the module has no default max_connections for instance class ${show(instanceClass)}; ` +
        `pass maxConnections (the writer's max_connections)`,
    );
  }
  if (typeof maxConnections !== "number" || !Number.isInteger(maxConnections) || maxConnections < 1) {
    fail(`maxConnections (${show(props.maxConnections)}) must be a whole number of connections, at least 1`);
  }

  return {
    name: name as string,
    subscriptions,
    alb5xxRatePercent,
    target5xxRatePercent,
    instanceCpuPercent,
    replicaLagMs,
    maxConnections: maxConnections as number,
    connectionsThreshold: Math.floor(((maxConnections as number) * connectionsPercent) / 100),
  };
}

function isHttpsUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" && url.hostname.length > 0;
  } catch {
    return false;
  }
}
