import { numberValue } from "../rule-helpers";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

/** Fewest days of automated backups (point-in-time restore window) we accept. */
export const POLICY_MIN_BACKUP_RETENTION_DAYS = 7;
/** What AWS keeps when backup_retention_period is not set. */
const AWS_DEFAULT_BACKUP_RETENTION_DAYS = 1;

export const SecRds2Backups: GuardrailRule = {
  id: "SEC-RDS-2",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: `Aurora/RDS clusters keep automated backups for at least ${POLICY_MIN_BACKUP_RETENTION_DAYS} days (backup_retention_period)`,
  resourceTypes: ["aws_rds_cluster"],
  evaluate(cluster) {
    const raw = cluster.values.backup_retention_period;
    const days = raw === undefined ? AWS_DEFAULT_BACKUP_RETENTION_DAYS : numberValue(raw);
    if (days !== undefined && days >= POLICY_MIN_BACKUP_RETENTION_DAYS) return resultOf([]);
    return resultOf([
      `backup_retention_period is ${raw === undefined ? `unset (AWS keeps ${AWS_DEFAULT_BACKUP_RETENTION_DAYS} day)` : JSON.stringify(raw)}; ` +
        `set backupRetentionPeriod to ${POLICY_MIN_BACKUP_RETENTION_DAYS} or more so a bad deploy found after a weekend can be rolled back`,
    ]);
  },
};
