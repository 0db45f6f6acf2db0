import { isTrue } from "../synthesized-stack";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecRds7ManagedPassword: GuardrailRule = {
  id: "SEC-RDS-7",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description:
    "Aurora/RDS clusters let RDS manage the master password in Secrets Manager (manage_master_user_password = true, no master_password)",
  resourceTypes: ["aws_rds_cluster"],
  evaluate(cluster) {
    const v = cluster.values;
    const problems: string[] = [];
    if (v.master_password !== undefined && v.master_password !== null) {
      // Even a reference puts the password in Terraform state in plain text.
      problems.push("sets master_password, which lands in Terraform state in plain text; remove it");
    }
    // Secondary clusters of a global database and restores inherit credentials from their source.
    const inherits = v.snapshot_identifier || v.replication_source_identifier || v.global_cluster_identifier;
    if (!isTrue(v.manage_master_user_password) && !inherits) {
      problems.push("manage_master_user_password is not true; set manageMasterUserPassword: true so RDS keeps and rotates it");
    }
    if (problems.length === 0 && inherits && !isTrue(v.manage_master_user_password)) return NOT_APPLICABLE;
    return resultOf(problems);
  },
};
