import { ADMIN_CONNECTION_HEADROOM, auroraMysqlMaxConnections } from "../../../lib/connection-budget";
import { blocks, SynthesizedStack, SynthResource } from "../synthesized-stack";
import { decodeBase64Text } from "../secrets";
import { clusterInstances, numberValue } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

/** The literal pieces AppTier's encodeUserData joins with the tokens: `base64decode("…")`. */
const BASE64_PIECE = /base64decode\("([A-Za-z0-9+/=]+)"\)/g;
/**
 * php-fpm's pool size, as the inventory app's user data (or any php-fpm pool file in user data) writes it.
 * An ini line: `;` starts a comment, at the line's start (not a setting) or after the value (php-fpm reads the
 * number); the value may be quoted (`"8"`, `'8'`).
 */
const MAX_CHILDREN = /^\s*pm\.max_children\s*=\s*(?:(\d+)|"(\d+)"|'(\d+)')\s*(?:;.*)?$/;
/** A php-fpm section header: `[global]` or a pool's name (no spaces, so a shell test `[ -f x ]` is not one). */
const SECTION = /^\s*\[([^\]\s;]+)\]\s*(?:;.*)?$/;
/** The section php-fpm's own settings live in; every other section is a pool. */
const GLOBAL_SECTION = "global";

/** One php-fpm pool the user data configures. */
export interface PhpFpmPool {
  /** The pool's section name; "" for a pm.max_children line before any section header. */
  readonly name: string;
  readonly maxChildren: number;
}

/**
 * The php-fpm pools in a text, as php-fpm 8.2 reads them: per pool the last pm.max_children wins, a pool
 * named again continues the same pool, and `[global]` holds no pool.
 */
export function phpFpmPools(text: string): PhpFpmPool[] {
  const pools = new Map<string, number>();
  let section = "";
  for (const line of text.split("\n")) {
    const header = SECTION.exec(line);
    if (header) {
      section = header[1];
      continue;
    }
    const setting = MAX_CHILDREN.exec(line);
    if (setting && section !== GLOBAL_SECTION) {
      pools.set(section, Number(setting[1] ?? setting[2] ?? setting[3]));
    }
  }
  return [...pools].map(([name, maxChildren]) => ({ name, maxChildren }));
}

/** The budget of one Auto Scaling group against the database its user data connects to. */
export interface StackConnectionBudget {
  readonly group: SynthResource;
  readonly cluster: SynthResource;
  readonly maxSize: number;
  /** Workers per instance: the sum of the pools' pm.max_children. */
  readonly perInstance: number;
  /** The php-fpm pools the user data configures, in the order they first appear. */
  readonly pools: readonly PhpFpmPool[];
  readonly needed: number;
  /** Smallest max_connections over the cluster's instances (any may become the writer); undefined if a class is unknown. */
  readonly maxConnections?: number;
  readonly instanceClasses: readonly string[];
}

/** The user data's text: a base64 literal decoded, or the literal pieces of an encodeUserData expression. */
function userDataText(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const literal = decodeBase64Text(value);
  if (literal !== undefined) return literal;
  const pieces = [...value.matchAll(BASE64_PIECE)].map(([, b64]) => Buffer.from(b64, "base64").toString("utf8"));
  return pieces.length > 0 ? pieces.join("\n") : undefined;
}

/**
 * One instance's max_connections: a literal `max_connections` in its DB parameter group, else
 * AWS's published default for its class (Aurora MySQL only); undefined when neither is known.
 */
function instanceMaxConnections(instance: SynthResource, engine: string, stack: SynthesizedStack): number | undefined {
  const group = stack.ref(instance.values.db_parameter_group_name);
  const parameter = blocks(group?.values.parameter).find((p) => p.name === "max_connections");
  if (parameter) return numberValue(parameter.value);
  const instanceClass = instance.values.instance_class;
  return engine === "aurora-mysql" && typeof instanceClass === "string" ? auroraMysqlMaxConnections(instanceClass) : undefined;
}

/** The connection budget of an ASG whose user data configures a php-fpm pool and names an Aurora cluster of this stack. */
export function connectionBudgetOf(group: SynthResource, stack: SynthesizedStack): StackConnectionBudget | undefined {
  const template = blocks(group.values.launch_template)
    .map((b) => stack.ref(b.id))
    .find((t): t is SynthResource => t?.type === "aws_launch_template");
  const maxSize = numberValue(group.values.max_size);
  if (!template || maxSize === undefined) return undefined;
  const text = userDataText(template.values.user_data);
  const pools = text ? phpFpmPools(text) : [];
  const [cluster] = stack.refs(template.values.user_data, "aws_rds_cluster");
  if (pools.length === 0 || !cluster) return undefined;
  const perInstance = pools.reduce((sum, pool) => sum + pool.maxChildren, 0);
  const instances = clusterInstances(cluster, stack);
  const instanceClasses = instances.map((i) => i.values.instance_class).filter((c): c is string => typeof c === "string");
  const engine = typeof cluster.values.engine === "string" ? cluster.values.engine : "aurora";
  const limits = instances.map((i) => instanceMaxConnections(i, engine, stack));
  const known = limits.length > 0 && limits.every((l) => l !== undefined);
  return {
    group,
    cluster,
    maxSize,
    perInstance,
    pools,
    needed: maxSize * perInstance + ADMIN_CONNECTION_HEADROOM,
    maxConnections: known ? Math.min(...(limits as number[])) : undefined,
    instanceClasses,
  };
}

export const HaDb2ConnectionBudget: GuardrailRule = {
  id: "HA-DB-2",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description:
    `At full scale-out the app tier's worker pools fit the database: ASG max_size × pm.max_children + ${ADMIN_CONNECTION_HEADROOM} ` +
    "for administration ≤ the writer's max_connections, so a load spike cannot exhaust the database and fail every instance at once",
  resourceTypes: ["aws_autoscaling_group"],
  evaluate(group, stack) {
    const b = connectionBudgetOf(group, stack);
    if (!b) return NOT_APPLICABLE;
    const several = b.pools.length > 1;
    const workers = several
      ? `${b.perInstance} (pools ${b.pools.map((p) => `${p.name || "(no section)"} ${p.maxChildren}`).join(" + ")})`
      : `${b.perInstance}`;
    const budget = `max_size ${b.maxSize} × pm.max_children ${workers} + ${ADMIN_CONNECTION_HEADROOM} = ${b.needed} connections`;
    const cluster = SynthesizedStack.label(b.cluster);
    if (b.maxConnections === undefined) {
      return resultOf([
        `${budget} to ${cluster}, whose max_connections is unknown: its instance classes (${b.instanceClasses.join(", ") || "none in this stack"}) ` +
          "have no published Aurora MySQL default in the library's table and no literal max_connections in a DB parameter group; " +
          "use a listed Aurora MySQL class or set max_connections in the instances' parameter group",
      ]);
    }
    return resultOf(
      b.needed <= b.maxConnections
        ? []
        : [
            `${budget}, over the max_connections (${b.maxConnections}) of ${cluster} (${b.instanceClasses.join(", ")}); ` +
              `lower ${several ? "the pools' pm.max_children to a sum of" : "pm.max_children to"} ` +
              `${Math.floor((b.maxConnections - ADMIN_CONNECTION_HEADROOM) / b.maxSize)}, lower max_size, or use a larger instance class`,
          ],
    );
  },
};
