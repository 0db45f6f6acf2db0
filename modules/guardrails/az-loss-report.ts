import * as fs from "fs";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { DeclaredSuppression, GuardrailFinding, Guardrails } from "./guardrails";
import {
  autoScalingAzs,
  clusterInstances,
  endpointService,
  gatewayEndpointRouteTables,
  gatewayEndpoints,
  listText,
  loadBalancerSubnetIds,
  numberValue,
  privateDnsInterfaceEndpoints,
  workloadSubnets,
} from "./rule-helpers";
import { ADMIN_CONNECTION_HEADROOM } from "../../lib/connection-budget";
import { connectionBudgetOf, StackConnectionBudget } from "./rules/ha-db-2-connection-budget";
import { SynthesizedStack, SynthResource, blocks, literal } from "./synthesized-stack";
import { DRILL_AZ_TAG, DRILL_TAG } from "../../lib/drill-tags";

/** What losing every instance of an Aurora cluster means. */
const DATABASE_DOWN =
  "it is down until a new instance is created in a surviving AZ (the cluster volume spans three AZs, so the data survives)";

/** File names of the report, written next to the stack's cdk.tf.json. */
export const HA_REPORT_MARKDOWN_FILE = "ha-report.md";
export const HA_REPORT_JSON_FILE = "ha-report.json";

/** A load balancer when one AZ is lost: it keeps serving while it has a subnet elsewhere. */
export interface LoadBalancerImpact {
  readonly resource: string;
  readonly azs: readonly string[];
  readonly survivingAzs: readonly string[];
  readonly ok: boolean;
}

/**
 * An Auto Scaling group when one AZ is lost. Instances are assumed spread evenly, so the lost AZ
 * held ceil(min / azCount) of the minimum; the group then relaunches them in surviving AZs.
 */
export interface CapacityImpact {
  readonly resource: string;
  readonly azs: readonly string[];
  /** undefined when min_size is an expression. */
  readonly minSize?: number;
  readonly capacityLeft?: number;
  readonly relaunchAzs: readonly string[];
  readonly canRelaunch: boolean;
  readonly ok: boolean;
}

/** A private subnet outside the lost AZ: it keeps internet egress if its NAT gateway is elsewhere. */
export interface EgressImpact {
  readonly subnet: string;
  readonly subnetAz: string;
  readonly natGateway: string;
  /** undefined when the NAT gateway's AZ cannot be told. */
  readonly natAz?: string;
  readonly ok: boolean;
}

/** A database cluster: it keeps a writer while an instance (writer or promotable reader) survives. */
export interface DatabaseImpact {
  readonly resource: string;
  readonly instances: ReadonlyArray<{ readonly resource: string; readonly az?: string }>;
  readonly survivingInstances: readonly string[];
  readonly ok: boolean;
}

/**
 * A workload subnet outside the lost AZ and an AWS service it reaches through a VPC endpoint. With
 * private DNS an interface endpoint carries every call to its service from the VPC, whatever the
 * NAT gateways do; a gateway endpoint is a regional route and has no AZ to lose.
 */
export interface ServiceImpact {
  /** Short service name, e.g. `secretsmanager`. */
  readonly service: string;
  readonly endpoint: string;
  readonly kind: "interface" | "gateway";
  readonly subnet: string;
  readonly subnetAz: string;
  /** Interface endpoints: the endpoint's AZs still up (empty for gateway endpoints). */
  readonly survivingEndpointAzs: readonly string[];
  /** `own-az`: an endpoint interface in the subnet's own AZ; `other-az`: only elsewhere; `gateway`: a regional route. */
  readonly via?: "own-az" | "other-az" | "gateway";
  readonly ok: boolean;
}

/** What still works when one AZ is lost. */
export interface AzLossScenario {
  readonly lostAz: string;
  readonly loadBalancers: readonly LoadBalancerImpact[];
  readonly capacity: readonly CapacityImpact[];
  readonly egress: readonly EgressImpact[];
  readonly databases: readonly DatabaseImpact[];
  /** AWS services the surviving workload subnets reach through VPC endpoints. */
  readonly awsServices: readonly ServiceImpact[];
  /** True when nothing above loses service. */
  readonly keepsService: boolean;
  /** One sentence per loss, naming the resource and the cause. */
  readonly losses: readonly string[];
  /** The FIS experiment templates that make this AZ's loss happen (`npm run drill -- <stack> az-loss --az <az>`). */
  readonly drills: readonly string[];
  /** Alarms that watch this AZ alone (AvailabilityZone dimension); the stack-wide ones are in `AzLossReport.alarms`. */
  readonly alarms: readonly string[];
}

/** A drill (FIS experiment template) of the stack. */
export interface ReportedDrill {
  /** The template's Name tag, else its construct path. */
  readonly name: string;
  /** `instance-loss`, `db-failover`, `az-loss`, or undefined for a template the library did not tag. */
  readonly kind?: string;
  readonly az?: string;
}

/** A suppression and how many findings it covers (0: stale, remove it). */
export interface ReportedSuppression extends DeclaredSuppression {
  readonly findings: number;
}

/** One Auto Scaling group's connection budget against its database (see HA-DB-2). */
export interface ConnectionBudgetLine {
  readonly group: string;
  readonly database: string;
  readonly maxSize: number;
  readonly perInstance: number;
  /** maxSize × perInstance + the administration headroom. */
  readonly needed: number;
  /** Undefined when the database's max_connections is unknown. */
  readonly maxConnections?: number;
  readonly ok: boolean;
}

/** The single-AZ-loss report of one stack. */
export interface AzLossReport {
  readonly stack: string;
  /** AZs the stack uses (pinned subnets and database instances), sorted. */
  readonly azs: readonly string[];
  readonly scenarios: readonly AzLossScenario[];
  /** AZs whose loss costs service. */
  readonly serviceLostIn: readonly string[];
  /** Each app tier's database connection budget at full scale-out (HA-DB-2), when its user data runs a php-fpm pool. */
  readonly connectionBudgets: readonly ConnectionBudgetLine[];
  /** Every FIS experiment template of the stack. */
  readonly drills: readonly ReportedDrill[];
  /** Alarms that watch every AZ (no AvailabilityZone dimension), by name. */
  readonly alarms: readonly string[];
  /** Guardrail findings (suppressed ones with their reasons) and declared suppressions. */
  readonly guardrails: {
    readonly findings: readonly GuardrailFinding[];
    readonly suppressions: readonly ReportedSuppression[];
  };
}

/** Policy results to include in a report (from `Guardrails.findings` / `Guardrails.suppressions`). */
export interface AzLossReportOptions {
  /** @default - none */
  readonly findings?: readonly GuardrailFinding[];
  /** @default - none */
  readonly suppressions?: readonly DeclaredSuppression[];
}

/**
 * Computes, from a stack's synthesized JSON, what still works when each AZ is lost: load
 * balancer nodes, app capacity against the ASG minimum, private egress, and the database.
 */
export function buildAzLossReport(json: Record<string, any>, options: AzLossReportOptions = {}): AzLossReport {
  const stack = new SynthesizedStack(json);
  const label = (r: SynthResource) => shortLabel(r, stack.name);
  const azs = stackAzs(stack);

  const loadBalancers = [...stack.resources("aws_lb"), ...stack.resources("aws_alb")].map((lb) => ({
    lb,
    azs: stack.subnetSpread(loadBalancerSubnetIds(lb)).azs,
  }));
  const groups = stack.resources("aws_autoscaling_group").map((group) => ({
    group,
    azs: autoScalingAzs(group, stack).azs,
    min: numberValue(group.values.min_size),
  }));
  const privateSubnets = stack
    .resources("aws_subnet")
    .map((subnet) => ({ subnet, az: stack.azOf(subnet), route: stack.defaultRouteOf(subnet) }))
    .filter((s) => s.az !== undefined && s.route?.kind === "nat");
  const clusters = stack.resources("aws_rds_cluster").map((cluster) => ({
    cluster,
    instances: clusterInstances(cluster, stack).map((i) => ({ resource: label(i), az: literal(i.values.availability_zone) })),
  }));

  // The VPC resource, else its literal id (a VPC the stack does not create, e.g. `vpc-0123…`).
  const vpcOf = (r: SynthResource) => stack.ref(r.values.vpc_id) ?? literal(r.values.vpc_id);
  const workloads = workloadSubnets(stack)
    .map((subnet) => ({ subnet, az: stack.azOf(subnet), vpc: vpcOf(subnet), table: stack.routeTableOf(subnet) }))
    .filter((w): w is typeof w & { az: string } => w.az !== undefined);
  const interfaceEndpoints = privateDnsInterfaceEndpoints(stack).map((endpoint) => ({
    endpoint,
    vpc: vpcOf(endpoint),
    azs: stack.subnetSpread(endpoint.values.subnet_ids).azs,
  }));
  const gateways = gatewayEndpoints(stack).map((endpoint) => ({ endpoint, tables: gatewayEndpointRouteTables(endpoint, stack) }));
  const connectionBudgets = stack
    .resources("aws_autoscaling_group")
    .map((group) => connectionBudgetOf(group, stack))
    .filter((b): b is StackConnectionBudget => b !== undefined)
    .map((b) => ({
      group: label(b.group),
      database: label(b.cluster),
      maxSize: b.maxSize,
      perInstance: b.perInstance,
      needed: b.needed,
      maxConnections: b.maxConnections,
      ok: b.maxConnections !== undefined && b.needed <= b.maxConnections,
    }));
  const drills = stack.resources("aws_fis_experiment_template").map((t): ReportedDrill => {
    const tags = (t.values.tags ?? {}) as Record<string, unknown>;
    return { name: literal(tags.Name) ?? label(t), kind: literal(tags[DRILL_TAG]), az: literal(tags[DRILL_AZ_TAG]) };
  });
  const alarms = stack.resources("aws_cloudwatch_metric_alarm").map((a) => ({
    name: literal(a.values.alarm_name) ?? label(a),
    az: alarmAz(a),
  }));

  const scenarios = azs.map((lost): AzLossScenario => {
    const losses: string[] = [];
    const lbImpacts = loadBalancers.map(({ lb, azs: lbAzs }) => {
      const survivingAzs = lbAzs.filter((az) => az !== lost);
      if (survivingAzs.length === 0) losses.push(`load balancer ${label(lb)} has no subnet outside ${lost}: it stops serving`);
      return { resource: label(lb), azs: lbAzs, survivingAzs, ok: survivingAzs.length > 0 };
    });
    const capacity = groups.map(({ group, azs: groupAzs, min }) => {
      const relaunchAzs = groupAzs.filter((az) => az !== lost);
      const capacityLeft =
        min === undefined ? undefined : groupAzs.includes(lost) ? min - Math.ceil(min / groupAzs.length) : min;
      const ok = min === 0 || (capacityLeft !== undefined && capacityLeft >= 1);
      if (!ok) {
        losses.push(
          `app ${label(group)}: ${capacityLeft ?? "unknown"} of ${min ?? "?"} minimum instances left` +
            (relaunchAzs.length > 0 ? ` until the group relaunches in ${listText(relaunchAzs)}` : "; no other AZ to relaunch in"),
        );
      }
      return { resource: label(group), azs: groupAzs, minSize: min, capacityLeft, relaunchAzs, canRelaunch: relaunchAzs.length > 0, ok };
    });
    const egress = privateSubnets
      .filter((s) => s.az !== lost)
      .map(({ subnet, az, route }) => {
        const natAz = route!.target ? stack.natAz(route!.target) : undefined;
        const ok = natAz !== undefined && natAz !== lost;
        const natGateway = route!.target ? label(route!.target) : route!.targetText;
        if (!ok) {
          losses.push(
            `private subnet ${label(subnet)} (${az}) loses internet egress: its NAT gateway ${natGateway} is in ${natAz ?? "an unknown AZ"}`,
          );
        }
        return { subnet: label(subnet), subnetAz: az!, natGateway, natAz, ok };
      });
    const databases = clusters.map(({ cluster, instances }) => {
      const survivingInstances = instances.filter((i) => i.az !== undefined && i.az !== lost).map((i) => i.resource);
      const ok = survivingInstances.length > 0;
      if (!ok) {
        losses.push(
          `database ${label(cluster)} has no instance pinned outside ${lost} ` +
            // Aurora's cluster volume is replicated across three AZs: the data survives, the service does not.
            `(${instances.length} instance(s)): ${DATABASE_DOWN}`,
        );
      }
      return { resource: label(cluster), instances, survivingInstances, ok };
    });
    const awsServices: ServiceImpact[] = [];
    for (const { subnet, az, vpc, table } of workloads.filter((w) => w.az !== lost)) {
      for (const { endpoint, vpc: endpointVpc, azs: endpointAzs } of interfaceEndpoints) {
        if (vpc === undefined || endpointVpc !== vpc) continue;
        const surviving = endpointAzs.filter((endpointAz) => endpointAz !== lost);
        const service = endpointService(endpoint);
        const via = surviving.includes(az) ? "own-az" : surviving.length > 0 ? "other-az" : undefined;
        if (!via) {
          losses.push(
            `subnet ${label(subnet)} (${az}) loses ${service}: its interface endpoint ${label(endpoint)} has no network interface ` +
              `outside ${lost}, and private DNS sends every call to ${service} there`,
          );
        }
        awsServices.push({ service, endpoint: label(endpoint), kind: "interface", subnet: label(subnet), subnetAz: az, survivingEndpointAzs: surviving, via, ok: via !== undefined });
      }
      for (const { endpoint, tables } of gateways) {
        if (!table || !tables.includes(table)) continue;
        awsServices.push({
          service: endpointService(endpoint),
          endpoint: label(endpoint),
          kind: "gateway",
          subnet: label(subnet),
          subnetAz: az,
          survivingEndpointAzs: [],
          via: "gateway",
          ok: true,
        });
      }
    }
    return {
      lostAz: lost,
      loadBalancers: lbImpacts,
      capacity,
      egress,
      databases,
      awsServices,
      keepsService: losses.length === 0,
      losses,
      drills: drills.filter((d) => d.kind === "az-loss" && d.az === lost).map((d) => d.name),
      alarms: alarms.filter((a) => a.az === lost).map((a) => a.name),
    };
  });

  const findings = options.findings ?? [];
  return {
    stack: stack.name,
    azs,
    scenarios,
    serviceLostIn: scenarios.filter((s) => !s.keepsService).map((s) => s.lostAz),
    connectionBudgets,
    drills,
    alarms: alarms.filter((a) => a.az === undefined).map((a) => a.name),
    guardrails: {
      findings,
      suppressions: (options.suppressions ?? []).map((s) => ({
        ...s,
        findings: findings.filter((f) => f.suppressedBy?.path === s.path && f.suppressedBy.ruleId === s.ruleId).length,
      })),
    },
  };
}

/** The report as Markdown: a per-AZ table, the losses, then guardrail findings and suppressions. */
export function renderAzLossMarkdown(report: AzLossReport): string {
  const lines: string[] = [];
  lines.push(`## Stack \`${report.stack}\`: what still works when one AZ is lost`, "");
  if (report.azs.length === 0) {
    lines.push("No resource of this stack is pinned to an AZ; nothing to report.", "");
  } else {
    lines.push(`AZs: ${report.azs.join(", ")}.`, "");
    lines.push("| Lost AZ | Load balancer nodes | App capacity (left / min) | Private egress | AWS services via endpoints | Database | Service | Drill | Watched by |");
    lines.push("|---|---|---|---|---|---|---|---|---|");
    for (const s of report.scenarios) {
      lines.push(
        `| ${s.lostAz} | ${cell(s.loadBalancers, (lb) => `${mark(lb.ok)} ${lb.resource}: ${lb.survivingAzs.join(", ") || "none left"}`)} ` +
          `| ${cell(s.capacity, (c) => `${mark(c.ok)} ${c.resource}: ${c.capacityLeft ?? "?"} / ${c.minSize ?? "?"}${c.canRelaunch ? `, relaunches in ${c.relaunchAzs.join(", ")}` : ", cannot relaunch"}`)} ` +
          `| ${s.egress.length === 0 ? "—" : `${mark(s.egress.every((e) => e.ok))}: ${s.egress.filter((e) => e.ok).length}/${s.egress.length} surviving private subnets keep egress`} ` +
          `| ${serviceCell(s.awsServices)} ` +
          `| ${cell(s.databases, (d) => `${mark(d.ok)} ${d.resource}: ${d.survivingInstances.length > 0 ? `${d.survivingInstances.length} instance(s) left` : "no instance left"}`)} ` +
          `| ${s.keepsService ? "ok: no loss of service" : `**LOSS** (${s.losses.length})`} ` +
          `| ${s.drills.length === 0 ? "none" : s.drills.map((d) => `\`${d}\``).join("<br>")} ` +
          `| ${[...s.alarms.map((a) => `\`${a}\``), ...(report.alarms.length > 0 ? [`the ${report.alarms.length} stack-wide alarms`] : [])].join("<br>") || "no alarm"} |`,
      );
    }
    lines.push("");
    lines.push(
      `Stack-wide alarms: ${report.alarms.length === 0 ? "none" : report.alarms.map((a) => `\`${a}\``).join(", ")}. ` +
        `Drills: ${report.drills.length === 0 ? "none" : report.drills.map((d) => `\`${d.kind ? `${d.kind}${d.az ? ` --az ${d.az}` : ""}` : d.name}\``).join(", ")}` +
        `${report.drills.length > 0 ? ` (start one with \`npm run drill -- ${report.stack} <drill> [--az <AZ>]\`)` : ""}.`,
      "",
    );
    const lossy = report.scenarios.filter((s) => s.losses.length > 0);
    if (lossy.length === 0) {
      lines.push("No loss of service for any single AZ.", "");
    } else {
      lines.push("### Losses", "");
      for (const s of lossy) for (const loss of s.losses) lines.push(`- **${s.lostAz} lost**: ${loss}`);
      lines.push("");
    }
  }
  if (report.connectionBudgets.length > 0) {
    lines.push("### Database connection budget (HA-DB-2)", "", "| App tier | Database | max_size × workers + admin | max_connections | Fits |", "|---|---|---|---|---|");
    for (const b of report.connectionBudgets) {
      lines.push(`| ${b.group} | ${b.database} | ${b.maxSize} × ${b.perInstance} + ${ADMIN_CONNECTION_HEADROOM} = ${b.needed} | ${b.maxConnections ?? "unknown"} | ${b.ok ? "ok" : "**OVER**"} |`);
    }
    lines.push("");
  }
  const { findings, suppressions } = report.guardrails;
  lines.push("### Guardrail findings", "");
  if (findings.length === 0) {
    lines.push("None: every rule of the enabled packs passes.", "");
  } else {
    lines.push("| Rule | Level | Resource | Status | Problem |", "|---|---|---|---|---|");
    for (const f of findings) {
      const status = f.suppressedBy ? `suppressed: ${escape(f.suppressedBy.reason)}` : f.level === "error" ? "**FAILS SYNTH**" : "warning";
      lines.push(`| ${f.ruleId} | ${f.level} | ${f.path} | ${status} | ${escape(f.problem)} |`);
    }
    lines.push("");
  }
  lines.push("### Suppressions", "");
  if (suppressions.length === 0) {
    lines.push("None.", "");
  } else {
    lines.push("| Rule | Declared on | Findings covered | Reason |", "|---|---|---|---|");
    for (const s of suppressions) {
      lines.push(`| ${s.ruleId} | ${s.path} | ${s.findings === 0 ? "0 (stale: remove it)" : s.findings} | ${escape(s.reason)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** Writes `ha-report.md` and `ha-report.json` into a synthesized stack's directory. */
export function writeAzLossReport(stackDir: string, report: AzLossReport): { markdown: string; json: string } {
  const markdown = path.join(stackDir, HA_REPORT_MARKDOWN_FILE);
  const json = path.join(stackDir, HA_REPORT_JSON_FILE);
  fs.writeFileSync(markdown, renderAzLossMarkdown(report));
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  return { markdown, json };
}

/** One stack's report and where it was written. */
export interface WrittenReport {
  readonly stack: TerraformStack;
  readonly report: AzLossReport;
  readonly markdownFile: string;
  readonly jsonFile: string;
}

/**
 * Reports every stack of an app that has been synthesized (`app.synth()`): reads each stack's
 * cdk.tf.json — exactly what Terraform gets — and writes the report next to it.
 */
export function reportApp(app: App): WrittenReport[] {
  const stacks = app.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
  return stacks.map((stack) => {
    const stackDir = path.join(app.outdir, app.manifest.forStack(stack).workingDirectory);
    const json = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
    const report = buildAzLossReport(json, {
      findings: Guardrails.findings(stack),
      suppressions: Guardrails.suppressions(stack),
    });
    const files = writeAzLossReport(stackDir, report);
    return { stack, report, markdownFile: files.markdown, jsonFile: files.json };
  });
}

/** The AZ an alarm watches: its `AvailabilityZone` dimension, in the alarm or its metric math. */
function alarmAz(alarm: SynthResource): string | undefined {
  const dimensions = [alarm.values.dimensions, ...blocks(alarm.values.metric_query).map((q) => blocks(q.metric)[0]?.dimensions)];
  for (const d of dimensions) {
    const az = literal(d?.AvailabilityZone);
    if (az) return az;
  }
  return undefined;
}

/** AZs the stack places things in: pinned subnets, database instances, ASG availability_zones. */
function stackAzs(stack: SynthesizedStack): string[] {
  const azs = new Set<string>();
  for (const subnet of stack.resources("aws_subnet")) {
    const az = stack.azOf(subnet);
    if (az) azs.add(az);
  }
  for (const instance of stack.resources("aws_rds_cluster_instance")) {
    const az = literal(instance.values.availability_zone);
    if (az) azs.add(az);
  }
  for (const group of stack.resources("aws_autoscaling_group")) {
    for (const az of autoScalingAzs(group, stack).azs) azs.add(az);
  }
  return [...azs].sort();
}

/** The construct path below the stack (`Network/us-east-1a/NatGateway`), else the address. */
function shortLabel(resource: SynthResource, stackName: string): string {
  if (!resource.path) return resource.address;
  return resource.path.startsWith(`${stackName}/`) ? resource.path.slice(stackName.length + 1) : resource.path;
}

/** Per service: whether every surviving workload subnet still reaches it, and how. */
function serviceCell(impacts: readonly ServiceImpact[]): string {
  const services = [...new Set(impacts.map((i) => i.service))];
  if (services.length === 0) return "—";
  return services
    .map((service) => {
      const of = impacts.filter((i) => i.service === service);
      const ok = of.filter((i) => i.ok);
      const how = of[0].kind === "gateway" ? "gateway" : ok.every((i) => i.via === "own-az") && ok.length > 0 ? "own AZ" : "endpoint";
      return `${mark(ok.length === of.length)} ${service}: ${ok.length}/${of.length} (${how})`;
    })
    .join("<br>");
}

function cell<T>(items: readonly T[], render: (item: T) => string): string {
  return items.length === 0 ? "—" : items.map(render).join("<br>");
}

function mark(ok: boolean): string {
  return ok ? "ok" : "LOST";
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
