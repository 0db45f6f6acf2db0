/**
 * `npm run bench`: median wall time and peak RSS over cold runs (a new process each) of
 *   - the app as `npm run synth` runs it (`node scripts/app.js`, compiled code, no CLI), and
 *   - `cdktf synth` (the CLI, which starts the same app as a child).
 * Peak RSS is the largest resident-set high-water mark (VmHWM) of any process in the run's tree,
 * sampled from /proc every few milliseconds; VmHWM only grows, so sampling late loses nothing.
 *
 * Usage: node dist/scripts/bench.js [runs]   (default 7, at least 5)
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const MIN_RUNS = 5;
const SAMPLE_MS = 5;

interface Sample {
  readonly seconds: number;
  readonly peakMb: number;
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
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
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
      resolve({ seconds, peakMb: Math.max(...peaks.values()) / 1024 });
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

async function main(): Promise<void> {
  const runs = Math.max(MIN_RUNS, Number(process.argv[2] ?? 7) || 7);
  console.log(`node ${process.version}, ${os.cpus().length} cores; cold runs, one process each`);
  await bench("npm run synth (node scripts/app.js)", process.execPath, [path.join(ROOT, "scripts", "app.js")], runs);
  await bench("cdktf synth", process.execPath, [path.join(ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"), "synth"], runs);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
