import { AzLossReport, AzLossScenario } from "../guardrails/az-loss-report";
import { listText } from "../guardrails/rule-helpers";
import { CostEstimate } from "./estimate";

/** What a stack loses when one AZ goes, by tier, read from its AZ-loss report. */
export interface AzLossSummary {
  readonly lostAz: string;
  /** In this order, those that lose service: `egress`, `database`, `app`. */
  readonly loses: readonly ("egress" | "database" | "app")[];
}

/** What the more expensive of two stacks buys, in money and in AZ losses survived. */
export interface HaCostComparison {
  /** The stack compared against (e.g. `dev`). */
  readonly baseline: string;
  /** The stack whose extra cost is explained (e.g. `lab`). */
  readonly candidate: string;
  readonly baselineMonthlyUsd: number;
  readonly candidateMonthlyUsd: number;
  /** candidate − baseline; negative when the candidate is cheaper. */
  readonly monthlyDifferenceUsd: number;
  /** False when either estimate has unpriced lines: the difference is then not the whole story. */
  readonly complete: boolean;
  readonly baselineLosses: readonly AzLossSummary[];
  readonly candidateLosses: readonly AzLossSummary[];
  /** "lab costs $X/month more than dev and survives the loss of any one AZ; dev loses …". */
  readonly summary: string;
}

/** One stack's estimate and AZ-loss report. */
export interface CostedStack {
  readonly estimate: CostEstimate;
  readonly report: AzLossReport;
}

/**
 * Puts the monthly difference between two stacks beside what it buys: which AZ losses each
 * survives, derived from their AZ-loss reports (never written by hand).
 */
export function compareHaCost(baseline: CostedStack, candidate: CostedStack): HaCostComparison {
  const difference = Math.round((candidate.estimate.monthlyTotalUsd - baseline.estimate.monthlyTotalUsd) * 100) / 100;
  const baselineLosses = summarizeLosses(baseline.report);
  const candidateLosses = summarizeLosses(candidate.report);
  const complete = baseline.estimate.unpriced.length === 0 && candidate.estimate.unpriced.length === 0;
  const money =
    difference === 0
      ? `${candidate.report.stack} costs the same as ${baseline.report.stack}`
      : `${candidate.report.stack} costs ${formatUsd(Math.abs(difference))}/month ${difference > 0 ? "more" : "less"} than ${baseline.report.stack}`;
  const summary =
    `${money}${complete ? "" : " (priced lines only; some lines are unpriced)"} and ` +
    `${lossText(candidate.report.stack, candidateLosses, candidate.report, true)}; ` +
    `${lossText(baseline.report.stack, baselineLosses, baseline.report, false)}.`;
  return {
    baseline: baseline.report.stack,
    candidate: candidate.report.stack,
    baselineMonthlyUsd: baseline.estimate.monthlyTotalUsd,
    candidateMonthlyUsd: candidate.estimate.monthlyTotalUsd,
    monthlyDifferenceUsd: difference,
    complete,
    baselineLosses,
    candidateLosses,
    summary,
  };
}

/** Per lost AZ that costs service: which tiers go. */
export function summarizeLosses(report: AzLossReport): AzLossSummary[] {
  return report.scenarios.filter((s) => !s.keepsService).map((s) => ({ lostAz: s.lostAz, loses: tiersLost(s) }));
}

function tiersLost(scenario: AzLossScenario): AzLossSummary["loses"] {
  const loses: Array<"egress" | "database" | "app"> = [];
  if (scenario.egress.some((e) => !e.ok)) loses.push("egress");
  if (scenario.databases.some((d) => !d.ok)) loses.push("database");
  if (scenario.capacity.some((c) => !c.ok) || scenario.loadBalancers.some((lb) => !lb.ok)) loses.push("app");
  return loses;
}

function lossText(stack: string, losses: readonly AzLossSummary[], report: AzLossReport, leadingVerb: boolean): string {
  const subject = leadingVerb ? "" : `${stack} `;
  if (report.azs.length === 0) return `${subject}pins nothing to an AZ (no AZ-loss data)`;
  if (losses.length === 0) return `${subject}survives the loss of any one AZ`;
  return `${subject}loses ${losses.map((l) => `${listText(l.loses)} when ${l.lostAz} is lost`).join(", and ")}`;
}

/** `$1,234.50`. */
export function formatUsd(amount: number): string {
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}
