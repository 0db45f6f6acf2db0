import { isTrue } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecRds4IamAuth: GuardrailRule = {
  id: "SEC-RDS-4",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.WARNING,
  description: "Aurora/RDS clusters accept IAM database authentication (iam_database_authentication_enabled = true)",
  resourceTypes: ["aws_rds_cluster"],
  evaluate(cluster) {
    return resultOf(
      isTrue(cluster.values.iam_database_authentication_enabled)
        ? []
        : [
            "iam_database_authentication_enabled is off, so apps need long-lived database passwords; " +
              "set iamDatabaseAuthenticationEnabled: true",
          ],
    );
  },
};
