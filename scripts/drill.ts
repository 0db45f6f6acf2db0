/**
 * `npm run drill -- <stack> <instance-loss|db-failover|az-loss> [--az <AZ>] [--dry-run] [--yes-production]`
 *
 * Starts one of a stack's failure drills (an AWS FIS experiment template built by FailureDrills),
 * then polls and prints the experiment's state and the stack's alarm states until the experiment
 * ends, or until `--max-minutes` pass (the poll loop is bounded; the experiment is not).
 *
 * - The template id comes from the deployed stack's `drill_templates` output (`terraform output`
 *   in cdktf.out/stacks/<stack>, or `--outputs <file>` holding `terraform output -json`).
 * - `--dry-run` works offline: it synthesizes the stack and prints what the template would do and
 *   which resources it targets, without calling AWS.
 * - A PRODUCTION-intent stack (lab) is refused unless `--yes-production` is given.
 * - `HA_AWS_ENDPOINT` (e.g. `http://127.0.0.1:4566`, a local emulator) overrides the endpoint of the
 *   AWS SDK clients; credentials and region come from the SDK's usual chain and the stack's region.
 * - Ctrl-C while polling stops the experiment (StopExperiment) before exiting.
 */
import { execFileSync } from "child_process";
import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CloudWatchClient, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { FisClient, GetExperimentCommand, StartExperimentCommand, StopExperimentCommand } from "@aws-sdk/client-fis";
import { App, TerraformStack } from "cdktf";
import { ValidationError } from "../lib/errors";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { ALL_DRILLS, DrillKind, DrillTemplate, FailureDrills } from "../modules/drills";
import { HaMonitoring } from "../modules/monitoring";
import { SynthesizedStack, SynthResource, blocks } from "../modules/guardrails/synthesized-stack";

/** The variable holding a custom AWS endpoint (the local emulator), shared with the stacks' config. */
export const ENDPOINT_VARIABLE = "HA_AWS_ENDPOINT";
/** Seconds between polls. */
export const DEFAULT_POLL_SECONDS = 15;
/** Experiment states after which nothing changes. */
export const FINAL_STATES = ["completed", "stopped", "failed", "cancelled"];

/** Bad input to the command (the library's ValidationError): printed without a stack trace, exit code 2. */
export class DrillUsageError extends ValidationError {
  constructor(message: string) {
    super(message);
    this.name = "DrillUsageError";
  }
}

export interface DrillArgs {
  readonly stack: string;
  readonly drill: string;
  readonly az?: string;
  readonly dryRun: boolean;
  readonly yesProduction: boolean;
  readonly outputsFile?: string;
  readonly pollSeconds: number;
  /** @default - the drill's duration plus 15 minutes */
  readonly maxMinutes?: number;
}

export const USAGE =
  "usage: npm run drill -- <stack> <instance-loss|db-failover|az-loss> [--az <AZ>] [--dry-run] [--yes-production] " +
  "[--outputs <terraform-output.json>] [--poll-seconds N] [--max-minutes N]";

/** Parses the command line (after `--`). */
export function parseDrillArgs(argv: readonly string[]): DrillArgs {
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const valued = new Set(["--az", "--outputs", "--poll-seconds", "--max-minutes"]);
  const switches = new Set(["--dry-run", "--yes-production"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (valued.has(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith("--")) throw new DrillUsageError(`${arg} needs a value\n${USAGE}`);
      flags[arg] = value;
    } else if (switches.has(arg)) {
      flags[arg] = true;
    } else if (arg.startsWith("--")) {
      throw new DrillUsageError(`unknown option ${arg}\n${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length !== 2) throw new DrillUsageError(`expected a stack and a drill, got ${JSON.stringify(positional)}\n${USAGE}`);
  const number = (flag: string, fallback?: number): number | undefined => {
    if (flags[flag] === undefined) return fallback;
    const value = Number(flags[flag]);
    if (!Number.isFinite(value) || value <= 0) throw new DrillUsageError(`${flag} (${JSON.stringify(flags[flag])}) must be a positive number`);
    return value;
  };
  return {
    stack: positional[0],
    drill: positional[1],
    az: flags["--az"] as string | undefined,
    dryRun: flags["--dry-run"] === true,
    yesProduction: flags["--yes-production"] === true,
    outputsFile: flags["--outputs"] as string | undefined,
    pollSeconds: number("--poll-seconds", DEFAULT_POLL_SECONDS)!,
    maxMinutes: number("--max-minutes"),
  };
}

/** What the command will start: the stack, its drills module, and the chosen template. */
export interface ChosenDrill {
  readonly stack: HaStack;
  readonly drills: FailureDrills;
  readonly monitoring?: HaMonitoring;
  readonly template: DrillTemplate;
}

/**
 * Finds the stack and the template, refusing what must not run: an unknown stack, drill or AZ
 * (the error lists the valid ones) and a PRODUCTION-intent stack without `--yes-production`
 * (checked for real runs only; a dry run calls nothing).
 */
export function chooseDrill(app: App, args: DrillArgs): ChosenDrill {
  const stacks = app.node.children.filter((c): c is HaStack => c instanceof HaStack);
  const stack = stacks.find((s) => s.node.id === args.stack);
  if (!stack) {
    throw new DrillUsageError(`unknown stack ${JSON.stringify(args.stack)}; the stacks are: ${stacks.map((s) => s.node.id).join(", ")}`);
  }
  const drills = stack.node.findAll().find((c): c is FailureDrills => c instanceof FailureDrills);
  if (!drills) throw new DrillUsageError(`stack ${stack.node.id} has no FailureDrills, so no drill to start`);
  const monitoring = stack.node.findAll().find((c): c is HaMonitoring => c instanceof HaMonitoring);
  const kinds = [...new Set(drills.templates.map((t) => t.kind))];
  if (!kinds.includes(args.drill as DrillKind)) {
    const missing = ALL_DRILLS.filter((k) => !kinds.includes(k));
    throw new DrillUsageError(
      `unknown drill ${JSON.stringify(args.drill)} for stack ${stack.node.id}; valid drills: ${kinds.join(", ")}` +
        (missing.length > 0 ? ` (${stack.node.id} does not carry ${missing.join(", ")})` : ""),
    );
  }
  const kind = args.drill as DrillKind;
  const azs = drills.templates.filter((t) => t.kind === kind && t.az !== undefined).map((t) => t.az!);
  if (kind === DrillKind.AZ_LOSS) {
    if (args.az === undefined) throw new DrillUsageError(`az-loss needs --az <AZ>; valid AZs: ${azs.join(", ")}`);
    if (!azs.includes(args.az)) throw new DrillUsageError(`unknown AZ ${JSON.stringify(args.az)}; valid AZs: ${azs.join(", ")}`);
  } else if (args.az !== undefined) {
    throw new DrillUsageError(`--az applies to az-loss only; ${kind} takes no AZ`);
  }
  const template = drills.template(kind, args.az)!;
  if (!args.dryRun && stack.intent === StackIntent.PRODUCTION && !args.yesProduction) {
    throw new DrillUsageError(
      `stack ${stack.node.id} is a PRODUCTION-intent stack: ${template.key} injects a real failure there. ` +
        `Add --yes-production to start it anyway, or --dry-run to see what it would do`,
    );
  }
  return { stack, drills, monitoring, template };
}

/** The dry run: what the template does, to which resources, and what stops it, from the synthesized JSON. */
export function describeDrill(json: Record<string, any>, chosen: ChosenDrill): string {
  const synth = new SynthesizedStack(json);
  const template = synth
    .resources("aws_fis_experiment_template")
    .find((t) => t.values.tags?.["ha-drill"] === chosen.template.kind && (t.values.tags?.["ha-drill-az"] ?? undefined) === chosen.template.az);
  if (!template) throw new Error(`the synthesized stack has no template tagged ${chosen.template.key}`);
  const name = (r: SynthResource) => r.path?.replace(`${synth.name}/`, "") ?? r.address;
  const refText = (value: unknown) => {
    const refs = synth.refs(value);
    const show = (r: SynthResource) => (typeof r.values.name === "string" && !r.values.name.includes("${") ? `${r.values.name} (${name(r)})` : name(r));
    return refs.length > 0 ? refs.map(show).join(", ") : String(value);
  };
  const lines = [
    `DRY RUN (nothing is started): ${chosen.stack.node.id} ${chosen.template.key} — template ${name(template)} (${template.values.tags?.Name})`,
    `  ${template.values.description}`,
    `  role: ${refText(template.values.role_arn)}`,
    "  targets:",
  ];
  for (const t of blocks(template.values.target)) {
    const selectors = [
      ...(t.resource_arns ?? []).map((arn: unknown) => refText(arn)),
      ...blocks(t.resource_tag).map((tag) => `instances tagged ${tag.key}=${refText(tag.value)}`),
      ...blocks(t.filter).map((f) => `${f.path} in [${(f.values ?? []).join(", ")}]`),
    ];
    lines.push(`    ${t.name}: ${t.resource_type}, ${t.selection_mode}: ${selectors.join("; ")}`);
  }
  lines.push("  actions:");
  for (const a of blocks(template.values.action)) {
    const params = blocks(a.parameter).map((p) => `${p.key}=${p.value}`);
    const target = blocks(a.target)[0];
    lines.push(`    ${a.name}: ${a.action_id} on ${target?.value ?? "-"}${params.length > 0 ? ` (${params.join(", ")})` : ""}`);
  }
  lines.push(`  stops when any alarm fires: ${chosen.template.stopAlarmNames.join(", ") || "none"}`);
  lines.push(`  logs: CloudWatch Logs group ${chosen.drills.logGroupName}`);
  if (chosen.stack.intent === StackIntent.PRODUCTION) lines.push(`  ${chosen.stack.node.id} is PRODUCTION-intent: a real run needs --yes-production`);
  return lines.join("\n");
}

/** Reads `terraform output -json` of the deployed stack, from a file or from Terraform in the stack's directory. */
export function readOutputs(stackDir: string, outputsFile?: string): Record<string, { value: unknown }> {
  if (outputsFile) return JSON.parse(fs.readFileSync(outputsFile, "utf8"));
  try {
    return JSON.parse(execFileSync("terraform", ["output", "-json"], { cwd: stackDir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split("\n").slice(-3).join(" ") ?? String(error);
    throw new DrillUsageError(
      `could not read the outputs of ${stackDir} with \`terraform output -json\` (${detail}); deploy the stack first, ` +
        `or pass --outputs <file> holding that command's output`,
    );
  }
}

/** The template id of a drill from the stack's outputs. */
export function templateIdFromOutputs(outputs: Record<string, { value: unknown }>, key: string, stack: string): string {
  const map = outputs.drill_templates?.value as Record<string, string> | undefined;
  if (!map) throw new DrillUsageError(`stack ${stack} has no drill_templates output; deploy it with its FailureDrills first`);
  const id = map[key];
  if (!id) throw new DrillUsageError(`the deployed ${stack} has no template for ${key} (it has ${Object.keys(map).join(", ")}); deploy the current code`);
  return id;
}

/** SDK clients for the stack's region, pointed at HA_AWS_ENDPOINT when set. */
export function drillClients(region: string, env: NodeJS.ProcessEnv = process.env): { fis: FisClient; cloudwatch: CloudWatchClient } {
  const endpoint = env[ENDPOINT_VARIABLE] || undefined;
  return { fis: new FisClient({ region, endpoint }), cloudwatch: new CloudWatchClient({ region, endpoint }) };
}

export interface RunOptions {
  readonly fis: FisClient;
  readonly cloudwatch: CloudWatchClient;
  readonly templateId: string;
  readonly alarmNames: readonly string[];
  readonly pollSeconds: number;
  readonly maxMinutes: number;
  /** Where progress lines go. @default console.log */
  readonly log?: (line: string) => void;
  /** Set to true (e.g. by Ctrl-C) to stop the experiment and return. */
  readonly abort?: { requested: boolean };
}

export interface RunResult {
  readonly experimentId: string;
  /** The last state seen: a final one, or the state when the poll limit was reached. */
  readonly status: string;
  readonly reason?: string;
  readonly timedOut: boolean;
  /** Alarm name → its state at the last poll. */
  readonly alarmStates: Record<string, string>;
  readonly polls: number;
}

/** Starts the experiment, then polls it and the alarms until it ends, is aborted, or maxMinutes pass. */
export async function startAndWatch(options: RunOptions): Promise<RunResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const started = await options.fis.send(
    new StartExperimentCommand({
      experimentTemplateId: options.templateId,
      clientToken: randomUUID(),
      tags: { "started-by": "npm run drill" },
    }),
  );
  const experimentId = started.experiment?.id;
  if (!experimentId) throw new Error(`StartExperiment returned no experiment id for template ${options.templateId}`);
  log(`started experiment ${experimentId} from template ${options.templateId}`);
  const deadline = Date.now() + options.maxMinutes * 60_000;
  let polls = 0;
  let last = "";
  let status: string = started.experiment?.state?.status ?? "pending";
  let reason = started.experiment?.state?.reason;
  let alarmStates: Record<string, string> = {};
  for (;;) {
    polls++;
    const experiment = await options.fis.send(new GetExperimentCommand({ id: experimentId }));
    status = experiment.experiment?.state?.status ?? "unknown";
    reason = experiment.experiment?.state?.reason;
    alarmStates = await readAlarmStates(options.cloudwatch, options.alarmNames);
    const alarming = Object.entries(alarmStates).filter(([, s]) => s === "ALARM").map(([n]) => n);
    const actions = Object.entries(experiment.experiment?.actions ?? {}).map(([n, a]) => `${n}=${a.state?.status ?? "?"}`);
    const line =
      `${new Date().toISOString()} experiment ${status}${reason ? ` (${reason})` : ""}` +
      (actions.length > 0 ? `; actions ${actions.join(" ")}` : "") +
      `; alarms: ${alarming.length > 0 ? `ALARM ${alarming.join(", ")}` : `none in ALARM (${Object.keys(alarmStates).length} watched)`}`;
    if (line.slice(25) !== last) log(line);
    last = line.slice(25);
    if (FINAL_STATES.includes(status)) return { experimentId, status, reason, timedOut: false, alarmStates, polls };
    if (options.abort?.requested) {
      await options.fis.send(new StopExperimentCommand({ id: experimentId }));
      log(`asked FIS to stop experiment ${experimentId}`);
      return { experimentId, status: "stopping", reason: "stopped by the user", timedOut: false, alarmStates, polls };
    }
    if (Date.now() + options.pollSeconds * 1000 > deadline) {
      log(`experiment ${experimentId} is still ${status} after ${options.maxMinutes} min; stopped watching (it keeps running in AWS)`);
      return { experimentId, status, reason, timedOut: true, alarmStates, polls };
    }
    await sleep(options.pollSeconds * 1000, options.abort);
  }
}

async function readAlarmStates(cloudwatch: CloudWatchClient, names: readonly string[]): Promise<Record<string, string>> {
  const states: Record<string, string> = {};
  // DescribeAlarms takes at most 100 names per call.
  for (let i = 0; i < names.length; i += 100) {
    const page = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), AlarmTypes: ["MetricAlarm"] }));
    for (const alarm of page.MetricAlarms ?? []) states[alarm.AlarmName!] = alarm.StateValue ?? "UNKNOWN";
  }
  for (const name of names) states[name] ??= "MISSING";
  return states;
}

function sleep(ms: number, abort?: { requested: boolean }): Promise<void> {
  return new Promise((resolve) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (abort?.requested || Date.now() - started >= ms) {
        clearInterval(timer);
        resolve();
      }
    }, Math.min(ms, 250));
  });
}

async function main(argv: string[]): Promise<number> {
  const args = parseDrillArgs(argv);
  const { buildApp } = await import("../main");
  const app = buildApp();
  const chosen = chooseDrill(app, args);
  app.synth();
  const stackDir = path.join(app.outdir, app.manifest.forStack(chosen.stack as TerraformStack).workingDirectory);
  if (args.dryRun) {
    console.log(describeDrill(JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")), chosen));
    return 0;
  }
  const outputs = readOutputs(stackDir, args.outputsFile);
  const templateId = templateIdFromOutputs(outputs, chosen.template.key, chosen.stack.node.id);
  const alarmNames = (outputs.alarm_names?.value as string[] | undefined) ?? chosen.monitoring?.alarms.map((a) => a.name) ?? [];
  const { fis, cloudwatch } = drillClients(chosen.stack.region);
  const abort = { requested: false };
  process.once("SIGINT", () => {
    abort.requested = true;
  });
  const minutes = chosen.template.kind === DrillKind.AZ_LOSS ? chosen.drills.azLossDurationMinutes : 5;
  const result = await startAndWatch({
    fis,
    cloudwatch,
    templateId,
    alarmNames,
    pollSeconds: args.pollSeconds,
    maxMinutes: args.maxMinutes ?? minutes + 15,
  });
  console.log(`${chosen.stack.node.id} ${chosen.template.key}: experiment ${result.experimentId} ${result.status}`);
  return result.status === "completed" ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error instanceof DrillUsageError ? `drill: ${error.message}` : error);
      process.exitCode = error instanceof DrillUsageError ? 2 : 1;
    },
  );
}
