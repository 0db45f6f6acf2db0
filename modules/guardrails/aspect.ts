import { Construct, IConstruct } from "constructs";
import { IAspect, TerraformStack } from "cdktf";
import { checkStack, resolvePolicyPacks } from "./guardrails";
import { DEFAULT_POLICY_PACKS, PACK_RULES } from "./packs";
import { GuardrailRule, PolicyPack } from "./types";

/** Properties of {@link GuardrailsAspect}. */
export interface GuardrailsAspectProps {
  /**
   * Policy packs to check.
   * @default DEFAULT_POLICY_PACKS (security and HA)
   */
  readonly packs?: PolicyPack[];
}

/** Id of the construct the aspect adds to each stack it checks. */
export const GUARDRAILS_CHECKPOINT_ID = "GuardrailsCheckpoint";

/**
 * An empty construct, appended as the stack's last child when the aspect first visits the stack.
 * Aspects visit the tree depth first, so by the time any aspect reaches this node every aspect
 * ahead of it has visited every resource: evaluating here sees their changes too.
 */
class GuardrailsCheckpoint extends Construct {}

/**
 * Checks a stack against policy packs at synth time and records findings as annotations: errors
 * fail `cdktf synth` / `app.synth()` / `planOffline`, warnings are printed, suppressed findings
 * are kept as info. HaStack adds one with both packs; add it yourself to any other stack with
 * `Aspects.of(stack).add(new GuardrailsAspect())`.
 */
export class GuardrailsAspect implements IAspect {
  public readonly packs: readonly PolicyPack[];
  public readonly rules: readonly GuardrailRule[];

  constructor(props: GuardrailsAspectProps = {}) {
    this.packs = resolvePolicyPacks(props.packs, DEFAULT_POLICY_PACKS, "GuardrailsAspect: packs");
    this.rules = this.packs.flatMap((pack) => PACK_RULES[pack]);
  }

  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) {
      if (!node.node.tryFindChild(GUARDRAILS_CHECKPOINT_ID)) new GuardrailsCheckpoint(node, GUARDRAILS_CHECKPOINT_ID);
      return;
    }
    if (node instanceof GuardrailsCheckpoint) checkStack(TerraformStack.of(node), this.rules);
  }
}
