import { SynthesizedStack } from "../synthesized-stack";
import { databaseSecurityGroups, ingressPermissions } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecSg3DatabaseFromSecurityGroups: GuardrailRule = {
  id: "SEC-SG-3",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "A database's security group admits only other security groups, never CIDR blocks or prefix lists",
  resourceTypes: ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"],
  evaluate(resource, stack) {
    const dbGroups = databaseSecurityGroups(stack);
    const permissions = ingressPermissions(resource, stack).filter((p) => p.securityGroup && dbGroups.has(p.securityGroup));
    if (permissions.length === 0) return NOT_APPLICABLE;
    const problems = permissions
      .filter((p) => p.networkSources.length > 0)
      .map((p) => {
        const db = dbGroups.get(p.securityGroup!)!;
        return (
          `admits ${p.networkSources.join(", ")} into ${SynthesizedStack.label(p.securityGroup!)}, the security group of ` +
          `database ${SynthesizedStack.label(db)}; allow the app's security group instead (referenced_security_group_id)`
        );
      });
    return resultOf(problems);
  },
};
