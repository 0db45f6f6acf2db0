/**
 * `npm run report`: synthesizes every stack of the app (policy packs on, so an error finding
 * fails here exactly as in `cdktf synth`), then computes each stack's single-AZ-loss report and
 * monthly cost estimate from its synthesized cdk.tf.json, writes ha-report.md and ha-report.json
 * next to it, prints the Markdown, and ends with what `lab` costs over `dev` beside what it buys.
 * Exits non-zero if a stack has an unsuppressed error finding, even when
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS let the synth through.
 */
import * as path from "path";
import { buildApp } from "../main";
import { reportApp, renderAzLossMarkdown } from "../modules/guardrails/az-loss-report";
import { addCostsToReports } from "../modules/cost-estimate/report";

/** The reference stacks: `lab` is `dev` plus the HA it pays for. */
const COMPARE: ReadonlyArray<readonly [string, string]> = [["dev", "lab"]];

function main(): number {
  const app = buildApp();
  app.synth();
  let failing = 0;
  const costs = addCostsToReports(reportApp(app), { compare: COMPARE });
  for (const { report, markdownFile, jsonFile, costMarkdown } of costs.stacks) {
    const open = report.guardrails.findings.filter((f) => !f.suppressedBy && f.level === "error");
    failing += open.length;
    process.stdout.write(
      `${renderAzLossMarkdown(report)}\n${costMarkdown}\n_Written to ${path.relative(process.cwd(), markdownFile)} and ${path.basename(jsonFile)}._\n\n`,
    );
  }
  if (costs.comparisonMarkdown) process.stdout.write(`${costs.comparisonMarkdown}\n`);
  if (failing > 0) process.stderr.write(`report: ${failing} unsuppressed error finding(s); see the tables above\n`);
  return failing > 0 ? 1 : 0;
}

process.exitCode = main();
