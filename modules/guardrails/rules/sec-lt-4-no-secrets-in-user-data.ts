import { decodeBase64Text, scanForSecrets } from "../secrets";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecLt4NoSecretsInUserData: GuardrailRule = {
  id: "SEC-LT-4",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description:
    "Launch template user data holds no secret-looking literal (base64 literals are decoded; expressions cannot be checked)",
  resourceTypes: ["aws_launch_template"],
  evaluate(template) {
    const userData = template.values.user_data;
    if (typeof userData !== "string" || userData === "") return NOT_APPLICABLE;
    // User data readable by anyone with ec2:DescribeInstanceAttribute and kept in state: fetch
    // secrets at boot (Secrets Manager, SSM parameters) instead.
    const decoded = decodeBase64Text(userData);
    const found = [
      ...scanForSecrets(userData).map((f) => ({ where: "user data", f })),
      ...(decoded !== undefined ? scanForSecrets(decoded) : []).map((f) => ({ where: "decoded user data", f })),
    ];
    return resultOf(
      found.map(
        ({ where, f }) =>
          `${where} line ${f.line} has a ${f.kind} literal (${f.excerpt}); read it at boot from Secrets Manager or SSM Parameter Store`,
      ),
    );
  },
};
