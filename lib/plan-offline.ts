import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TerraformStack } from "cdktf";
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

export { DEFAULT_PROVIDER_MIRROR, PROVIDER_MIRROR_ENV, TERRAFORM_BINARY_ENV } from "./terraform-run";

/** A hung step (a provider waiting on a network that is not there) fails instead of eating CI's budget. */
export const DEFAULT_STEP_TIMEOUT_MS = 5 * 60 * 1000;
/** File the harness adds beside the synthesized stack; Terraform merges it over cdk.tf.json. */
export const OFFLINE_OVERRIDE_FILE = "zz_offline_override.tf.json";

/** Options of {@link planOffline}. */
export interface PlanOfflineOptions {
  /**
   * Filesystem mirror holding the providers the stack needs.
   * @default - $CDKTF_AWS_HA_PROVIDER_MIRROR, else DEFAULT_PROVIDER_MIRROR (/opt/tf-plugins)
   */
  readonly providerMirror?: string;
  /**
   * Terraform binary.
   * @default - $CDKTF_AWS_HA_TERRAFORM, else `terraform` on the PATH
   */
  readonly terraform?: string;
  /**
   * Keep the working directory (for debugging); its path is returned in the summary.
   * @default false
   */
  readonly keepWorkDir?: boolean;
  /**
   * Longest each terraform step (init, plan, show) may run before it is stopped and the plan fails.
   * @default DEFAULT_STEP_TIMEOUT_MS (5 minutes)
   */
  readonly stepTimeoutMs?: number;
}

/** A change to a managed resource in the plan. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  /** Terraform's actions, e.g. ["create"], ["delete", "create"]. */
  readonly actions: string[];
}

/** What an offline plan found. */
export interface PlanSummary {
  readonly stack: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly changes: PlannedChange[];
  readonly durationMs: number;
  /** Set when keepWorkDir was asked for. */
  readonly workDir?: string;
}

/** Thrown when terraform init or plan fails; carries Terraform's output. */
export class OfflinePlanError extends Error {
  constructor(
    message: string,
    public readonly output: string,
  ) {
    super(`${message}\n${output}`);
    this.name = "OfflinePlanError";
  }
}

/**
 * Runs `terraform init` and `terraform plan -refresh=false` on a stack with no network and no
 * credentials: providers come from a local mirror, and mock keys plus a local backend are merged
 * in through a Terraform override file in a scratch copy, so the synthesized stack is untouched.
 *
 * @param target a stack (synthesized here, through the same synthesizer as `cdktf synth`, so
 *   error annotations fail it) or the path of an already synthesized stack directory
 *   (`cdktf.out/stacks/<name>`)
 */
export async function planOffline(
  target: TerraformStack | string,
  options: PlanOfflineOptions = {},
): Promise<PlanSummary> {
  const started = Date.now();
  const fail = (message: string, output = "") => new OfflinePlanError(message, output);
  const { stackDir, stackName, cleanup } = synthesizedDir(target, "planOffline", fail);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), `cdktf-aws-ha-plan-${stackName}-`));
  try {
    const config = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    fs.writeFileSync(path.join(workDir, "cdk.tf.json"), JSON.stringify(config));
    fs.writeFileSync(path.join(workDir, OFFLINE_OVERRIDE_FILE), JSON.stringify(offlineOverride(config), null, 2));
    const mirror = providerMirror(options.providerMirror, "planOffline", fail);
    const cliConfig = path.join(workDir, "terraform.rc");
    fs.writeFileSync(cliConfig, cliConfigText(mirror));
    const step: TerraformStepOptions = {
      terraform: terraformBinary(options.terraform),
      cwd: workDir,
      env: isolatedEnv(cliConfig),
      stackName,
      timeoutMs: options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
      caller: "planOffline",
      makeError: fail,
    };
    await terraformStep(["init", "-input=false", "-no-color"], step);
    await terraformStep(["plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=tfplan"], step);
    const changes = (await showPlan("tfplan", step)).map((rc) => ({
      address: rc.address,
      type: rc.type,
      actions: rc.change.actions,
    }));
    const count = (action: string) => changes.filter((c) => c.actions.includes(action)).length;
    return {
      stack: stackName,
      add: count("create"),
      change: count("update"),
      destroy: count("delete"),
      changes,
      durationMs: Date.now() - started,
      workDir: options.keepWorkDir ? workDir : undefined,
    };
  } finally {
    if (!options.keepWorkDir) fs.rmSync(workDir, { recursive: true, force: true });
    cleanup();
  }
}

/** One line per stack, the way `terraform plan` ends. */
export function formatPlanSummary(summary: PlanSummary): string {
  return (
    `${summary.stack}: plan OK — ${summary.add} to add, ${summary.change} to change, ` +
    `${summary.destroy} to destroy (${(summary.durationMs / 1000).toFixed(1)} s)`
  );
}

/** Mock credentials on every aws provider block (by alias) and a local backend in the scratch dir. */
function offlineOverride(config: { provider?: Record<string, Array<{ alias?: string }>> }): object {
  const mock = {
    access_key: "mock-access-key",
    secret_key: "mock-secret-key",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
  };
  const awsBlocks = config.provider?.aws ?? [{}];
  return {
    terraform: { backend: { local: { path: "terraform.tfstate" } } },
    provider: { aws: awsBlocks.map((block) => (block.alias ? { alias: block.alias, ...mock } : mock)) },
  };
}
