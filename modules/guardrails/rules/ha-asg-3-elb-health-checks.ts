import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const HaAsg3ElbHealthChecks: GuardrailRule = {
  id: "HA-ASG-3",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description: 'Auto Scaling groups behind a load balancer use its health checks (health_check_type = "ELB")',
  resourceTypes: ["aws_autoscaling_group"],
  evaluate(group, stack) {
    const attached =
      (Array.isArray(group.values.target_group_arns) && group.values.target_group_arns.length > 0) ||
      (Array.isArray(group.values.load_balancers) && group.values.load_balancers.length > 0) ||
      stack.referrers("aws_autoscaling_attachment", "autoscaling_group_name", group).length > 0 ||
      stack.referrers("aws_autoscaling_traffic_source_attachment", "autoscaling_group_name", group).length > 0;
    if (!attached) return NOT_APPLICABLE;
    const type = group.values.health_check_type;
    return resultOf(
      type === "ELB"
        ? []
        : [
            `health_check_type is ${JSON.stringify(type ?? "EC2 (default)")}, so an instance whose app fails the load ` +
              'balancer\'s health check is never replaced; set health_check_type: "ELB"',
          ],
    );
  },
};
