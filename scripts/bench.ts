/**
 * `npm run bench`: median wall time and peak RSS over cold runs (a new process each) of
 *   - the app as `npm run synth` runs it (`node scripts/app.js`, compiled code, no CLI), and
 *   - `cdktf synth` (the CLI, which starts the same app as a child).
 * Peak RSS is the largest resident-set high-water mark (VmHWM) of any process in the run's tree,
 * sampled from /proc every few milliseconds; VmHWM only grows, so sampling late loses nothing.
 *
 * Scaling: synth time of an app holding 1, 10 and 50 copies of the `lab` stack
 * (scripts/synth-copies.ts, run as `npm run synth` runs the app: `node scripts/app.js --lab-copies`;
 * a fresh process per run, to a temporary outdir), and the cost of each extra stack,
 * (t50 − t1) / 49, against a target of TARGET_MS_PER_STACK.
 *
 * Usage: node dist/scripts/bench.js [runs] [--scaling]   (default 7 runs, at least 5;
 * --scaling measures only the scaling table)
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const MIN_RUNS = 5;
const SAMPLE_MS = 5;
/** Copies of the lab stack in one app for the scaling table; the first and last give the cost per stack. */
const SCALING_COPIES = [1, 10, 50];
/** Budget for each extra stack in one app (construction + synthesis), in milliseconds. */
const TARGET_MS_PER_STACK = 20;

interface Sample {
  readonly seconds: number;
  readonly peakMb: number;
  /** What the child printed on stdout. */
  readonly stdout: string;
}

/** The pid's descendants, read from /proc/<pid>/task/<tid>/children. */
function descendants(pid: number): number[] {
  const found: number[] = [];
  const visit = (p: number) => {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const tid of tasks) {
      try {
        for (const child of fs.readFileSync(`/proc/${p}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) {
          found.push(Number(child));
          visit(Number(child));
        }
      } catch {
        /* exited between reads */
      }
    }
  };
  visit(pid);
  return found;
}

function highWaterKb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function runOnce(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    let stdout = "";
    child.stderr.on("data", (d) => (stderr += d));
    child.stdout.on("data", (d) => (stdout += d));
    const peaks = new Map<number, number>();
    const sample = () => {
      for (const pid of [child.pid!, ...descendants(child.pid!)]) {
        peaks.set(pid, Math.max(peaks.get(pid) ?? 0, highWaterKb(pid)));
      }
    };
    const timer = setInterval(sample, SAMPLE_MS);
    sample();
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return reject(new Error(`${command} ${args.join(" ")} exited ${code}\n${stderr}`));
      resolve({ seconds, peakMb: Math.max(...peaks.values()) / 1024, stdout });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function bench(label: string, command: string, args: string[], runs: number): Promise<void> {
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));
    const env = { ...process.env, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" };
    samples.push(await runOnce(command, [...args, ...(label.startsWith("cdktf") ? ["--output", outdir] : [])], env));
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  const times = samples.map((s) => s.seconds);
  console.log(
    `${label.padEnd(34)} median ${median(times).toFixed(3)} s (min ${Math.min(...times).toFixed(3)}, ` +
      `max ${Math.max(...times).toFixed(3)}), peak RSS median ${median(samples.map((s) => s.peakMb)).toFixed(0)} MB, ${runs} runs`,
  );
}

/** Resources in one synthesized stack directory. */
function resourceCount(stackDir: string): number {
  const config = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  return Object.values(config.resource ?? {}).reduce((n: number, byName) => n + Object.keys(byName as object).length, 0);
}

/** Median synth time of 1, 10 and 50 lab stacks in one app, and the cost of each extra stack. */
async function scaling(runs: number): Promise<void> {
  const script = path.join(ROOT, "scripts", "app.js");
  const samples = new Map<number, Sample[]>(SCALING_COPIES.map((copies) => [copies, []]));
  const resources = new Map<number, number>();
  // Sizes take turns within each round, so a burst of load on a shared machine hits all of them alike.
  for (let i = 0; i < runs; i++) {
    for (const copies of SCALING_COPIES) {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scale-"));
      samples.get(copies)!.push(await runOnce(process.execPath, [script, "--lab-copies", String(copies), outdir], { ...process.env, CHECKPOINT_DISABLE: "1" }));
      const stacksDir = path.join(outdir, "stacks");
      resources.set(copies, fs.readdirSync(stacksDir).reduce((n, stack) => n + resourceCount(path.join(stacksDir, stack)), 0));
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }
  // The child reports its own build + synth time: the part of the wall time that grows with stacks.
  const inProcessMs = (s: Sample) => (JSON.parse(s.stdout) as { buildMs: number; synthMs: number });
  const rows = SCALING_COPIES.map((copies) => ({
    copies,
    resources: resources.get(copies)!,
    seconds: median(samples.get(copies)!.map((s) => s.seconds)),
    buildMs: median(samples.get(copies)!.map((s) => inProcessMs(s).buildMs)),
    synthMs: median(samples.get(copies)!.map((s) => inProcessMs(s).synthMs)),
    peakMb: median(samples.get(copies)!.map((s) => s.peakMb)),
  }));
  console.log(`\nscaling: lab stacks in one app, synthesized to a temp outdir (median of ${runs} cold runs)`);
  console.log("| lab stacks | resources | median wall time | of which build / synth (in process) | peak RSS |");
  console.log("|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.copies} | ${r.resources} | ${r.seconds.toFixed(3)} s | ${r.buildMs.toFixed(0)} ms / ${r.synthMs.toFixed(0)} ms | ${r.peakMb.toFixed(0)} MB |`,
    );
  }
  const [first, last] = [rows[0], rows[rows.length - 1]];
  const extra = last.copies - first.copies;
  const perStackMs = ((last.seconds - first.seconds) / extra) * 1000;
  const inProcessPerStackMs = (last.buildMs + last.synthMs - first.buildMs - first.synthMs) / extra;
  console.log(
    `cost per extra stack: (t${last.copies} − t${first.copies}) / ${extra} = ${perStackMs.toFixed(1)} ms ` +
      `(target ≤ ${TARGET_MS_PER_STACK} ms: ${perStackMs <= TARGET_MS_PER_STACK ? "met" : "MISSED"}); ` +
      `in process ${inProcessPerStackMs.toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const runs = Math.max(MIN_RUNS, Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 7));
  console.log(`node ${process.version}, ${os.cpus().length} cores; cold runs, one process each`);
  if (!process.argv.includes("--scaling")) {
    await bench("npm run synth (node scripts/app.js)", process.execPath, [path.join(ROOT, "scripts", "app.js")], runs);
    await bench("cdktf synth", process.execPath, [path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth"], runs);
  }
  await scaling(runs);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
