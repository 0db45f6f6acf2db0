#!/usr/bin/env node
// The cdktf app command and `npm run synth`: compiles only when a source is newer than the last
// build (a stat walk costs milliseconds; an incremental tsc no-op costs about a second), then
// synthesizes in this same process. Plain JavaScript so it runs before anything is compiled.
"use strict";
const fs = require("fs");
const path = require("path");
const { execFileSync } = require("child_process");

const root = path.resolve(__dirname, "..");
const buildInfo = path.join(root, "dist", ".tsbuildinfo");
const SOURCE_ROOTS = ["main.ts", "index.ts", "lib", "modules", "stacks", "scripts", "tsconfig.json"];

function newestMtime(entry) {
  const full = path.join(root, entry);
  if (!fs.existsSync(full)) return 0;
  const stat = fs.statSync(full);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(full)
    .filter((name) => name !== "node_modules")
    .reduce((max, name) => Math.max(max, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

const built = fs.existsSync(buildInfo) ? fs.statSync(buildInfo).mtimeMs : 0;
if (SOURCE_ROOTS.some((entry) => newestMtime(entry) > built)) {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.json")], {
    stdio: "inherit",
  });
  // tsc leaves the build info untouched when output is unchanged; mark this source state as built.
  const now = new Date();
  fs.utimesSync(buildInfo, now, now);
}
// Cheaper token bookkeeping for this process, same output (scripts/synth-setup.js).
require("./synth-setup").setUpSynth();
require(path.join(root, "dist", "main.js")).buildApp().synth();
