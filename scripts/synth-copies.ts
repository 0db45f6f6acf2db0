/**
 * One measurement of the scaling benchmark (`npm run bench`): builds an app holding `copies` lab
 * stacks and synthesizes it into `outdir`. The bench runs it in a fresh process each time, through
 * the app command's own loading (`node scripts/app.js --lab-copies <copies> <outdir>`: the bundle,
 * its code cache and the synth set-up, or none of them with CDKTF_AWS_HA_SLOW_SYNTH=1), so the
 * numbers include what a real `cdktf synth` pays: module loading, construction, synthesis, writing
 * JSON. Prints its own build and synth times (ms) as JSON on stdout.
 *
 * Also runs on its own, unbundled: node dist/scripts/synth-copies.js <copies> <outdir>
 */
import * as path from "path";
import { App } from "cdktf";
import { loadStackConfig } from "../stacks/config";
import { LabStack } from "../stacks/lab";

/** Builds `copies` lab stacks in one app and synthesizes them into `outdir`; returns the time each step took. */
export function synthLabCopies(copies: number, outdir: string): { buildMs: number; synthMs: number } {
  if (!Number.isInteger(copies) || copies < 1 || !outdir) {
    throw new Error(`synthLabCopies: copies (${copies}) must be an integer ≥ 1 and outdir (${outdir}) a directory`);
  }
  const started = performance.now();
  const app = new App({ outdir });
  // Fixed defaults (not the shell's HA_* variables), so every run builds the same stacks.
  const config = loadStackConfig({});
  for (let i = 0; i < copies; i++) new LabStack(app, `lab-${i}`, config);
  const built = performance.now();
  app.synth();
  // For the bench: the in-process part of the wall time, without Node start-up and module loading.
  return { buildMs: built - started, synthMs: performance.now() - built };
}

if (require.main === module) {
  // The same process set-up as `npm run synth` (scripts/synth-setup.js), before any token exists.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(__dirname, "..", "..", "scripts", "synth-setup.js")).setUpSynth();
  const copies = Number(process.argv[2]);
  const outdir = process.argv[3];
  if (!Number.isInteger(copies) || copies < 1 || !outdir) {
    console.error("usage: node dist/scripts/synth-copies.js <copies ≥ 1> <outdir>");
    process.exitCode = 2;
  } else {
    console.log(JSON.stringify(synthLabCopies(copies, outdir)));
  }
}
