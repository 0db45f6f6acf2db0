import { blocks } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecVpc2DefaultSecurityGroup: GuardrailRule = {
  id: "SEC-VPC-2",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "Every VPC's default security group is adopted with no rules (aws_default_security_group without ingress/egress)",
  resourceTypes: ["aws_vpc"],
  evaluate(vpc, stack) {
    const adopted = stack.referrers("aws_default_security_group", "vpc_id", vpc);
    if (adopted.length === 0) {
      return resultOf([
        "leaves its default security group as AWS creates it (all traffic between members, all egress); " +
          "adopt it with an aws_default_security_group that has no rules",
      ]);
    }
    const problems = adopted
      .filter((sg) => blocks(sg.values.ingress).length > 0 || blocks(sg.values.egress).length > 0)
      .map((sg) => `default security group ${sg.path ?? sg.address} has rules; remove every ingress and egress block`);
    return resultOf(problems);
  },
};
