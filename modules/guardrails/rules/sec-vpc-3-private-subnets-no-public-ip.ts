import { isTrue } from "../synthesized-stack";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecVpc3PrivateSubnetsNoPublicIp: GuardrailRule = {
  id: "SEC-VPC-3",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description:
    "Subnets without a route to an internet gateway do not hand out public IPs (map_public_ip_on_launch = false)",
  resourceTypes: ["aws_subnet"],
  evaluate(subnet, stack) {
    const role = stack.roleOf(subnet);
    if (role === "public") return NOT_APPLICABLE;
    return resultOf(
      isTrue(subnet.values.map_public_ip_on_launch)
        ? [`is a ${role} subnet but sets map_public_ip_on_launch: true; set it to false`]
        : [],
    );
  },
};
