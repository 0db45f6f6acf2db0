import { isTrue } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecRds1Encryption: GuardrailRule = {
  id: "SEC-RDS-1",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "Aurora/RDS clusters encrypt storage (storage_encrypted = true)",
  resourceTypes: ["aws_rds_cluster"],
  evaluate(cluster) {
    // Encryption can only be chosen at creation; turning it on later means a snapshot restore.
    return resultOf(
      isTrue(cluster.values.storage_encrypted)
        ? []
        : [`storage_encrypted is ${JSON.stringify(cluster.values.storage_encrypted ?? false)}; set storageEncrypted: true (only possible at creation)`],
    );
  },
};
