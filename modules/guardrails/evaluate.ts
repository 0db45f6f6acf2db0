import { SynthesizedStack, SynthResource } from "./synthesized-stack";
import { GuardrailRule, RuleResult } from "./types";

/** One rule's verdict on one resource. */
export interface RuleEvaluation {
  readonly rule: GuardrailRule;
  readonly resource: SynthResource;
  readonly result: RuleResult;
}

/**
 * Runs rules over a synthesized stack and returns every verdict (compliant and not applicable
 * included, so tests can tell "passed" from "never looked"). Pure: no constructs, no annotations.
 */
export function evaluateRules(stack: SynthesizedStack, rules: readonly GuardrailRule[]): RuleEvaluation[] {
  const evaluations: RuleEvaluation[] = [];
  for (const rule of rules) {
    const targets = rule.resourceTypes.includes("*")
      ? [...stack.resources(), ...stack.otherBlocks()]
      : rule.resourceTypes.flatMap((type) => stack.resources(type));
    for (const resource of targets) evaluations.push({ rule, resource, result: rule.evaluate(resource, stack) });
  }
  return evaluations;
}
