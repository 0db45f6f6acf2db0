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
// `--lab-copies N OUTDIR` (npm run bench's scaling table): instead of the app, N copies of the lab
// stack into OUTDIR (scripts/synth-copies.ts), through the same loading as the app, printing the
// build and synth times as JSON.
const copiesAt = process.argv.indexOf("--lab-copies");
const run =
  copiesAt === -1
    ? (loaded) => loaded.buildApp().synth()
    : (loaded) => console.log(JSON.stringify(loaded.synthLabCopies(Number(process.argv[copiesAt + 1]), process.argv[copiesAt + 2])));
// The synth optimisations (scripts/synth-setup.js; CDKTF_AWS_HA_SLOW_SYNTH=1 turns them off):
// the app bundled into one file, with cdktf's token stack traces formatted only when needed.
const { synthOptimisationsOn } = require("./synth-setup");
if (synthOptimisationsOn()) {
  const bundle = appBundle();
  if (bundle.endsWith(".bundle.js")) runWithCodeCache(bundle, run);
  else run(unbundled());
} else {
  run(unbundled());
}

/** The compiled app (and, for --lab-copies only, the copies builder), loaded file by file. */
function unbundled() {
  if (copiesAt !== -1) return require(path.join(root, "dist", "scripts", "synth-copies.js"));
  return require(path.join(root, "dist", "main.js"));
}

/**
 * Loads the bundle with V8's code cache of a previous run, and after a run without a usable cache
 * saves one that includes every function the synth compiled (v8-compile-cache-lib saves only what
 * is compiled at load, which measured no gain here). V8 rejects a cache made for other source or
 * another Node, and then a new one is written; temporary name and rename, as for the bundle.
 */
function runWithCodeCache(bundle, run) {
  const vm = require("vm");
  const { createRequire, wrap } = require("module");
  const cacheFile = `${bundle}.v8cache`;
  const cachedData = fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined;
  const script = new vm.Script(wrap(fs.readFileSync(bundle, "utf8")), { filename: bundle, cachedData });
  const bundleModule = { exports: {} };
  script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, path.dirname(bundle));
  run(bundleModule.exports);
  if (cachedData === undefined || script.cachedDataRejected) {
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
  }
}

/**
 * The compiled app and everything it loads (cdktf brings ~370 modules, archiver and lodash among
 * them) as one file: Node then reads and compiles one module instead of ~590, each found by a walk
 * of stat and realpath calls. The bundle runs the synth set-up first, on the bundled copy of cdktf.
 * Rebuilt with esbuild when the build or the installed packages are newer; written to a temporary
 * name and renamed, so concurrent synths never read half a file. Without esbuild (a production
 * install), the unbundled app with the same set-up.
 */
function appBundle() {
  const bundle = path.join(root, "dist", "app.bundle.js");
  const entry = path.join(root, "dist", "main.js");
  const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
  const inputs = [buildInfo, __filename, path.join(__dirname, "synth-setup.js"), path.join(root, "package-lock.json"), path.join(root, "node_modules", ".package-lock.json")];
  if (mtime(bundle) > Math.max(...inputs.map(mtime))) return bundle;
  let esbuild;
  try {
    esbuild = require("esbuild");
  } catch {
    require("./synth-setup").setUpSynth();
    return entry;
  }
  // The bench's copies builder rides along (a few lines; it loads nothing the app does not).
  const temporary = `${bundle}.${process.pid}.tmp`;
  esbuild.buildSync({
    stdin: {
      contents:
        'require("./scripts/synth-setup").setUpSynth();\n' +
        'module.exports = { ...require("./dist/main.js"), synthLabCopies: require("./dist/scripts/synth-copies.js").synthLabCopies };\n',
      resolveDir: root,
      sourcefile: "synth-entry.js",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    target: `node${process.versions.node.split(".")[0]}`,
    outfile: temporary,
    logLevel: "warning",
  });
  fs.renameSync(temporary, bundle);
  return bundle;
}
