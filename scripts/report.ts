/**
 * `npm run report`: synthesizes every stack of the app (policy packs on, so an error finding
 * fails here exactly as in `cdktf synth`), then computes the single-AZ-loss report of each from
 * its synthesized cdk.tf.json, writes ha-report.md and ha-report.json next to it, and prints the
 * Markdown.
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformStack } from "cdktf";
import { buildApp } from "../main";
import { Guardrails } from "../modules/guardrails/guardrails";
import { buildAzLossReport, renderAzLossMarkdown, writeAzLossReport } from "../modules/guardrails/az-loss-report";

function main(): void {
  const app = buildApp();
  app.synth();
  const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  for (const stack of stacks) {
    const stackDir = path.join(app.outdir, app.manifest.forStack(stack).workingDirectory);
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    const report = buildAzLossReport(json, {
      findings: Guardrails.findings(stack),
      suppressions: Guardrails.suppressions(stack),
    });
    const written = writeAzLossReport(stackDir, report);
    process.stdout.write(`${renderAzLossMarkdown(report)}\n_Written to ${path.relative(process.cwd(), written.markdown)} and ${path.basename(written.json)}._\n\n`);
  }
}

main();
