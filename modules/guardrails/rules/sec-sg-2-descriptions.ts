import { blocks } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

/** What Terraform writes when a security group is given no description. */
const TERRAFORM_DEFAULT_DESCRIPTION = "Managed by Terraform";

export const SecSg2Descriptions: GuardrailRule = {
  id: "SEC-SG-2",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.WARNING,
  description: "Security groups and each of their rules carry a description saying what they allow and why",
  resourceTypes: [
    "aws_security_group",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_security_group_rule",
  ],
  evaluate(resource) {
    const v = resource.values;
    const problems: string[] = [];
    if (resource.type === "aws_security_group") {
      // An expression may well produce a good description; only a missing or default one is flagged.
      if (!v.description || v.description === TERRAFORM_DEFAULT_DESCRIPTION) {
        problems.push(`has no description (Terraform would write "${TERRAFORM_DEFAULT_DESCRIPTION}"); set description`);
      }
      const inline = [...blocks(v.ingress).map((b) => ["ingress", b] as const), ...blocks(v.egress).map((b) => ["egress", b] as const)];
      inline.forEach(([direction, block], i) => {
        if (!block.description) problems.push(`inline ${direction} rule #${i + 1} has no description`);
      });
    } else if (typeof v.description !== "string" || v.description.trim() === "") {
      problems.push("has no description; say what the rule allows and why");
    }
    return resultOf(problems);
  },
};
