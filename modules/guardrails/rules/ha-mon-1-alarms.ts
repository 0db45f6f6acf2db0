import { SynthesizedStack, SynthResource, literal } from "../synthesized-stack";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

/**
 * Alarms that watch a resource: a CloudWatch metric alarm whose dimensions (or the dimensions of a
 * metric in its metric math) refer to the resource, or name it literally (`DBClusterIdentifier`).
 */
export function alarmsWatching(resource: SynthResource, stack: SynthesizedStack): SynthResource[] {
  const identifier = literal(resource.values.cluster_identifier);
  return stack.resources("aws_cloudwatch_metric_alarm").filter((alarm) => {
    const dimensions = [alarm.values.dimensions, ...metricQueries(alarm).map((q) => q.metric?.dimensions ?? q.metric?.[0]?.dimensions)];
    return dimensions.some(
      (d) =>
        d !== undefined &&
        d !== null &&
        (stack.refersTo(d, resource) || (identifier !== undefined && (d as Record<string, unknown>).DBClusterIdentifier === identifier)),
    );
  });
}

function metricQueries(alarm: SynthResource): Array<Record<string, any>> {
  const q = alarm.values.metric_query;
  if (!q) return [];
  return Array.isArray(q) ? q : [q];
}

export const HaMon1Alarms: GuardrailRule = {
  id: "HA-MON-1",
  pack: PolicyPack.HA,
  // A warning, not an error: a team may keep its alarms in another stack or tool this JSON cannot see.
  level: RuleLevel.WARNING,
  description:
    "In a PRODUCTION-intent stack, every load balancer target group and database cluster is watched by a CloudWatch alarm",
  resourceTypes: ["aws_lb_target_group", "aws_alb_target_group", "aws_rds_cluster"],
  evaluate(resource, stack) {
    // Outside an HaStack the intent is unknown: judge it as production, the safe side (HaStack.intentOf does the same).
    if (stack.intent === "development") return NOT_APPLICABLE;
    if (alarmsWatching(resource, stack).length > 0) return resultOf([]);
    const what = resource.type === "aws_rds_cluster" ? "database cluster" : "target group";
    const dimension = resource.type === "aws_rds_cluster" ? "DBClusterIdentifier" : "TargetGroup";
    return resultOf([
      `no CloudWatch alarm watches this ${what} (none has a ${dimension} dimension naming it), so its failure pages nobody; ` +
        "add HaMonitoring (cdktf-aws-ha/monitoring) or your own aws_cloudwatch_metric_alarm",
    ]);
  },
};
