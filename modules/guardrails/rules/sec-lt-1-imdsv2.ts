import { blocks } from "../synthesized-stack";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecLt1Imdsv2: GuardrailRule = {
  id: "SEC-LT-1",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "Launch templates require IMDSv2 (metadata_options.http_tokens = \"required\")",
  resourceTypes: ["aws_launch_template"],
  evaluate(template) {
    const options = blocks(template.values.metadata_options)[0];
    const tokens = options?.http_tokens;
    if (tokens === "required") return resultOf([]);
    return resultOf([
      `metadata_options.http_tokens is ${JSON.stringify(tokens ?? "unset (IMDSv1 allowed)")}, so an SSRF bug can read the ` +
        'instance role\'s credentials; set metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" }',
    ]);
  },
};
