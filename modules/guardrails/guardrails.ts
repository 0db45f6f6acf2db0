import { Construct, IConstruct } from "constructs";
import { Annotations, TerraformStack } from "cdktf";
import { ValidationError, show } from "../../lib/errors";
import { describeType } from "../../lib/checks";
import { evaluateRules } from "./evaluate";
import { ALL_RULES, findRule } from "./packs";
import { SynthesizedStack } from "./synthesized-stack";
import { Compliance, GuardrailRule, PolicyPack, RuleLevel } from "./types";

/** Shortest reason a suppression may carry (as cdk-nag): long enough to say why, not just "ok". */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;
/** Construct metadata type of a suppression. */
export const SUPPRESSION_METADATA_TYPE = "cdktf-aws-ha/guardrails/suppression";
/** Construct metadata type of a finding (besides the annotation users see). */
export const FINDING_METADATA_TYPE = "cdktf-aws-ha/guardrails/finding";

/**
 * The findings of each stack's latest check. Construct metadata cannot be removed, so a finding an
 * earlier synth recorded stays in the metadata after the tree changed; this set says which still hold.
 */
const LATEST_CHECK = new WeakMap<IConstruct, ReadonlySet<GuardrailFinding>>();

/** Findings recorded on this construct itself, by this synth or an earlier one. */
function recordedOn(construct: IConstruct): GuardrailFinding[] {
  return construct.node.metadata.filter((m) => m.type === FINDING_METADATA_TYPE).map((m) => m.data as GuardrailFinding);
}

/** The latest check's findings of the stack holding `construct`; undefined when it was never checked. */
function latestCheckOf(construct: IConstruct): ReadonlySet<GuardrailFinding> | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const latest = LATEST_CHECK.get(scope);
    if (latest) return latest;
  }
  return undefined;
}

/** A suppression as declared on a construct. */
export interface DeclaredSuppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Construct path it was declared on; it covers that construct and everything below. */
  readonly path: string;
}

/** A rule a resource does not comply with. */
export interface GuardrailFinding {
  readonly ruleId: string;
  readonly level: RuleLevel;
  /** The rule's requirement. */
  readonly description: string;
  /** Terraform address of the resource, e.g. `aws_route_table.Network_us-east-1b_PrivateRouteTable_D35897B3`. */
  readonly resource: string;
  /** Construct path the finding is attached to (the resource's construct, or the stack). */
  readonly path: string;
  /** What is wrong with this resource and how to fix it. */
  readonly problem: string;
  /** Set when a suppression covers the finding: it is reported as info and does not fail the synth. */
  readonly suppressedBy?: DeclaredSuppression;
  /** The annotation text. */
  readonly message: string;
}

/**
 * The guardrails' public entry points: accept a rule for part of the tree with a written reason,
 * and read what the policy packs found (after a synth, or `Testing.synth`).
 */
export class Guardrails {
  /**
   * Accepts rule `ruleId` for `scope` and every construct below it. The finding is still
   * reported (as info, and in the HA report) with the reason, so the trade-off stays visible.
   *
   * @param reason why the rule does not apply here; at least MIN_SUPPRESSION_REASON_LENGTH characters
   */
  public static suppress(scope: IConstruct, ruleId: string, reason: string): void {
    if (!Construct.isConstruct(scope)) {
      throw new ValidationError(
        `Guardrails.suppress: scope (${show(scope)}) is ${describeType(scope)}, not a construct; pass the construct ` +
          `whose finding you accept, e.g. Guardrails.suppress(network, "HA-NAT-1", "<why>")`,
      );
    }
    if (typeof ruleId !== "string" || !findRule(ruleId)) {
      const near = typeof ruleId === "string" ? findRule(ruleId.trim().toUpperCase()) : undefined;
      throw new ValidationError(
        `Guardrails.suppress: ruleId (${show(ruleId)}) is not a guardrail rule; ` +
          (near ? `did you mean "${near.id}"?` : `use one of ${ALL_RULES.map((r) => r.id).join(", ")}`),
        scope,
      );
    }
    const trimmed = typeof reason === "string" ? reason.trim() : "";
    if (trimmed.length < MIN_SUPPRESSION_REASON_LENGTH) {
      throw new ValidationError(
        `Guardrails.suppress: reason (${show(reason)}) for ${ruleId} has ${trimmed.length} characters; write at least ` +
          `${MIN_SUPPRESSION_REASON_LENGTH} saying why the rule does not apply here`,
        scope,
      );
    }
    const existing = Guardrails.suppressionsOn(scope).find((s) => s.ruleId === ruleId);
    if (existing) {
      throw new ValidationError(
        `Guardrails.suppress: ruleId (${show(ruleId)}) is already suppressed here (reason ${show(existing.reason)}); ` +
          "suppress each rule once per construct",
        scope,
      );
    }
    scope.node.addMetadata(SUPPRESSION_METADATA_TYPE, { ruleId, reason: trimmed });
  }

  /** Suppressions declared on this construct itself. */
  public static suppressionsOn(construct: IConstruct): DeclaredSuppression[] {
    return construct.node.metadata
      .filter((m) => m.type === SUPPRESSION_METADATA_TYPE)
      .map((m) => ({ ruleId: m.data.ruleId, reason: m.data.reason, path: construct.node.path }));
  }

  /** Every suppression declared in the subtree of `scope`, in tree order. */
  public static suppressions(scope: IConstruct): DeclaredSuppression[] {
    return scope.node.findAll().flatMap((c) => Guardrails.suppressionsOn(c));
  }

  /** The suppression of `ruleId` that covers a construct: its own, else the nearest ancestor's. */
  public static suppressionFor(construct: IConstruct, ruleId: string): DeclaredSuppression | undefined {
    for (const scope of [...construct.node.scopes].reverse()) {
      const found = Guardrails.suppressionsOn(scope).find((s) => s.ruleId === ruleId);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Findings of the latest check (synth) in the subtree of `scope`, suppressed ones included, in tree
   * order. A finding an earlier synth recorded and the latest no longer makes (the tree was fixed or
   * a suppression added since) is left out; its annotation from that synth stays on the construct
   * (constructs cannot drop metadata), so after changing a tree, synthesize a freshly built one.
   */
  public static findings(scope: IConstruct): GuardrailFinding[] {
    return scope.node.findAll().flatMap((c) => {
      const latest = latestCheckOf(c);
      return recordedOn(c).filter((f) => !latest || latest.has(f));
    });
  }

  /** Findings that fail or warn: not suppressed. */
  public static unsuppressedFindings(scope: IConstruct): GuardrailFinding[] {
    return Guardrails.findings(scope).filter((f) => !f.suppressedBy);
  }
}

/**
 * Validates a list of policy packs (HaStack's `policyPacks`, GuardrailsAspect's `packs`).
 * @param field the prop name for messages, e.g. `HaStack: policyPacks`
 */
export function resolvePolicyPacks(
  packs: readonly PolicyPack[] | undefined,
  defaults: readonly PolicyPack[],
  field: string,
  scope?: IConstruct,
): readonly PolicyPack[] {
  if (packs === undefined) return defaults;
  const valid = Object.values(PolicyPack) as string[];
  if (!Array.isArray(packs)) {
    throw new ValidationError(`${field} (${show(packs)}) must be a list of PolicyPack; use e.g. [PolicyPack.SECURITY, PolicyPack.HA]`, scope);
  }
  for (const pack of packs) {
    if (!valid.includes(pack)) {
      throw new ValidationError(`${field} contains ${show(pack)}, which is not a PolicyPack; use ${show(valid)}`, scope);
    }
  }
  const duplicate = packs.find((p, i) => packs.indexOf(p) !== i);
  if (duplicate) throw new ValidationError(`${field} (${show(packs)}) lists ${show(duplicate)} twice; list each pack once`, scope);
  return packs;
}

/**
 * Evaluates rules over a stack's synthesized JSON and records each non-compliance on the
 * resource's construct: an error or warning annotation, or an info annotation when suppressed.
 * Idempotent: a finding already recorded (e.g. by an earlier `Testing.synth`) is not repeated.
 * Returns the findings of this check, recorded now or before.
 */
export function checkStack(stack: TerraformStack, rules: readonly GuardrailRule[]): GuardrailFinding[] {
  // HaStack resolves once for the checks and the synthesizer (see terraformForPolicyChecks).
  const forChecks = (stack as { terraformForPolicyChecks?: () => any }).terraformForPolicyChecks;
  const synthesized = new SynthesizedStack(forChecks ? forChecks.call(stack) : stack.toTerraform());
  const constructs = new Map<string, IConstruct>(stack.node.findAll().map((c) => [c.node.path, c]));
  const current: GuardrailFinding[] = [];
  for (const { rule, resource, result } of evaluateRules(synthesized, rules)) {
    if (result.compliance !== Compliance.NON_COMPLIANT) continue;
    // Resources injected by raw overrides have no construct; their findings go on the stack.
    const target = (resource.path && constructs.get(resource.path)) || stack;
    const problem = result.problems.join("; ");
    const suppressedBy = Guardrails.suppressionFor(target, rule.id);
    const same = recordedOn(target).find(
      (f) =>
        f.ruleId === rule.id &&
        f.resource === resource.address &&
        f.problem === problem &&
        // A construct suppresses a rule at most once, so the path tells the suppression.
        f.suppressedBy?.path === suppressedBy?.path,
    );
    if (same) {
      current.push(same);
      continue;
    }
    // The synthesizer prefixes the construct path; name the path here only when it is not the resource's.
    const where = target.node.path === resource.path ? resource.address : `${resource.address} (${resource.path ?? "no construct"})`;
    const message = suppressedBy
      ? `[${rule.id}] suppressed at ${suppressedBy.path}: ${suppressedBy.reason} — ${where}: ${problem}`
      : `[${rule.id}] ${where}: ${problem}. Rule: ${rule.description}. To accept it, call ` +
        `Guardrails.suppress(scope, "${rule.id}", "<reason>") on this construct or a parent`;
    const finding: GuardrailFinding = {
      ruleId: rule.id,
      level: rule.level,
      description: rule.description,
      resource: resource.address,
      path: target.node.path,
      problem,
      suppressedBy,
      message,
    };
    target.node.addMetadata(FINDING_METADATA_TYPE, finding);
    const annotations = Annotations.of(target);
    if (suppressedBy) annotations.addInfo(message);
    else if (rule.level === RuleLevel.ERROR) annotations.addError(message);
    else annotations.addWarning(message);
    current.push(finding);
  }
  // Another check of this stack (a second GuardrailsAspect) may have judged other rules: keep its findings.
  const checked = new Set(rules.map((r) => r.id));
  const others = [...(LATEST_CHECK.get(stack) ?? [])].filter((f) => !checked.has(f.ruleId));
  LATEST_CHECK.set(stack, new Set([...others, ...current]));
  return current;
}
