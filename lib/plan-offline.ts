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

/**
 * Computed attributes the AWS provider validates when another resource uses them. Terraform's
 * mock provider fills computed attributes with random strings; these give the library's resource
 * types values of the right shape.
 */
const MOCK_RESOURCE_DEFAULTS: Readonly<Record<string, string>> = {
  aws_iam_role: 'arn = "arn:aws:iam::123456789012:role/mock"',
  aws_iam_instance_profile: 'arn = "arn:aws:iam::123456789012:instance-profile/mock"',
  aws_cloudwatch_log_group: 'arn = "arn:aws:logs:us-east-1:123456789012:log-group:mock"',
  aws_lb: 'arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/mock/0123456789abcdef"',
  aws_lb_target_group: 'arn = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/mock/0123456789abcdef"',
  aws_launch_template: 'id = "lt-0123456789abcdef0"',
  aws_sns_topic: 'arn = "arn:aws:sns:us-east-1:123456789012:mock"',
  aws_kms_key: 'arn = "arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000"',
  aws_cloudwatch_metric_alarm: 'arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:mock"',
  aws_autoscaling_group: 'arn = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/mock"',
  aws_subnet: 'arn = "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-0123456789abcdef0"',
  aws_rds_cluster:
    'arn = "arn:aws:rds:us-east-1:123456789012:cluster:mock", master_user_secret = [{ secret_arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:mock-AbCdEf", kms_key_id = "", secret_status = "active" }]',
};
const MOCK_POLICY_JSON = '{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[]}';

/**
 * What Terraform would do to a deployed `before` stack when `after` replaces its code: `before` is
 * applied to Terraform's mock AWS provider (`terraform test`, no network, no credentials), then
 * `after` is planned against that state. Returns every resource change that is not a no-op, so
 * `[]` means the edit changes nothing. Use it to prove an edit (reordering AZs, adding one) moves
 * nothing that exists.
 *
 * The mock provider knows the schema but not which attributes force a replacement, so a change
 * that would replace a resource on AWS may show here as `["update"]`; assert that resources stay
 * untouched (absent from the result) rather than that they are not replaced.
 */
export async function planChangeOffline(
  before: TerraformStack,
  after: TerraformStack,
  options: Pick<PlanOfflineOptions, "providerMirror" | "terraform" | "stepTimeoutMs"> = {},
): Promise<PlannedChange[]> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-aws-ha-change-"));
  try {
    const configs = { before: stackJson(before), after: stackJson(after) };
    for (const [name, config] of Object.entries(configs)) {
      delete config.terraform?.backend;
      fs.mkdirSync(path.join(workDir, name));
      fs.writeFileSync(path.join(workDir, name, "cdk.tf.json"), JSON.stringify(config));
    }
    const providers = { ...configs.before.terraform?.required_providers, ...configs.after.terraform?.required_providers };
    fs.writeFileSync(path.join(workDir, "main.tf.json"), JSON.stringify({ terraform: { required_providers: providers } }));
    const mocks = Object.entries(MOCK_RESOURCE_DEFAULTS).map(
      ([type, values]) => `  mock_resource "${type}" {\n    defaults = { ${values} }\n  }`,
    );
    fs.mkdirSync(path.join(workDir, "tests"));
    fs.writeFileSync(
      path.join(workDir, "tests", "change.tftest.hcl"),
      [
        'mock_provider "aws" {',
        '  mock_data "aws_iam_policy_document" {',
        `    defaults = { json = "${MOCK_POLICY_JSON}" }`,
        "  }",
        ...mocks,
        "}",
        'run "before" {',
        '  state_key = "stack"',
        '  module { source = "./before" }',
        "}",
        'run "after" {',
        "  command = plan",
        '  state_key = "stack"',
        '  module { source = "./after" }',
        "}",
        "",
      ].join("\n"),
    );
    const cliConfig = path.join(workDir, "terraform.rc");
    const changeError = (message: string, output: string) => new OfflinePlanError(message, output);
    fs.writeFileSync(cliConfig, cliConfigText(providerMirror(options.providerMirror, "planChangeOffline", (m) => changeError(m, ""))));
    const name = `${before.node.id} → ${after.node.id}`;
    const step: TerraformStepOptions = {
      terraform: terraformBinary(options.terraform),
      cwd: workDir,
      env: isolatedEnv(cliConfig),
      stackName: name,
      timeoutMs: options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS,
      caller: "planChangeOffline",
      makeError: changeError,
    };
    await terraformStep(["init", "-input=false", "-no-color"], step);
    // `terraform test` exits 1 on a failed run; its JSON lines carry the diagnostics either way.
    const { stdout: lines } = await terraformStep(["test", "-json", "-verbose", "-no-color"], { ...step, okExitCodes: [1] });
    const messages = lines.split("\n").filter(Boolean).map((line) => JSON.parse(line));
    const plan = messages.find((m) => m.type === "test_plan" && m["@testrun"] === "after")?.test_plan;
    if (!plan) throw new OfflinePlanError(`planChangeOffline: no plan of the changed stack for ${name}`, lines);
    return (plan.resource_changes ?? [])
      .filter((rc: { mode: string; change: { actions: string[] } }) => rc.mode === "managed" && rc.change.actions.join() !== "no-op")
      .map((rc: { address: string; type: string; change: { actions: string[] } }) => ({
        address: rc.address,
        type: rc.type,
        actions: rc.change.actions,
      }));
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

/** The synthesized JSON of a stack, through the same synthesizer as `cdktf synth`. */
function stackJson(stack: TerraformStack): any {
  const { stackDir, cleanup } = synthesizedDir(stack, "planChangeOffline", (message) => new OfflinePlanError(message, ""));
  try {
    return JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
  } finally {
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
