import { SynthesizedStack, SynthResource } from "./synthesized-stack";

/** A named set of rules; HaStack turns on every pack by default. */
export enum PolicyPack {
  /** Network exposure, encryption, secrets, audit trails. */
  SECURITY = "security",
  /** Survives the loss of one Availability Zone. */
  HA = "ha",
}

/** What a finding of a rule does to the synth. */
export enum RuleLevel {
  /** Fails `cdktf synth` (and `app.synth()`, `planOffline`) unless suppressed. */
  ERROR = "error",
  /** Printed by the synth and listed in the report; does not fail it. */
  WARNING = "warning",
}

/** The outcome of one rule on one resource, as in cdk-nag. */
export enum Compliance {
  COMPLIANT = "COMPLIANT",
  NON_COMPLIANT = "NON_COMPLIANT",
  /** The rule does not concern this resource (e.g. a network load balancer for an ALB-only rule). */
  NOT_APPLICABLE = "NOT_APPLICABLE",
}

/** The result of evaluating a rule on a resource; non-compliance carries what is wrong. */
export type RuleResult =
  | { readonly compliance: Compliance.COMPLIANT | Compliance.NOT_APPLICABLE }
  | { readonly compliance: Compliance.NON_COMPLIANT; readonly problems: readonly string[] };

export const COMPLIANT: RuleResult = { compliance: Compliance.COMPLIANT };
export const NOT_APPLICABLE: RuleResult = { compliance: Compliance.NOT_APPLICABLE };

/** Compliant when no problem was found, else non-compliant with the problems. */
export function resultOf(problems: readonly string[]): RuleResult {
  return problems.length === 0 ? COMPLIANT : { compliance: Compliance.NON_COMPLIANT, problems };
}

/**
 * One guardrail. Rules are pure functions of the synthesized stack: they see exactly what
 * Terraform gets (escape-hatch overrides included) and follow `${type.name.attr}` references to
 * reach the resources they depend on, so they never depend on a module's TypeScript API.
 */
export interface GuardrailRule {
  /** Stable id used in messages and suppressions, e.g. `HA-NAT-1`. */
  readonly id: string;
  readonly pack: PolicyPack;
  readonly level: RuleLevel;
  /** The requirement, phrased as what a compliant stack does. */
  readonly description: string;
  /** Terraform resource types the rule is evaluated on; `"*"` means every resource. */
  readonly resourceTypes: readonly string[];
  evaluate(resource: SynthResource, stack: SynthesizedStack): RuleResult;
}
