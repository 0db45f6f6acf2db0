import { blocks, isTrue } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecLt3NoPublicIp: GuardrailRule = {
  id: "SEC-LT-3",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "Launch templates give instances no public IP (network_interfaces.associate_public_ip_address not true)",
  resourceTypes: ["aws_launch_template"],
  evaluate(template) {
    const problems = blocks(template.values.network_interfaces)
      .filter((ni) => isTrue(ni.associate_public_ip_address))
      .map(
        (ni) =>
          `network interface ${ni.device_index ?? 0} sets associate_public_ip_address: true, putting instances on the ` +
          "internet; keep them in private subnets behind the load balancer",
      );
    return resultOf(problems);
  },
};
