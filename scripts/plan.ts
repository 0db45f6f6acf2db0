/**
 * `npm run plan`: synthesizes every stack of the app into cdktf.out, then runs an offline
 * `terraform init` + `plan -refresh=false` on each (see lib/plan-offline.ts) and prints one line
 * per stack. Exits non-zero if any plan fails.
 */
import * as path from "path";
import { buildApp } from "../main";
import { formatPlanSummary, planOffline } from "../lib/plan-offline";
import { TerraformStack } from "cdktf";

async function main(): Promise<void> {
  process.env.CHECKPOINT_DISABLE = "1";
  const app = buildApp();
  app.synth();
  const stacks = app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c)).map((s) => s.node.id);
  const results = await Promise.allSettled(
    stacks.map((name) => planOffline(path.join(app.outdir, "stacks", name))),
  );
  let failed = 0;
  results.forEach((result, i) => {
    if (result.status === "fulfilled") {
      console.log(formatPlanSummary(result.value));
    } else {
      failed++;
      console.error(`${stacks[i]}: plan FAILED\n${result.reason instanceof Error ? result.reason.message : result.reason}`);
    }
  });
  process.exitCode = failed ? 1 : 0;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
