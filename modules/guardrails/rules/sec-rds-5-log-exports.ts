import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

/** The log each engine must export at least; others (audit, slowquery, …) are welcome. */
const REQUIRED_LOG_BY_ENGINE: Record<string, string> = {
  "aurora-postgresql": "postgresql",
  postgres: "postgresql",
  "aurora-mysql": "error",
  aurora: "error",
  mysql: "error",
};

export const SecRds5LogExports: GuardrailRule = {
  id: "SEC-RDS-5",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.WARNING,
  description: "Aurora/RDS clusters export their database logs to CloudWatch Logs (enabled_cloudwatch_logs_exports)",
  resourceTypes: ["aws_rds_cluster"],
  evaluate(cluster) {
    const exports: unknown = cluster.values.enabled_cloudwatch_logs_exports;
    const engine = String(cluster.values.engine ?? "aurora");
    const required = REQUIRED_LOG_BY_ENGINE[engine];
    if (!Array.isArray(exports) || exports.length === 0) {
      return resultOf([
        `enabled_cloudwatch_logs_exports is empty; export ${required ? `["${required}"]` : "the engine's logs"} ` +
          "so errors and connections can be investigated",
      ]);
    }
    if (required && !exports.includes(required)) {
      return resultOf([`enabled_cloudwatch_logs_exports (${JSON.stringify(exports)}) lacks "${required}", the ${engine} log`]);
    }
    return resultOf([]);
  },
};
