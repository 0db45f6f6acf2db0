import { isTrue } from "../synthesized-stack";
import { isApplicationLoadBalancer } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecAlb1DropInvalidHeaders: GuardrailRule = {
  id: "SEC-ALB-1",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "Application load balancers drop HTTP headers with invalid fields (drop_invalid_header_fields = true)",
  resourceTypes: ["aws_lb", "aws_alb"],
  evaluate(lb) {
    if (!isApplicationLoadBalancer(lb)) return NOT_APPLICABLE;
    return resultOf(
      isTrue(lb.values.drop_invalid_header_fields)
        ? []
        : [
            `drop_invalid_header_fields is ${JSON.stringify(lb.values.drop_invalid_header_fields ?? false)}, so malformed ` +
              "headers reach the targets (a request-smuggling vector); set drop_invalid_header_fields: true",
          ],
    );
  },
};
