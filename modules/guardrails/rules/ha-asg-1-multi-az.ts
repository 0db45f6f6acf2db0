import { autoScalingAzs, MIN_HA_AZS } from "../rule-helpers";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const HaAsg1MultiAz: GuardrailRule = {
  id: "HA-ASG-1",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description: `Auto Scaling groups launch into at least ${MIN_HA_AZS} AZs`,
  resourceTypes: ["aws_autoscaling_group"],
  evaluate(group, stack) {
    const { azs, unknown } = autoScalingAzs(group, stack);
    const problems: string[] = [];
    if (azs.length < MIN_HA_AZS) {
      problems.push(
        `it launches into ${azs.length} AZ (${azs.join(", ") || "none known"}); list a private subnet of each AZ in vpc_zone_identifier`,
      );
    }
    if (unknown.length > 0) problems.push(`the AZ of ${unknown.join(", ")} cannot be told from this stack`);
    return resultOf(problems);
  },
};
