import { isTrue } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecRds3DeletionProtection: GuardrailRule = {
  id: "SEC-RDS-3",
  pack: PolicyPack.SECURITY,
  // A warning, not an error: development stacks turn it off on purpose so they tear down cleanly.
  level: RuleLevel.WARNING,
  description: "Aurora/RDS clusters have deletion protection (deletion_protection = true)",
  resourceTypes: ["aws_rds_cluster"],
  evaluate(cluster) {
    return resultOf(
      isTrue(cluster.values.deletion_protection)
        ? []
        : ["deletion_protection is off, so a `terraform destroy` or a replacement deletes the database; set deletionProtection: true"],
    );
  },
};
