import { SecretFinding, mayHoldSecret, scanForSecrets } from "../secrets";
import { holdsString } from "../synthesized-stack";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

/** Attributes SEC-LT-4 already scans, decoded; scanning them here too would report each secret twice. */
const COVERED_ELSEWHERE: Record<string, string> = { aws_launch_template: "user_data" };

export const SecSecret1NoSecretLiterals: GuardrailRule = {
  id: "SEC-SECRET-1",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description:
    "No resource attribute holds a secret-looking literal (AWS access key id, aws_secret_access_key, password = \"…\", private key)",
  resourceTypes: ["*"],
  evaluate(resource) {
    if (!holdsString(resource.values)) return NOT_APPLICABLE; // only numbers and booleans
    // Each attribute's text below is part of this one; most resources hold no secret-like word at all.
    if (!mayHoldSecret(JSON.stringify(resource.values))) return resultOf([]);
    const problems: string[] = [];
    for (const [attribute, value] of Object.entries(resource.values)) {
      if (COVERED_ELSEWHERE[resource.type] === attribute) continue;
      // Scanned with its key so `"master_password": "…"` is seen as an assignment.
      const findings: SecretFinding[] = scanForSecrets(JSON.stringify({ [attribute]: value }));
      for (const f of findings) {
        problems.push(`attribute ${attribute} holds a ${f.kind} literal (${f.excerpt}); pass secrets by reference (Secrets Manager, SSM)`);
      }
    }
    return resultOf(problems);
  },
};
