import { GuardrailRule, PolicyPack } from "./types";
import { HaAlb1MultiAz } from "./rules/ha-alb-1-multi-az";
import { HaAsg1MultiAz } from "./rules/ha-asg-1-multi-az";
import { HaAsg2MinPerAz } from "./rules/ha-asg-2-min-per-az";
import { HaAsg3ElbHealthChecks } from "./rules/ha-asg-3-elb-health-checks";
import { HaDb1ReaderInOtherAz } from "./rules/ha-db-1-reader-in-other-az";
import { HaDb2ConnectionBudget } from "./rules/ha-db-2-connection-budget";
import { HaMon1Alarms } from "./rules/ha-mon-1-alarms";
import { HaNat1NatPerAz } from "./rules/ha-nat-1-nat-per-az";
import { HaSubnet1MultiAz } from "./rules/ha-subnet-1-multi-az";
import { HaVpce1EndpointInEveryAz } from "./rules/ha-vpce-1-endpoint-in-every-az";
import { SecAlb1DropInvalidHeaders } from "./rules/sec-alb-1-drop-invalid-headers";
import { SecAlb2Tls } from "./rules/sec-alb-2-tls";
import { SecAlb3AccessLogs } from "./rules/sec-alb-3-access-logs";
import { SecLt1Imdsv2 } from "./rules/sec-lt-1-imdsv2";
import { SecLt2EncryptedVolumes } from "./rules/sec-lt-2-encrypted-volumes";
import { SecLt3NoPublicIp } from "./rules/sec-lt-3-no-public-ip";
import { SecLt4NoSecretsInUserData } from "./rules/sec-lt-4-no-secrets-in-user-data";
import { SecRds1Encryption } from "./rules/sec-rds-1-encryption";
import { SecRds2Backups } from "./rules/sec-rds-2-backups";
import { SecRds3DeletionProtection } from "./rules/sec-rds-3-deletion-protection";
import { SecRds4IamAuth } from "./rules/sec-rds-4-iam-auth";
import { SecRds5LogExports } from "./rules/sec-rds-5-log-exports";
import { SecRds6NotPublic } from "./rules/sec-rds-6-not-public";
import { SecRds7ManagedPassword } from "./rules/sec-rds-7-managed-password";
import { SecSecret1NoSecretLiterals } from "./rules/sec-secret-1-no-secret-literals";
import { SecSg1AdminPorts } from "./rules/sec-sg-1-admin-ports";
import { SecSg2Descriptions } from "./rules/sec-sg-2-descriptions";
import { SecSg3DatabaseFromSecurityGroups } from "./rules/sec-sg-3-database-from-security-groups";
import { SecVpc1FlowLogs } from "./rules/sec-vpc-1-flow-logs";
import { SecVpc2DefaultSecurityGroup } from "./rules/sec-vpc-2-default-security-group";
import { SecVpc3PrivateSubnetsNoPublicIp } from "./rules/sec-vpc-3-private-subnets-no-public-ip";

/** The security pack: exposure, encryption, secrets and audit trails. */
export const SECURITY_PACK: readonly GuardrailRule[] = [
  SecSg1AdminPorts,
  SecSg2Descriptions,
  SecSg3DatabaseFromSecurityGroups,
  SecAlb1DropInvalidHeaders,
  SecAlb2Tls,
  SecAlb3AccessLogs,
  SecLt1Imdsv2,
  SecLt2EncryptedVolumes,
  SecLt3NoPublicIp,
  SecLt4NoSecretsInUserData,
  SecRds1Encryption,
  SecRds2Backups,
  SecRds3DeletionProtection,
  SecRds4IamAuth,
  SecRds5LogExports,
  SecRds6NotPublic,
  SecRds7ManagedPassword,
  SecVpc1FlowLogs,
  SecVpc2DefaultSecurityGroup,
  SecVpc3PrivateSubnetsNoPublicIp,
  SecSecret1NoSecretLiterals,
];

/** The HA pack: every tier survives the loss of one Availability Zone. */
export const HA_PACK: readonly GuardrailRule[] = [
  HaSubnet1MultiAz,
  HaNat1NatPerAz,
  HaAlb1MultiAz,
  HaAsg1MultiAz,
  HaAsg2MinPerAz,
  HaAsg3ElbHealthChecks,
  HaDb1ReaderInOtherAz,
  HaVpce1EndpointInEveryAz,
  HaDb2ConnectionBudget,
  HaMon1Alarms,
];

/** Rules of each pack. */
export const PACK_RULES: Readonly<Record<PolicyPack, readonly GuardrailRule[]>> = {
  [PolicyPack.SECURITY]: SECURITY_PACK,
  [PolicyPack.HA]: HA_PACK,
};

/** Every rule, security first. */
export const ALL_RULES: readonly GuardrailRule[] = [...SECURITY_PACK, ...HA_PACK];

/** The packs HaStack checks unless told otherwise: all of them. */
export const DEFAULT_POLICY_PACKS: readonly PolicyPack[] = [PolicyPack.SECURITY, PolicyPack.HA];

/** The rule with this id, if any. */
export function findRule(id: string): GuardrailRule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}
