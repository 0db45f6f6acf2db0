/**
 * `npm run deploy:local [-- dev|lab ...]`: applies, re-plans and destroys each stack (all by
 * default, in parallel) on one local AWS emulator started on a free loopback port, and prints one
 * line per stack. Exits non-zero if any round trip had a problem. The emulator is stopped by its
 * PID on every exit path (success, failure, Ctrl-C, SIGTERM).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { buildApp } from "../main";
import { deployLocal, DeployLocalResult, formatDeployLocal } from "../lib/deploy-local";
import { EMULATOR_INSTALL_HINT, findEmulator, RunningEmulator, startEmulator } from "../lib/local-emulator";
import { stopTerraformSteps } from "../lib/terraform-run";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

function stackNames(app: App): string[] {
  return app.node.children.filter((c): c is TerraformStack => TerraformStack.isStack(c)).map((s) => s.node.id);
}

/** Synthesizes the app into a scratch directory; `teardown` builds it the way a destroy needs (HA_TEARDOWN=1). */
function synth(outdir: string, teardown: boolean): App {
  const saved = process.env.HA_TEARDOWN;
  if (teardown) process.env.HA_TEARDOWN = "1";
  else delete process.env.HA_TEARDOWN;
  try {
    const app = buildApp({ outdir });
    app.synth();
    return app;
  } finally {
    if (saved === undefined) delete process.env.HA_TEARDOWN;
    else process.env.HA_TEARDOWN = saved;
  }
}

async function main(): Promise<number> {
  process.env.CHECKPOINT_DISABLE = "1";
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-aws-ha-deploy-local-"));
  let emulator: RunningEmulator | undefined;
  const stop = async () => {
    await emulator?.stop();
    emulator = undefined;
    fs.rmSync(scratch, { recursive: true, force: true });
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`deploy:local: ${signal}, stopping terraform and the emulator${emulator ? ` (pid ${emulator.pid})` : ""}`);
      // Terraform first, so no step is left retrying against an emulator that is gone.
      stopTerraformSteps();
      void stop().finally(() => process.exit(130));
    });
  }
  try {
    const synthStarted = Date.now();
    const app = synth(path.join(scratch, "apply"), false);
    const known = stackNames(app);
    const asked = process.argv.slice(2).filter((a) => a !== "--");
    const unknown = asked.filter((name) => !known.includes(name));
    if (unknown.length) {
      console.error(`deploy:local: unknown stack ${unknown.map((n) => `"${n}"`).join(", ")}; the stacks are: ${known.join(", ")}`);
      return 2;
    }
    const stacks = asked.length ? [...new Set(asked)] : known;
    synth(path.join(scratch, "teardown"), true);
    const synthSeconds = (Date.now() - synthStarted) / 1000;

    const command = findEmulator(PROJECT_ROOT);
    if (!command) {
      console.error(`deploy:local: ${EMULATOR_INSTALL_HINT}`);
      return 1;
    }
    emulator = await startEmulator({ command });
    console.log(
      `deploy:local: emulator ${path.relative(PROJECT_ROOT, command) || command} on ${emulator.endpoint} (pid ${emulator.pid}` +
        `${process.env.MOTO_FIXES === "1" ? ", MOTO_FIXES=1" : ""}); stacks: ${stacks.join(", ")}`,
    );
    const endpoint = emulator.endpoint;
    const results = await Promise.allSettled(
      stacks.map((name) =>
        deployLocal(path.join(scratch, "apply", "stacks", name), {
          endpoint,
          teardown: path.join(scratch, "teardown", "stacks", name),
        }),
      ),
    );
    let failed = 0;
    results.forEach((result, i) => {
      if (result.status === "rejected") {
        failed++;
        console.error(`${stacks[i]}: FAILED\n${result.reason instanceof Error ? result.reason.message : result.reason}`);
        return;
      }
      const value: DeployLocalResult = { ...result.value, seconds: { ...result.value.seconds, synth: synthSeconds } };
      console.log(formatDeployLocal(value));
      if (value.emulatorGaps.length) {
        console.log(`  emulator gaps excused: ${value.emulatorGaps.map((g) => `${g.address} (${g.attributes.join(", ")})`).join("; ")}`);
      }
      for (const problem of value.problems) console.error(`  problem: ${problem}`);
      if (value.problems.length) failed++;
    });
    return failed ? 1 : 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`deploy:local: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  },
);
