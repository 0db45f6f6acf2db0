/**
 * What the offline plan and the local deploy share: a scratch copy of a synthesized stack, a
 * Terraform CLI configuration that installs providers from a local mirror, an environment with
 * nothing of the caller's AWS setup in it, and one way to run a terraform step with a timeout.
 * Internal: the public harnesses are `planOffline` and `deployLocal` (`cdktf-aws-ha/testing`).
 */
import { ChildProcess, execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";

/** Environment variable naming the local provider mirror. */
export const PROVIDER_MIRROR_ENV = "CDKTF_AWS_HA_PROVIDER_MIRROR";
/** Mirror used when the variable is unset. */
export const DEFAULT_PROVIDER_MIRROR = "/opt/tf-plugins";
/** Environment variable naming the terraform binary. */
export const TERRAFORM_BINARY_ENV = "CDKTF_AWS_HA_TERRAFORM";

/** A synthesized stack directory and how to clean it up. */
export interface SynthesizedStack {
  readonly stackDir: string;
  readonly stackName: string;
  readonly cleanup: () => void;
}

/** Thrown when a terraform step fails; carries Terraform's output. */
export class TerraformStepError extends Error {
  constructor(
    message: string,
    public readonly output: string,
  ) {
    super(`${message}\n${output}`);
    this.name = "TerraformStepError";
  }
}

/**
 * A stack synthesized through the same synthesizer as `cdktf synth` (so error annotations fail
 * it), or the path of an already synthesized stack directory (`cdktf.out/stacks/<name>`).
 */
export function synthesizedDir(
  target: TerraformStack | string,
  caller: string,
  makeError: (message: string) => Error,
): SynthesizedStack {
  if (typeof target === "string") {
    if (!fs.existsSync(path.join(target, "cdk.tf.json"))) {
      throw makeError(`${caller}: ${target} holds no cdk.tf.json; run the synth first`);
    }
    return { stackDir: target, stackName: path.basename(target), cleanup: () => undefined };
  }
  target.prepareStack();
  const outdir = Testing.fullSynth(target);
  const stackName = target.node.id;
  return {
    stackDir: path.join(outdir, "stacks", stackName),
    stackName,
    cleanup: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The mirror to install providers from: the option, else $CDKTF_AWS_HA_PROVIDER_MIRROR, else /opt/tf-plugins. */
export function providerMirror(option: string | undefined, caller: string, makeError: (message: string) => Error): string {
  const mirror = option ?? process.env[PROVIDER_MIRROR_ENV] ?? DEFAULT_PROVIDER_MIRROR;
  if (!fs.existsSync(mirror)) {
    throw makeError(`${caller}: provider mirror ${mirror} does not exist; set ${PROVIDER_MIRROR_ENV} to a filesystem mirror`);
  }
  return mirror;
}

/** The terraform binary: the option, else $CDKTF_AWS_HA_TERRAFORM, else `terraform` on the PATH. */
export function terraformBinary(option?: string): string {
  return option ?? process.env[TERRAFORM_BINARY_ENV] ?? "terraform";
}

/** The shared plugin cache saves re-installing the ~700 MB provider binary for every run. */
export function cliConfigText(mirror: string): string {
  const cache = path.join(os.tmpdir(), "cdktf-aws-ha-plugin-cache");
  fs.mkdirSync(cache, { recursive: true });
  return [
    `plugin_cache_dir = ${JSON.stringify(cache)}`,
    "provider_installation {",
    `  filesystem_mirror {`,
    `    path = ${JSON.stringify(mirror)}`,
    "  }",
    "}",
    "",
  ].join("\n");
}

/** Nothing from the caller's AWS setup leaks in: no profiles, no real keys, no metadata look-ups. */
export function isolatedEnv(cliConfig: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("AWS_") && !key.startsWith("TF_")) env[key] = value;
  }
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** How to run one terraform step. */
export interface TerraformStepOptions {
  readonly terraform: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stackName: string;
  readonly timeoutMs: number;
  /** Prefix of error messages, e.g. "planOffline". */
  readonly caller: string;
  readonly makeError: (message: string, output: string) => Error;
  /** Exit codes that are answers, not failures (2 for `plan -detailed-exitcode`). @default [0] */
  readonly okExitCodes?: number[];
}

const runningSteps = new Set<ChildProcess>();

/** Stops every terraform step still running (a script's Ctrl-C / SIGTERM handler calls this). */
export function stopTerraformSteps(signal: NodeJS.Signals = "SIGINT"): void {
  for (const child of runningSteps) child.kill(signal);
}

/** Runs `terraform <args>`; resolves with stdout and the exit code. */
export function terraformStep(args: string[], o: TerraformStepOptions): Promise<{ stdout: string; exitCode: number }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      o.terraform,
      args,
      { cwd: o.cwd, env: o.env, timeout: o.timeoutMs, maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        runningSteps.delete(child);
        if (!error) return resolve({ stdout, exitCode: 0 });
        const e = error as { code?: string | number; killed?: boolean; message: string };
        if (typeof e.code === "number" && (o.okExitCodes ?? []).includes(e.code)) {
          return resolve({ stdout, exitCode: e.code });
        }
        if (e.killed) {
          return reject(
            o.makeError(
              `${o.caller}: terraform ${args[0]} for stack ${o.stackName} ran longer than ${o.timeoutMs / 1000} s and was stopped`,
              `${stdout ?? ""}${stderr ?? ""}`,
            ),
          );
        }
        if (e.code === "ENOENT") {
          return reject(
            o.makeError(
              `${o.caller}: terraform binary "${o.terraform}" not found; install Terraform >= 1.10 or set ${TERRAFORM_BINARY_ENV}`,
              "",
            ),
          );
        }
        reject(o.makeError(`${o.caller}: terraform ${args[0]} failed for stack ${o.stackName}`, `${stdout ?? ""}${stderr || e.message}`));
      },
    );
    runningSteps.add(child);
  });
}

/** A managed resource's change in `terraform show -json` of a plan. */
export interface JsonResourceChange {
  readonly address: string;
  readonly mode: string;
  readonly type: string;
  readonly change: {
    readonly actions: string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown> | null;
  };
}

/** The managed resource changes of a saved plan (data sources read at apply time change nothing). */
export async function showPlan(planFile: string, o: TerraformStepOptions): Promise<JsonResourceChange[]> {
  const { stdout } = await terraformStep(["show", "-json", planFile], o);
  const plan = JSON.parse(stdout) as { resource_changes?: JsonResourceChange[] };
  return (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed");
}
