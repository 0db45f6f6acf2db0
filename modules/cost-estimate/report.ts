import * as fs from "fs";
import * as path from "path";
import { WrittenReport } from "../guardrails/az-loss-report";
import { CostAssumptions } from "./assumptions";
import { HaCostComparison, compareHaCost } from "./compare";
import { CostEstimate, estimateMonthlyCost } from "./estimate";
import { renderComparisonMarkdown, renderCostMarkdown } from "./render";

/** One stack's estimate, added to its written AZ-loss report. */
export interface CostedReport extends WrittenReport {
  readonly estimate: CostEstimate;
  /** The estimate as Markdown (also appended to ha-report.md). */
  readonly costMarkdown: string;
}

/** What {@link addCostsToReports} did. */
export interface CostReportResult {
  readonly stacks: readonly CostedReport[];
  readonly comparisons: readonly HaCostComparison[];
  /** The comparisons as Markdown, in order. */
  readonly comparisonMarkdown: string;
}

/** Options of {@link addCostsToReports}. */
export interface CostReportOptions {
  /** @default - DEFAULT_COST_ASSUMPTIONS */
  readonly assumptions?: CostAssumptions;
  /**
   * Pairs of stack names `[baseline, candidate]` to compare; pairs naming a stack that is not in
   * the reports are skipped.
   * @default - none
   */
  readonly compare?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Estimates each reported stack from the cdk.tf.json next to its report, appends the estimate to
 * ha-report.md and adds it to ha-report.json (`costEstimate`), and for each pair to compare puts
 * the difference beside what it buys (`haCostComparisons` in both stacks' JSON).
 */
export function addCostsToReports(written: readonly WrittenReport[], options: CostReportOptions = {}): CostReportResult {
  const stacks = written.map((w): CostedReport => {
    const dir = path.dirname(w.jsonFile);
    const json = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
    const estimate = estimateMonthlyCost(json, options.assumptions);
    return { ...w, estimate, costMarkdown: renderCostMarkdown(estimate) };
  });
  const byName = new Map(stacks.map((s) => [s.report.stack, s]));
  const comparisons = (options.compare ?? [])
    .filter(([baseline, candidate]) => byName.has(baseline) && byName.has(candidate))
    .map(([baseline, candidate]) => compareHaCost(byName.get(baseline)!, byName.get(candidate)!));
  const comparisonMarkdown = comparisons.map(renderComparisonMarkdown).join("\n");
  for (const s of stacks) {
    const mine = comparisons.filter((c) => c.baseline === s.report.stack || c.candidate === s.report.stack);
    const json = JSON.parse(fs.readFileSync(s.jsonFile, "utf8"));
    fs.writeFileSync(s.jsonFile, `${JSON.stringify({ ...json, costEstimate: s.estimate, haCostComparisons: mine }, null, 2)}\n`);
    const extra = [s.costMarkdown, ...mine.map(renderComparisonMarkdown)].join("\n");
    fs.appendFileSync(s.markdownFile, `\n${extra}`);
  }
  return { stacks, comparisons, comparisonMarkdown };
}
