import { blocks, isTrue } from "../synthesized-stack";
import { isApplicationLoadBalancer } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecAlb3AccessLogs: GuardrailRule = {
  id: "SEC-ALB-3",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "Application load balancers write access logs to S3 (access_logs { enabled = true, bucket })",
  resourceTypes: ["aws_lb", "aws_alb"],
  evaluate(lb) {
    if (!isApplicationLoadBalancer(lb)) return NOT_APPLICABLE;
    const logs = blocks(lb.values.access_logs)[0];
    // The provider's default for access_logs.enabled is false, even when a bucket is named.
    if (!logs || !isTrue(logs.enabled) || !logs.bucket) {
      return resultOf([
        `access logs are off (access_logs ${logs ? JSON.stringify({ enabled: logs.enabled ?? false, bucket: logs.bucket }) : "not set"}); ` +
          "set access_logs: { enabled: true, bucket } so requests can be traced after an incident",
      ]);
    }
    return resultOf([]);
  },
};
