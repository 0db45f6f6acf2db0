/**
 * The synth optimisations (issue 20) change how fast the JSON is made, never what it is:
 * `npm run synth` with them on and off (CDKTF_AWS_HA_SLOW_SYNTH=1) writes the same bytes, and the
 * single resolution pass falls back to cdktf's two passes wherever it could not be exact.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as vm from "vm";
import { App, Aspects, IAspect, TerraformOutput, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { HaStack } from "../lib/ha-stack";
import { Guardrails } from "../modules/guardrails";

const ROOT = path.resolve(__dirname, "..");
const SLOW = "CDKTF_AWS_HA_SLOW_SYNTH";

/** Every file `npm run synth` (or, given `labCopies`, the bench's `--lab-copies` run) wrote, by relative path. */
function synthFiles(env: NodeJS.ProcessEnv, labCopies?: number): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-fast-"));
  try {
    const args = labCopies === undefined ? [] : ["--lab-copies", String(labCopies), outdir];
    execFileSync(process.execPath, [path.join(ROOT, "scripts", "app.js"), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env, CDKTF_OUTDIR: outdir },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const files = new Map<string, string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.set(path.relative(outdir, full), fs.readFileSync(full, "utf8"));
      }
    };
    walk(outdir);
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Synthesizes an app in process, with the optimisations on or off; returns each stack's JSON text. */
function synthInProcess(slow: boolean, build: (app: App) => void): Record<string, string> {
  const previous = process.env[SLOW];
  if (slow) process.env[SLOW] = "1";
  else delete process.env[SLOW];
  try {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "synth-fast-")), stackTraces: false });
    build(app);
    app.synth();
    const stacksDir = path.join(app.outdir, "stacks");
    const out: Record<string, string> = {};
    for (const stack of fs.readdirSync(stacksDir)) out[stack] = fs.readFileSync(path.join(stacksDir, stack, "cdk.tf.json"), "utf8");
    fs.rmSync(app.outdir, { recursive: true, force: true });
    return out;
  } finally {
    if (previous === undefined) delete process.env[SLOW];
    else process.env[SLOW] = previous;
  }
}

/** An HaStack (guardrails on) whose bare test VPC is accepted, so the synth passes. */
function haStack(app: App, id: string): HaStack {
  const stack = new HaStack(app, id, { region: "us-east-1", environment: id, project: "fast" });
  for (const rule of ["SEC-VPC-1", "SEC-VPC-2"]) Guardrails.suppress(stack, rule, "a bare VPC for the synth-path tests");
  return stack;
}

describe("synth optimisations write the same bytes", () => {
  test("npm run synth: dev, lab and the manifest are byte-identical with the optimisations on and off", () => {
    const fast = synthFiles({ [SLOW]: undefined });
    const slow = synthFiles({ [SLOW]: "1" });
    expect([...fast.keys()].sort()).toEqual(expect.arrayContaining(["manifest.json", "stacks/dev/cdk.tf.json", "stacks/lab/cdk.tf.json"]));
    expect([...fast.keys()].sort()).toEqual([...slow.keys()].sort());
    for (const [file, text] of fast) expect({ file, text }).toEqual({ file, text: slow.get(file) });
  }, 60_000);

  test("the bench's scaling run (--lab-copies 3): three lab stacks, byte-identical with the optimisations on and off", () => {
    const fast = synthFiles({ [SLOW]: undefined }, 3);
    const slow = synthFiles({ [SLOW]: "1" }, 3);
    expect([...fast.keys()].sort()).toEqual(expect.arrayContaining(["stacks/lab-0/cdk.tf.json", "stacks/lab-1/cdk.tf.json", "stacks/lab-2/cdk.tf.json"]));
    expect([...fast.keys()].sort()).toEqual([...slow.keys()].sort());
    for (const [file, text] of fast) expect({ file, text }).toEqual({ file, text: slow.get(file) });
  }, 90_000);
});

describe("npm run synth loads the app as one bundled file", () => {
  /** Module files loaded and stack traces formatted by one `node scripts/app.js`. */
  function loadCounts(env: NodeJS.ProcessEnv, args: string[] = []): { modules: number; formatted: number } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-load-"));
    try {
      execFileSync(process.execPath, ["--require", path.join(__dirname, "helpers", "count-load.js"), path.join(ROOT, "scripts", "app.js"), ...args], {
        cwd: ROOT,
        env: { ...process.env, ...env, CDKTF_OUTDIR: path.join(dir, "out"), COUNT_LOAD_OUT: path.join(dir, "counts.json") },
        stdio: ["ignore", "ignore", "pipe"],
      });
      return JSON.parse(fs.readFileSync(path.join(dir, "counts.json"), "utf8"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  /** Module files the unbundled app loads, by flavour: ~590 on cdktf 0.21, ~350 on CDK Terrain 0.24 (fewer dependencies). */
  const UNBUNDLED_AT_LEAST: Record<string, number> = { cdktf: 400, cdktn: 250 };
  const flavour = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", "cdktf", "package.json"), "utf8")) as { name: string }).name;

  test("GIVEN the optimisations THEN a handful of module files and no formatted stack trace; without them hundreds of files and one trace per token", () => {
    expect(Object.keys(UNBUNDLED_AT_LEAST)).toContain(flavour);
    const fast = loadCounts({ [SLOW]: undefined });
    const slow = loadCounts({ [SLOW]: "1" });
    expect(fast.modules).toBeLessThanOrEqual(5);
    expect(fast.formatted).toBe(0);
    expect(slow.modules).toBeGreaterThan(UNBUNDLED_AT_LEAST[flavour]);
    expect(slow.formatted).toBeGreaterThan(500);
  }, 60_000);

  test("GIVEN the bench's scaling run (--lab-copies) THEN it loads the same bundle as the app: a handful of module files", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "synth-copies-"));
    try {
      expect(loadCounts({ [SLOW]: undefined }, ["--lab-copies", "1", outdir]).modules).toBeLessThanOrEqual(5);
      expect(fs.readdirSync(path.join(outdir, "stacks"))).toEqual(["lab-0"]);
      expect(loadCounts({ [SLOW]: "1" }, ["--lab-copies", "1", outdir]).modules).toBeGreaterThan(UNBUNDLED_AT_LEAST[flavour]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);

  test("GIVEN a synth ran THEN the bundle has a V8 code cache that V8 accepts for it", () => {
    synthFiles({ [SLOW]: undefined });
    const bundle = path.join(ROOT, "dist", "app.bundle.js");
    const cachedData = fs.readFileSync(`${bundle}.v8cache`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { wrap } = require("module") as { wrap: (source: string) => string };
    const script = new vm.Script(wrap(fs.readFileSync(bundle, "utf8")), { filename: bundle, cachedData });
    expect(script.cachedDataRejected).toBe(false);
  }, 60_000);
});

describe("HaStack resolves each resource once per synth", () => {
  test("GIVEN only the guardrails aspect THEN every resource is rendered once (cdktf alone renders it twice)", () => {
    const counts: Record<string, number> = {};
    for (const slow of [false, true]) {
      synthInProcess(slow, (app) => {
        const vpc = new Vpc(haStack(app, "a"), "Vpc", { cidrBlock: "10.0.0.0/16" });
        const original = vpc.toTerraform.bind(vpc);
        counts[slow ? "slow" : "fast"] = 0;
        vpc.toTerraform = () => {
          counts[slow ? "slow" : "fast"]++;
          return original();
        };
      });
    }
    expect(counts).toEqual({ fast: 1, slow: 2 });
  });

  test("GIVEN a user's aspect that changes resources THEN its change is in the JSON, as without the optimisation", () => {
    class TagEverything implements IAspect {
      visit(node: IConstruct): void {
        if (node instanceof Vpc) node.tags = { touched: "by-aspect" };
      }
    }
    const build = (app: App) => {
      const stack = haStack(app, "a");
      new Vpc(stack, "Vpc", { cidrBlock: "10.0.0.0/16" });
      Aspects.of(stack).add(new TagEverything());
    };
    const fast = synthInProcess(false, build);
    expect(JSON.parse(fast.a).resource.aws_vpc.Vpc.tags).toEqual({ touched: "by-aspect" });
    expect(fast).toEqual(synthInProcess(true, build));
  });

  test("GIVEN a reference across stacks THEN both stacks get the same output and remote state as without the optimisation", () => {
    const build = (app: App) => {
      const network = haStack(app, "network");
      const vpc = new Vpc(network, "Vpc", { cidrBlock: "10.0.0.0/16" });
      const consumer = haStack(app, "consumer");
      new TerraformOutput(consumer, "vpc_id", { value: vpc.id });
      // and a plain TerraformStack beside them, which keeps cdktf's own passes
      new TerraformOutput(new TerraformStack(app, "plain"), "vpc_cidr", { value: vpc.cidrBlock });
    };
    const fast = synthInProcess(false, build);
    expect(Object.keys(JSON.parse(fast.network).output)).toEqual(expect.arrayContaining([expect.stringMatching(/^cross-stack-output-aws_vpcVpcid/)]));
    expect(JSON.parse(fast.consumer).data.terraform_remote_state).toBeDefined();
    expect(JSON.parse(fast.consumer).output.vpc_id.value).toMatch(/^\$\{data\.terraform_remote_state\./);
    expect(fast).toEqual(synthInProcess(true, build));
  });

  test("GIVEN a stack-level override THEN the JSON carries it, as without the optimisation", () => {
    const build = (app: App) => {
      const stack = haStack(app, "a");
      new Vpc(stack, "Vpc", { cidrBlock: "10.0.0.0/16" });
      stack.addOverride("locals.extra", "x");
    };
    const fast = synthInProcess(false, build);
    expect(JSON.parse(fast.a).locals).toEqual({ extra: "x" });
    expect(fast).toEqual(synthInProcess(true, build));
  });
});

describe("token creation stack traces are formatted only when an error needs them", () => {
  const run = (env: NodeJS.ProcessEnv) =>
    JSON.parse(
      execFileSync(process.execPath, [path.join(__dirname, "helpers", "token-trace.js")], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        encoding: "utf8",
      }),
    ) as { formatted: number; message: string };

  test("GIVEN the synth set-up THEN creating 200 tokens formats no stack trace (cdktf alone formats 200)", () => {
    expect(run({ [SLOW]: undefined }).formatted).toBe(0);
    expect(run({ [SLOW]: "1" }).formatted).toBe(200);
  });

  test("GIVEN a token whose resolution fails THEN the error names where it was created, exactly as without the set-up", () => {
    const fast = run({ [SLOW]: undefined }).message;
    expect(fast).toMatch(/^Resolution error: the producer failed\.\nObject creation stack:\n {2}at new LazyBase /);
    expect(fast).toMatch(/at failingOutput \(.*token-trace\.js:\d+:\d+\)/);
    expect(fast).toBe(run({ [SLOW]: "1" }).message);
  });

  test("GIVEN CDK Terrain's switch CDKTN_DISABLE_CREATION_STACK=1 THEN the message is the same as without the set-up (on cdktn: no creation stack)", () => {
    const off = { CDKTN_DISABLE_CREATION_STACK: "1" };
    const fast = run({ ...off, [SLOW]: undefined });
    expect(fast.formatted).toBe(0);
    expect(fast.message).toBe(run({ ...off, [SLOW]: "1" }).message);
  });
});
