import { isTrue } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecRds6NotPublic: GuardrailRule = {
  id: "SEC-RDS-6",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "Database instances are not publicly accessible (publicly_accessible not true)",
  resourceTypes: ["aws_rds_cluster_instance", "aws_db_instance"],
  evaluate(instance) {
    return resultOf(
      isTrue(instance.values.publicly_accessible)
        ? ["publicly_accessible is true, giving the database a public DNS name and IP; set publiclyAccessible: false"]
        : [],
    );
  },
};
