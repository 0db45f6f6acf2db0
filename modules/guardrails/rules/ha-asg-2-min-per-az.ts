import { autoScalingAzs, numberValue } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const HaAsg2MinPerAz: GuardrailRule = {
  id: "HA-ASG-2",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description: "Auto Scaling groups keep at least one instance per AZ (min_size >= number of AZs)",
  resourceTypes: ["aws_autoscaling_group"],
  evaluate(group, stack) {
    const { azs } = autoScalingAzs(group, stack);
    if (azs.length === 0) return NOT_APPLICABLE; // HA-ASG-1 reports the missing AZs
    const min = numberValue(group.values.min_size);
    if (min === undefined) {
      return resultOf([`min_size (${JSON.stringify(group.values.min_size)}) is not a number known at synth`]);
    }
    return resultOf(
      min >= azs.length
        ? []
        : [
            `min_size (${min}) is below the number of AZs (${azs.length}: ${azs.join(", ")}); losing an AZ can leave ` +
              `no instance until a replacement boots. Set min_size to ${azs.length} or more`,
          ],
    );
  },
};
