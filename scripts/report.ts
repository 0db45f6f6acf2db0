/**
 * `npm run report`: synthesizes every stack of the app (policy packs on, so an error finding
 * fails here exactly as in `cdktf synth`), then computes each stack's single-AZ-loss report from
 * its synthesized cdk.tf.json, writes ha-report.md and ha-report.json next to it, and prints the
 * Markdown. Exits non-zero if a stack has an unsuppressed error finding, even when
 * CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS let the synth through.
 */
import * as path from "path";
import { buildApp } from "../main";
import { reportApp, renderAzLossMarkdown } from "../modules/guardrails/az-loss-report";

function main(): number {
  const app = buildApp();
  app.synth();
  let failing = 0;
  for (const { report, markdownFile, jsonFile } of reportApp(app)) {
    const open = report.guardrails.findings.filter((f) => !f.suppressedBy && f.level === "error");
    failing += open.length;
    process.stdout.write(
      `${renderAzLossMarkdown(report)}\n_Written to ${path.relative(process.cwd(), markdownFile)} and ${path.basename(jsonFile)}._\n\n`,
    );
  }
  if (failing > 0) process.stderr.write(`report: ${failing} unsuppressed error finding(s); see the tables above\n`);
  return failing > 0 ? 1 : 0;
}

process.exitCode = main();
