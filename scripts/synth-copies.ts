/**
 * One measurement of the scaling benchmark (`npm run bench`): builds an app holding `copies` lab
 * stacks and synthesizes it into `outdir`. Run in a fresh process each time, so the numbers
 * include what a real `cdktf synth` pays: module loading, construction, synthesis, writing JSON.
 * Prints its own build and synth times (ms) as JSON on stdout.
 *
 * Usage: node dist/scripts/synth-copies.js <copies> <outdir>
 */
import * as path from "path";
import { App } from "cdktf";
import { loadStackConfig } from "../stacks/config";
import { LabStack } from "../stacks/lab";

// The same process set-up as `npm run synth` (scripts/synth-setup.js), before any token exists.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(path.join(__dirname, "..", "..", "scripts", "synth-setup.js")).setUpSynth();

function main(): void {
  const copies = Number(process.argv[2]);
  const outdir = process.argv[3];
  if (!Number.isInteger(copies) || copies < 1 || !outdir) {
    console.error("usage: node dist/scripts/synth-copies.js <copies ≥ 1> <outdir>");
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const app = new App({ outdir });
  // Fixed defaults (not the shell's HA_* variables), so every run builds the same stacks.
  const config = loadStackConfig({});
  for (let i = 0; i < copies; i++) new LabStack(app, `lab-${i}`, config);
  const built = performance.now();
  app.synth();
  // For the bench: the in-process part of the wall time, without Node start-up and module loading.
  console.log(JSON.stringify({ buildMs: built - started, synthMs: performance.now() - built }));
}

main();
