import { loadBalancerSubnetIds, MIN_HA_AZS } from "../rule-helpers";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const HaAlb1MultiAz: GuardrailRule = {
  id: "HA-ALB-1",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description: `Load balancers have subnets in at least ${MIN_HA_AZS} AZs`,
  resourceTypes: ["aws_lb", "aws_alb"],
  evaluate(lb, stack) {
    const spread = stack.subnetSpread(loadBalancerSubnetIds(lb));
    const problems: string[] = [];
    if (spread.azs.length < MIN_HA_AZS) {
      problems.push(
        `its subnets span ${spread.azs.length} AZ (${spread.azs.join(", ") || "none known"}); give it a public subnet in each AZ`,
      );
    }
    if (spread.unknown.length > 0) problems.push(`the AZ of ${spread.unknown.join(", ")} cannot be told from this stack`);
    return resultOf(problems);
  },
};
