import { TerraformStack, Testing } from "cdktf";
import { evaluateRules, RuleEvaluation } from "../../../modules/guardrails/evaluate";
import { Guardrails, GuardrailFinding } from "../../../modules/guardrails/guardrails";
import { findRule } from "../../../modules/guardrails/packs";
import { SynthesizedStack } from "../../../modules/guardrails/synthesized-stack";

/**
 * Runs the stack's aspects (as `Testing.synth` does) and returns the findings they recorded on
 * the constructs. `Testing.synth` itself ignores error annotations, so tests read the findings.
 */
export function synthFindings(stack: TerraformStack): GuardrailFinding[] {
  Testing.synth(stack);
  return Guardrails.findings(stack);
}

/** Findings of one rule. */
export function findingsOf(stack: TerraformStack, ruleId: string): GuardrailFinding[] {
  return synthFindings(stack).filter((f) => f.ruleId === ruleId);
}

/** Every verdict of one rule on the stack (compliant and not-applicable included). */
export function evaluationsOf(stack: TerraformStack, ruleId: string): RuleEvaluation[] {
  const rule = findRule(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  return evaluateRules(new SynthesizedStack(stack.toTerraform()), [rule]);
}

/** The construct path below the stack, e.g. `Web/Alb`; `(stack)` for the stack itself. */
export function relativePath(stack: TerraformStack, path: string): string {
  if (path === stack.node.path) return "(stack)";
  return path.startsWith(`${stack.node.path}/`) ? path.slice(stack.node.path.length + 1) : path;
}

/** `<path below the stack>: <problem>` of every finding of one rule, the form tests compare whole. */
export function findingLines(stack: TerraformStack, ruleId: string): string[] {
  return findingsOf(stack, ruleId).map((f) => `${relativePath(stack, f.path)}: ${f.problem}`);
}
