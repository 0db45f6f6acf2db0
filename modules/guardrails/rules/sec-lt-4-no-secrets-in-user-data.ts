import { decodeUserData, scanForSecretWrites, scanForSecrets } from "../secrets";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecLt4NoSecretsInUserData: GuardrailRule = {
  id: "SEC-LT-4",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description:
    "Launch template user data holds no secret-looking literal and writes no secret to disk (base64 and Terraform-rendered user data are decoded)",
  resourceTypes: ["aws_launch_template"],
  evaluate(template) {
    const userData = template.values.user_data;
    if (typeof userData !== "string" || userData === "") return NOT_APPLICABLE;
    // User data readable by anyone with ec2:DescribeInstanceAttribute and kept in state: fetch
    // secrets at boot (Secrets Manager, SSM parameters) instead, into memory, never into a file.
    const decoded = decodeUserData(userData);
    const found = [
      ...[...scanForSecrets(userData), ...scanForSecretWrites(userData)].map((f) => ({ where: "user data", f })),
      ...(decoded !== undefined ? [...scanForSecrets(decoded), ...scanForSecretWrites(decoded)] : []).map((f) => ({ where: "decoded user data", f })),
    ];
    return resultOf(
      found.map(({ where, f }) =>
        f.kind === "secret-written-to-disk"
          ? `${where} line ${f.line}: ${f.excerpt}; keep it in the memory of the process that needs it (read it from Secrets Manager at run time)`
          : `${where} line ${f.line} has a ${f.kind} literal (${f.excerpt}); read it at boot from Secrets Manager or SSM Parameter Store`,
      ),
    );
  },
};
