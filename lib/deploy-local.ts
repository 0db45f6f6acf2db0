/**
 * `deployLocal`: the full life of a stack against a local AWS emulator (moto server) — apply,
 * check every planned resource is in state, plan again (it must be empty), lift what blocks a
 * destroy the way a user would, destroy, check the state is empty.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack } from "cdktf";
import { classifyReplan, ReplanChange } from "./emulator-gaps";
import { endpointServicesFor, LOCAL_ENDPOINT_PATTERN, localProviderSettings } from "./local-endpoint";
import { EMULATOR_INSTALL_HINT, EmulatorMissingError, findEmulator, RunningEmulator, startEmulator } from "./local-emulator";
import {
  cliConfigText,
  isolatedEnv,
  providerMirror,
  showPlan,
  synthesizedDir,
  terraformBinary,
  terraformStep,
  TerraformStepOptions,
} from "./terraform-run";

/** File deployLocal adds beside the synthesized stack; Terraform merges it over cdk.tf.json. */
export const EMULATOR_OVERRIDE_FILE = "zz_emulator_override.tf.json";
/** Apply and destroy of a full stack wait on provider waiters for minutes; a hung one still ends. */
export const DEFAULT_DEPLOY_STEP_TIMEOUT_MS = 15 * 60 * 1000;

/** The phases timed in a {@link DeployLocalResult}. */
export const DEPLOY_PHASES = ["synth", "init", "apply", "replan", "teardown", "destroy"] as const;
export type DeployPhase = (typeof DEPLOY_PHASES)[number];

/** What a hook between apply and the second plan gets. */
export interface AfterApplyContext {
  /** The emulator's URL; point an AWS SDK client at it to change things behind Terraform's back. */
  readonly endpoint: string;
  readonly stack: string;
  /** The Terraform working directory (holds terraform.tfstate). */
  readonly workDir: string;
}

/** Options of {@link deployLocal}. */
export interface DeployLocalOptions {
  /**
   * An emulator that is already running, e.g. `http://127.0.0.1:45123` (loopback only).
   * @default - one is started on a free 127.0.0.1 port and stopped at the end
   */
  readonly endpoint?: string;
  /**
   * Emulator command to start when no endpoint is given.
   * @default - findEmulator(): $CDKTF_AWS_HA_EMULATOR, else ../shared/emulator/moto-server, else moto_server on the PATH
   */
  readonly emulator?: string;
  /**
   * The same stack built the way a user prepares it for `destroy` (an `HaStack` with
   * `teardown: true`: deletion protection and final snapshot off), applied before the destroy.
   * Not needed for a stack that tears down cleanly as it is (StackIntent.DEVELOPMENT).
   * @default - none: destroy what was applied
   */
  readonly teardown?: TerraformStack | string;
  /** Runs after the apply, before the second plan (a test can change a resource here to see the plan report it). */
  readonly afterApply?: (context: AfterApplyContext) => Promise<void> | void;
  /** @default - $CDKTF_AWS_HA_PROVIDER_MIRROR, else /opt/tf-plugins */
  readonly providerMirror?: string;
  /** @default - $CDKTF_AWS_HA_TERRAFORM, else `terraform` on the PATH */
  readonly terraform?: string;
  /** Longest each terraform step may run. @default DEFAULT_DEPLOY_STEP_TIMEOUT_MS (15 minutes) */
  readonly stepTimeoutMs?: number;
  /** Keep the working directory (its path is in the result). @default false */
  readonly keepWorkDir?: boolean;
}

/** What {@link deployLocal} found. `problems` is empty when the round trip was clean. */
export interface DeployLocalResult {
  readonly stack: string;
  /** Set (to the install hint) when no emulator was found outside CI and nothing ran. */
  readonly skipped?: string;
  /** Resources the first plan creates. */
  readonly planned: number;
  /** Of those, the ones found in state after the apply. */
  readonly applied: number;
  /** Planned resources missing from state after the apply. */
  readonly missing: string[];
  /** What the second plan would still change: real drift or a perpetual diff. */
  readonly replanChanges: ReplanChange[];
  /** Second-plan updates explained by the emulator gap list (EMULATOR_GAPS). */
  readonly emulatorGaps: ReplanChange[];
  readonly applyError?: string;
  readonly teardownError?: string;
  readonly destroyError?: string;
  /** Addresses still in state after the destroy. */
  readonly stateLeft: string[];
  /** Seconds per phase. */
  readonly seconds: Record<DeployPhase, number>;
  /** One sentence per thing that went wrong; empty for a clean round trip. */
  readonly problems: string[];
  readonly workDir?: string;
}

/** Thrown for a bad call (not for a failed round trip, which is reported in the result). */
export class DeployLocalError extends Error {
  constructor(
    message: string,
    public readonly output = "",
  ) {
    super(output ? `${message}\n${output}` : message);
    this.name = "DeployLocalError";
  }
}

/**
 * Applies a stack to a local AWS emulator, checks every planned resource is in state, plans again
 * and reports any change that is not a known emulator gap, applies the teardown variant if given,
 * destroys, and checks the state is empty. A failed apply still destroys what was created.
 *
 * Without an emulator it resolves with `skipped` set and prints how to install one, except under
 * `CI=true`, where it rejects.
 *
 * @param target a stack (synthesized here, so policy errors fail it) or a synthesized stack directory
 */
export async function deployLocal(target: TerraformStack | string, options: DeployLocalOptions = {}): Promise<DeployLocalResult> {
  const name = typeof target === "string" ? path.basename(target) : target.node.id;
  if (options.endpoint !== undefined && !LOCAL_ENDPOINT_PATTERN.test(options.endpoint)) {
    throw new DeployLocalError(
      `deployLocal: endpoint (${JSON.stringify(options.endpoint)}) is not a loopback URL; use one like "http://127.0.0.1:5000"`,
    );
  }
  const seconds = Object.fromEntries(DEPLOY_PHASES.map((p) => [p, 0])) as Record<DeployPhase, number>;
  let emulator: RunningEmulator | undefined;
  let endpoint = options.endpoint;
  if (!endpoint) {
    const command = options.emulator ?? findEmulator();
    if (!command) {
      if (process.env.CI === "true") throw new EmulatorMissingError();
      const message = `deployLocal(${name}) skipped: ${EMULATOR_INSTALL_HINT}`;
      console.warn(message);
      return { ...emptyResult(name, seconds), skipped: message };
    }
    emulator = await startEmulator({ command });
    endpoint = emulator.endpoint;
  }
  try {
    return await roundTrip(target, endpoint, options, seconds);
  } finally {
    await emulator?.stop();
  }
}

function emptyResult(stack: string, seconds: Record<DeployPhase, number>): DeployLocalResult {
  return { stack, planned: 0, applied: 0, missing: [], replanChanges: [], emulatorGaps: [], stateLeft: [], seconds, problems: [] };
}

async function timed<T>(seconds: Record<DeployPhase, number>, phase: DeployPhase, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    seconds[phase] += (Date.now() - started) / 1000;
  }
}

async function roundTrip(
  target: TerraformStack | string,
  endpoint: string,
  options: DeployLocalOptions,
  seconds: Record<DeployPhase, number>,
): Promise<DeployLocalResult> {
  const fail = (message: string, output = "") => new DeployLocalError(message, output);
  const synthStarted = Date.now();
  const main = synthesizedDir(target, "deployLocal", fail);
  const teardown = options.teardown === undefined ? undefined : synthesizedDir(options.teardown, "deployLocal", fail);
  seconds.synth = (Date.now() - synthStarted) / 1000;
  const stack = main.stackName;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `cdktf-aws-ha-deploy-${stack}-`));
  const problems: string[] = [];
  let planned: string[] = [];
  let inState: string[] = [];
  let replan = { changes: [] as ReplanChange[], gaps: [] as ReplanChange[] };
  let applyError: string | undefined;
  let teardownError: string | undefined;
  let destroyError: string | undefined;
  let stateLeft: string[] = [];
  try {
    const mainJson = fs.readFileSync(path.join(main.stackDir, "cdk.tf.json"), "utf8");
    const teardownJson = teardown ? fs.readFileSync(path.join(teardown.stackDir, "cdk.tf.json"), "utf8") : undefined;
    const config = JSON.parse(mainJson);
    fs.writeFileSync(path.join(workDir, "cdk.tf.json"), JSON.stringify(config));
    fs.writeFileSync(path.join(workDir, EMULATOR_OVERRIDE_FILE), JSON.stringify(emulatorOverride(config, endpoint, teardownJson), null, 2));
    const cliConfig = path.join(workDir, "terraform.rc");
    fs.writeFileSync(cliConfig, cliConfigText(providerMirror(options.providerMirror, "deployLocal", fail)));
    const step: TerraformStepOptions = {
      terraform: terraformBinary(options.terraform),
      cwd: workDir,
      env: isolatedEnv(cliConfig),
      stackName: stack,
      timeoutMs: options.stepTimeoutMs ?? DEFAULT_DEPLOY_STEP_TIMEOUT_MS,
      caller: "deployLocal",
      makeError: fail,
    };
    const tf = (args: string[], okExitCodes?: number[]) => terraformStep([...args, "-no-color"], { ...step, okExitCodes });

    await timed(seconds, "init", () => tf(["init", "-input=false"]));
    try {
      await timed(seconds, "apply", async () => {
        await tf(["plan", "-input=false", "-out=tfplan"]);
        planned = (await showPlan("tfplan", step)).filter((rc) => rc.change.actions.includes("create")).map((rc) => rc.address);
        await tf(["apply", "-input=false", "-auto-approve", "tfplan"]);
      });
    } catch (error) {
      applyError = firstError(error);
    }
    try {
      inState = await stateList(tf);
    } catch (error) {
      problems.push(`could not list the state after the apply: ${firstError(error)}`);
    }
    const missing = planned.filter((address) => !inState.includes(address));
    if (applyError) {
      problems.push(`apply failed: ${applyError}`);
    } else {
      if (missing.length) problems.push(`${missing.length} planned resources missing from state: ${missing.join(", ")}`);
      try {
        await options.afterApply?.({ endpoint, stack, workDir });
      } catch (error) {
        // Still plan and destroy: what was applied must not be left behind.
        problems.push(`afterApply failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      try {
        replan = await timed(seconds, "replan", async () => {
          const { exitCode } = await tf(["plan", "-input=false", "-detailed-exitcode", "-out=replan"], [2]);
          return exitCode === 0 ? { changes: [], gaps: [] } : classifyReplan(await showPlan("replan", step));
        });
      } catch (error) {
        problems.push(`second plan failed: ${firstError(error)}`);
      }
      for (const change of replan.changes) {
        problems.push(
          `second plan: ${change.address} ${change.actions.join("/")}` +
            (change.attributes.length ? ` (${change.attributes.join(", ")})` : ""),
        );
      }
    }

    const teardownTargets = teardownJson === undefined ? [] : changedResources(config, JSON.parse(teardownJson));
    if (teardownTargets.length > 0) {
      try {
        await timed(seconds, "teardown", async () => {
          fs.writeFileSync(path.join(workDir, "cdk.tf.json"), JSON.stringify(JSON.parse(teardownJson!)));
          // Only the resources the teardown build changes: on AWS a full apply does exactly that,
          // but on the emulator it would also re-apply the gap diffs (a launch template's new
          // version starts an instance refresh the emulator cannot report on).
          await tf(["apply", "-input=false", "-auto-approve", ...teardownTargets.map((address) => `-target=${address}`)]);
        });
      } catch (error) {
        teardownError = firstError(error);
        problems.push(`teardown apply failed: ${teardownError}`);
      }
    }
    try {
      await timed(seconds, "destroy", () => tf(["destroy", "-input=false", "-auto-approve"]));
    } catch (error) {
      destroyError = firstError(error);
      problems.push(`destroy failed: ${destroyError}`);
    }
    try {
      stateLeft = await stateList(tf);
    } catch (error) {
      // Unknown is not empty.
      stateLeft = ["(state unreadable)"];
      problems.push(`could not list the state after the destroy: ${firstError(error)}`);
    }
    if (stateLeft.length) problems.push(`${stateLeft.length} resources left in state: ${stateLeft.join(", ")}`);
    return {
      stack,
      planned: planned.length,
      applied: planned.length - missing.length,
      missing,
      replanChanges: replan.changes,
      emulatorGaps: replan.gaps,
      applyError,
      teardownError,
      destroyError,
      stateLeft,
      seconds,
      problems,
      workDir: options.keepWorkDir ? workDir : undefined,
    };
  } finally {
    if (!options.keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
    main.cleanup();
    teardown?.cleanup();
  }
}

/**
 * Endpoints for every service the stack's resource types use (the teardown variant's too), mock
 * keys and a local backend in the scratch directory, on every aws provider block by alias.
 */
function emulatorOverride(
  config: { provider?: Record<string, Array<{ alias?: string }>>; resource?: object; data?: object },
  endpoint: string,
  teardownJson: string | undefined,
): object {
  const types = new Set([...Object.keys(config.resource ?? {}), ...Object.keys(config.data ?? {})]);
  if (teardownJson) {
    const teardown = JSON.parse(teardownJson);
    for (const type of [...Object.keys(teardown.resource ?? {}), ...Object.keys(teardown.data ?? {})]) types.add(type);
  }
  const { services, unknownTypes } = endpointServicesFor(types);
  if (unknownTypes.length) {
    throw new DeployLocalError(
      `deployLocal: no emulator endpoint is known for ${unknownTypes.join(", ")}; ` +
        `add the provider endpoints key of its service to ENDPOINT_SERVICE_PREFIXES (lib/local-endpoint.ts)`,
    );
  }
  const settings = localProviderSettings(endpoint, services);
  const awsBlocks = config.provider?.aws ?? [{}];
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: { aws: awsBlocks.map((block) => (block.alias ? { alias: block.alias, ...settings } : settings)) },
  };
}

/** Addresses of the resources whose configuration differs between two synthesized stacks. */
export function changedResources(
  before: { resource?: Record<string, Record<string, unknown>> },
  after: { resource?: Record<string, Record<string, unknown>> },
): string[] {
  const addresses = (json: typeof before) =>
    Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  const value = (json: typeof before, address: string) => {
    const [type, name] = address.split(".");
    return JSON.stringify(json.resource?.[type]?.[name]);
  };
  const all = [...new Set([...addresses(before), ...addresses(after)])];
  return all.filter((address) => value(before, address) !== value(after, address)).sort();
}

/** Managed resources in state (data sources are not "left behind"). */
async function stateList(tf: (args: string[]) => Promise<{ stdout: string }>): Promise<string[]> {
  let stdout: string;
  try {
    ({ stdout } = await tf(["state", "list"]));
  } catch (error) {
    // Nothing was ever written: an apply that failed before creating anything.
    if (/No state file was found/.test(String(error instanceof Error ? error.message : error))) return [];
    throw error;
  }
  return stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("data.") && !line.includes(".data."));
}

/** Terraform's first error block, short enough for one line of a report. */
function firstError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const match = /Error: ([^\n]+)(?:\n[│ ]*\n?[│ ]*([^\n]+))?/.exec(text);
  const summary = match ? `${match[1]}${match[2] ? ` — ${match[2].replace(/^[│\s]+/, "")}` : ""}` : text.split("\n")[0];
  return summary.length > 400 ? `${summary.slice(0, 400)}…` : summary;
}

/** One line per stack: "dev: applied 65/65, replan 0 changes, destroyed, state empty — …". */
export function formatDeployLocal(result: DeployLocalResult): string {
  if (result.skipped) return result.skipped;
  const parts = [
    result.applyError
      ? `apply FAILED after ${result.applied}/${result.planned} (${result.applyError})`
      : `applied ${result.applied}/${result.planned}`,
  ];
  if (!result.applyError) {
    const gaps = result.emulatorGaps.length ? ` (${result.emulatorGaps.length} emulator gaps excused)` : "";
    parts.push(`replan ${result.replanChanges.length} changes${gaps}`);
  }
  parts.push(result.destroyError ? `destroy FAILED (${result.destroyError})` : result.applyError ? "destroyed what was created" : "destroyed");
  parts.push(result.stateLeft.length ? `${result.stateLeft.length} left in state` : "state empty");
  const timing = DEPLOY_PHASES.map((p) => `${p} ${result.seconds[p].toFixed(1)} s`).join(", ");
  return `${result.stack}: ${parts.join(", ")} — ${timing}`;
}
