import { blocks, isTrue } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecLt2EncryptedVolumes: GuardrailRule = {
  id: "SEC-LT-2",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description:
    "Launch templates encrypt every EBS volume they map (ebs.encrypted = true), or the stack turns on EBS encryption by default",
  resourceTypes: ["aws_launch_template"],
  evaluate(template, stack) {
    const encryptedByDefault = stack
      .resources("aws_ebs_encryption_by_default")
      .some((r) => r.values.enabled === undefined || isTrue(r.values.enabled));
    if (encryptedByDefault) return resultOf([]);
    const volumes = blocks(template.values.block_device_mappings).filter((m) => blocks(m.ebs).length > 0);
    if (volumes.length === 0) {
      return resultOf([
        "maps no EBS volume, so the root volume is encrypted only if the AMI's snapshot is; map the root device " +
          '(e.g. /dev/xvda) with ebs: { encrypted: "true" } or add aws_ebs_encryption_by_default',
      ]);
    }
    const problems = volumes
      .filter((m) => !isTrue(blocks(m.ebs)[0].encrypted))
      .map((m) => `volume ${m.device_name ?? "(no device_name)"} is not encrypted; set ebs.encrypted: "true"`);
    return resultOf(problems);
  },
};
