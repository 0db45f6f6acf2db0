import { TerraformStack } from "cdktf";
import { loadBalancerSubnetIds, numberValue } from "../guardrails/rule-helpers";
import { SynthesizedStack, SynthResource, blocks, isTrue, literal } from "../guardrails/synthesized-stack";
import { CostAssumptions, resolveCostAssumptions } from "./assumptions";
import { PRICE_TABLE, Price, PriceTable, RegionPrices } from "./prices";

/** What a line item pays for; lines are grouped and compared by it. */
export type CostCategory =
  | "nat-gateway"
  | "public-ipv4"
  | "load-balancer"
  | "compute"
  | "block-storage"
  | "database"
  | "logs"
  | "secrets"
  | "alarms"
  | "dashboards"
  | "notifications"
  | "fault-injection"
  | "vpc-endpoints";

/** One line of the estimate: a quantity of one billed unit, over every resource that uses it. */
export interface CostLineItem {
  readonly category: CostCategory;
  /** What is billed, e.g. `NAT gateway hours`, `t3.micro instance hours`. */
  readonly item: string;
  /** The resources billed on this line (construct paths below the stack, else addresses). */
  readonly resources: readonly string[];
  /** Billed units a month (a run, for `perRun` lines). */
  readonly quantity: number;
  readonly unit: string;
  /** The table's price; absent on unpriced lines. */
  readonly price?: Price;
  /** USD a month; absent on unpriced and per-run lines. */
  readonly monthlyUsd?: number;
  /** USD per run of an experiment: not a monthly cost, not in the total. */
  readonly perRunUsd?: number;
  /** Why this line has no price (region or type not in the table, a configuration not modelled). */
  readonly unpriced?: string;
  /** The assumption the quantity rests on, as `name = value unit`. */
  readonly assumption?: string;
}

/** A monthly cost estimate of one synthesized stack. */
export interface CostEstimate {
  readonly stack: string;
  /** The provider's region; undefined when it is not a literal. */
  readonly region?: string;
  readonly currency: "USD";
  /** When the price table was recorded; the prices' own dates are on each line. */
  readonly pricesRecorded: string;
  readonly assumptions: Required<CostAssumptions>;
  readonly lines: readonly CostLineItem[];
  /** Sum of the priced monthly lines. Unpriced lines are not in it: see `unpriced`. */
  readonly monthlyTotalUsd: number;
  /** Lines without a price, each naming why. Non-empty means the total is a lower bound. */
  readonly unpriced: readonly CostLineItem[];
  /** Costs charged per experiment run, not per month. */
  readonly perRun: readonly CostLineItem[];
  /** What the estimate leaves out on purpose (usage-billed, or not modelled). */
  readonly notEstimated: readonly string[];
}

/** Left out of every estimate; named so nobody reads the total as the whole bill. */
export const ALWAYS_NOT_ESTIMATED: readonly string[] = [
  "data transfer out to the internet and between AZs (per GB, depends on traffic)",
  "CloudWatch Logs storage after ingestion, and log groups other than flow logs (e.g. Aurora log exports, enhanced monitoring)",
  "Aurora backup storage beyond the free amount (the cluster's size within the retention period)",
  "S3 storage and requests (e.g. ALB access logs), KMS keys and requests, Secrets Manager API calls",
];

/** Something a resource is billed for, before the table is consulted. */
interface Charge {
  readonly category: CostCategory;
  readonly item: string;
  readonly resource: string;
  readonly quantity: number;
  readonly unit: string;
  /** Picks the price from a region's prices; undefined: not in the table. */
  readonly price?: (prices: RegionPrices) => Price | undefined;
  /** Why no price applies, when the configuration itself is not modelled. */
  readonly unpriced?: string;
  /** Names what the table lacks, for the unpriced message (`instance type "x"`). */
  readonly lookup?: string;
  readonly assumption?: string;
  readonly perRun?: boolean;
}

/**
 * Estimates the monthly cost of a stack from its synthesized JSON — the same document Terraform
 * gets, so resources of known types are priced whichever construct (or raw resource) made them.
 *
 * Pass a stack (its `toTerraform()` is read) or the parsed `cdk.tf.json`. Prices come from the
 * pinned {@link PRICE_TABLE}; a region, instance type or class missing from it gives a line
 * whose `unpriced` names what is missing, never a zero. Usage the stack cannot tell (NAT traffic,
 * LCUs, Aurora storage and I/O, log volume) comes from `assumptions`.
 *
 * @throws ValidationError when an assumption is negative, NaN, not a number, or unknown.
 */
export function estimateMonthlyCost(
  stack: TerraformStack | Record<string, any>,
  assumptions: CostAssumptions = {},
  table: PriceTable = PRICE_TABLE,
): CostEstimate {
  const resolved = resolveCostAssumptions(assumptions);
  const json = TerraformStack.isStack(stack) ? stack.toTerraform() : stack;
  const synthesized = new SynthesizedStack(json);
  const region = providerRegion(json);
  const prices = region ? table.regions[region] : undefined;
  const charges = collectCharges(synthesized, resolved);

  const lines = mergeCharges(
    charges.map((charge) => priceCharge(charge, region, prices, table)),
  );
  const priced = lines.filter((l) => l.monthlyUsd !== undefined);
  return {
    stack: synthesized.name,
    region,
    currency: "USD",
    pricesRecorded: table.recorded,
    assumptions: resolved,
    lines,
    monthlyTotalUsd: roundCents(priced.reduce((sum, l) => sum + (l.monthlyUsd ?? 0), 0)),
    unpriced: lines.filter((l) => l.unpriced !== undefined),
    perRun: lines.filter((l) => l.perRunUsd !== undefined),
    notEstimated: ALWAYS_NOT_ESTIMATED,
  };
}

/** The sum of an estimate's priced monthly lines of some categories. */
export function monthlyUsdOf(estimate: CostEstimate, categories: readonly CostCategory[]): number {
  return roundCents(
    estimate.lines.filter((l) => categories.includes(l.category)).reduce((sum, l) => sum + (l.monthlyUsd ?? 0), 0),
  );
}

function collectCharges(stack: SynthesizedStack, a: Required<CostAssumptions>): Charge[] {
  const label = (r: SynthResource) => shortLabel(r, stack.name);
  const hours = a.hoursPerMonth;
  const charges: Charge[] = [];
  const add = (charge: Charge) => charges.push(charge);

  // --- NAT gateways: hours each; the stack's assumed traffic shared among them.
  const nats = stack.resources("aws_nat_gateway");
  for (const nat of nats) {
    add({ category: "nat-gateway", item: "NAT gateway hours", resource: label(nat), quantity: hours, unit: "hour", price: (p) => p.natGatewayHour });
    add({
      category: "nat-gateway",
      item: "NAT gateway data processed",
      resource: label(nat),
      quantity: a.natDataGbPerMonth / nats.length,
      unit: "GB",
      price: (p) => p.natGatewayDataGb,
      assumption: `natDataGbPerMonth = ${a.natDataGbPerMonth} GB, shared by ${nats.length} gateway(s)`,
    });
  }

  // --- Public IPv4: every Elastic IP, every node of an internet-facing ALB, instance public IPs.
  for (const eip of stack.resources("aws_eip")) {
    add({ category: "public-ipv4", item: "public IPv4 address hours (Elastic IPs)", resource: label(eip), quantity: hours, unit: "hour", price: (p) => p.publicIpv4Hour });
  }
  for (const lb of [...stack.resources("aws_lb"), ...stack.resources("aws_alb")]) {
    const type = literal(lb.values.load_balancer_type) ?? "application";
    if (type !== "application") {
      add({ category: "load-balancer", item: `${type} load balancer`, resource: label(lb), quantity: hours, unit: "hour", unpriced: `${type} load balancers are not in the price table (application only)` });
      continue;
    }
    add({ category: "load-balancer", item: "ALB hours", resource: label(lb), quantity: hours, unit: "hour", price: (p) => p.albHour });
    add({
      category: "load-balancer",
      item: "ALB LCU-hours",
      resource: label(lb),
      quantity: a.albLcusPerHour * hours,
      unit: "LCU-hour",
      price: (p) => p.albLcuHour,
      assumption: `albLcusPerHour = ${a.albLcusPerHour} LCU`,
    });
    if (!isTrue(lb.values.internal)) {
      const subnetIds = loadBalancerSubnetIds(lb);
      const spread = stack.subnetSpread(subnetIds);
      // One node, hence one public address, per AZ the ALB is enabled in.
      const nodes = spread.azs.length + spread.unknown.length;
      add({ category: "public-ipv4", item: "public IPv4 address hours (ALB nodes, one per AZ)", resource: label(lb), quantity: nodes * hours, unit: "hour", price: (p) => p.publicIpv4Hour });
    }
  }

  // --- EC2: Auto Scaling groups at desired capacity (else min), by the launch template's type.
  for (const group of stack.resources("aws_autoscaling_group")) {
    const count = numberValue(group.values.desired_capacity) ?? numberValue(group.values.min_size);
    const template = stack.refs(group.values.launch_template, "aws_launch_template")[0];
    const where = label(group);
    if (count === undefined) {
      add({ category: "compute", item: "EC2 instances", resource: where, quantity: 0, unit: "instance", unpriced: "desired_capacity and min_size are not literal numbers" });
      continue;
    }
    if (blocks(group.values.mixed_instances_policy).length > 0 || !template) {
      add({ category: "compute", item: "EC2 instance hours", resource: where, quantity: count * hours, unit: "hour", unpriced: "the instance type is not read from a launch template of this stack (mixed instances policy or external template)" });
      continue;
    }
    instanceCharges(template, count, where, hours, add);
  }
  for (const instance of stack.resources("aws_instance")) {
    instanceCharges(instance, 1, label(instance), hours, add);
  }
  for (const volume of stack.resources("aws_ebs_volume")) {
    volumeCharge(volume.values, 1, label(volume), add);
  }

  // --- Aurora: instances by class, the cluster volume once per cluster, the managed secret.
  const clusters = stack.resources("aws_rds_cluster");
  for (const instance of stack.resources("aws_rds_cluster_instance")) {
    const cluster = stack.ref(instance.values.cluster_identifier);
    const engine = literal(instance.values.engine) ?? (cluster && literal(cluster.values.engine)) ?? "aurora-mysql";
    const cls = literal(instance.values.instance_class);
    const item = `Aurora ${engine === "aurora-mysql" || engine === "aurora" ? "MySQL" : engine} ${cls ?? "?"} instance hours`;
    if (engine !== "aurora-mysql" && engine !== "aurora") {
      add({ category: "database", item, resource: label(instance), quantity: hours, unit: "hour", unpriced: `engine "${engine}" is not in the price table (Aurora MySQL only)` });
    } else if (!cls || cls === "db.serverless") {
      add({ category: "database", item, resource: label(instance), quantity: hours, unit: "hour", unpriced: cls ? "Aurora Serverless v2 (ACU-hours) is not in the price table" : "instance_class is not a literal" });
    } else {
      add({ category: "database", item, resource: label(instance), quantity: hours, unit: "hour", price: (p) => p.auroraMysqlInstanceHour[cls], lookup: `DB instance class "${cls}"` });
    }
  }
  for (const cluster of clusters) {
    const engine = literal(cluster.values.engine) ?? "aurora";
    if (!engine.startsWith("aurora")) continue;
    const ioOptimized = literal(cluster.values.storage_type) === "aurora-iopt1";
    const storage: Charge = {
      category: "database",
      item: "Aurora storage",
      resource: label(cluster),
      quantity: a.auroraStorageGbPerCluster,
      unit: "GB-month",
      price: (p) => p.auroraStorageGbMonth,
      assumption: `auroraStorageGbPerCluster = ${a.auroraStorageGbPerCluster} GB`,
    };
    const io: Charge = {
      category: "database",
      item: "Aurora I/O requests",
      resource: label(cluster),
      quantity: a.auroraIoMillionsPerCluster,
      unit: "1M requests",
      price: (p) => p.auroraIoMillionRequests,
      assumption: `auroraIoMillionsPerCluster = ${a.auroraIoMillionsPerCluster} million`,
    };
    const iopt = "Aurora I/O-Optimized (storage_type aurora-iopt1) is not in the price table";
    add(ioOptimized ? { ...storage, price: undefined, unpriced: iopt } : storage);
    if (!ioOptimized) add(io);
  }
  for (const database of [...clusters, ...stack.resources("aws_db_instance")]) {
    if (isTrue(database.values.manage_master_user_password)) {
      add({ category: "secrets", item: "Secrets Manager secrets (RDS-managed master password)", resource: label(database), quantity: 1, unit: "secret-month", price: (p) => p.secretMonth });
    }
  }
  for (const instance of stack.resources("aws_db_instance")) {
    add({ category: "database", item: "RDS DB instance hours", resource: label(instance), quantity: hours, unit: "hour", unpriced: "RDS (non-Aurora) DB instances are not in the price table" });
  }

  // --- Logs: flow logs delivered to CloudWatch Logs (vended logs).
  for (const flowLog of stack.resources("aws_flow_log")) {
    const destination = literal(flowLog.values.log_destination_type) ?? "cloud-watch-logs";
    const charge: Charge = {
      category: "logs",
      item: "VPC flow log ingestion (CloudWatch Logs, vended)",
      resource: label(flowLog),
      quantity: a.flowLogGbPerMonth,
      unit: "GB",
      price: (p) => p.vendedLogsIngestGb,
      assumption: `flowLogGbPerMonth = ${a.flowLogGbPerMonth} GB`,
    };
    add(destination === "cloud-watch-logs" ? charge : { ...charge, item: `VPC flow log delivery (${destination})`, price: undefined, unpriced: `flow logs to ${destination} are not in the price table` });
  }

  // --- Secrets Manager secrets declared in the stack.
  for (const secret of stack.resources("aws_secretsmanager_secret")) {
    add({ category: "secrets", item: "Secrets Manager secrets", resource: label(secret), quantity: 1, unit: "secret-month", price: (p) => p.secretMonth });
  }

  // --- CloudWatch alarms: billed per metric evaluated; high resolution (period < 60 s) costs more.
  for (const alarm of stack.resources("aws_cloudwatch_metric_alarm")) {
    const queries = blocks(alarm.values.metric_query);
    const metrics = queries.length > 0 ? queries.flatMap((q) => blocks(q.metric)) : [alarm.values];
    const periods = metrics.map((m) => numberValue(m.period) ?? numberValue(alarm.values.period) ?? 60);
    const high = periods.some((p) => p < 60);
    const expressions = queries.map((q) => String(q.expression ?? ""));
    if (expressions.some((e) => /\bSELECT\b/i.test(e))) {
      add({ category: "alarms", item: "CloudWatch Metrics Insights alarms", resource: label(alarm), quantity: 1, unit: "alarm-month", unpriced: "alarms on a Metrics Insights query are billed per metric the query returns: not in the price table" });
      continue;
    }
    // An anomaly detection alarm is billed as three metrics per metric it watches.
    const anomaly = expressions.some((e) => e.includes("ANOMALY_DETECTION_BAND"));
    const kind = queries.length > 0 ? (anomaly ? "anomaly detection" : "metric math") : "single metric";
    const billed = Math.max(metrics.length, 1) * (anomaly ? 3 : 1);
    add({
      category: "alarms",
      item: `CloudWatch alarm metrics, ${high ? "high" : "standard"} resolution`,
      resource: `${label(alarm)} (${kind}, ${metrics.length} metric(s))`,
      quantity: billed,
      unit: "alarm metric-month",
      price: (p) => (high ? p.alarmHighResolutionMetricMonth : p.alarmStandardMetricMonth),
    });
  }
  for (const alarm of stack.resources("aws_cloudwatch_composite_alarm")) {
    add({ category: "alarms", item: "CloudWatch composite alarms", resource: label(alarm), quantity: 1, unit: "alarm-month", price: (p) => p.compositeAlarmMonth });
  }
  for (const dashboard of stack.resources("aws_cloudwatch_dashboard")) {
    add({ category: "dashboards", item: "CloudWatch dashboards (the account's first 3 are free; not applied)", resource: label(dashboard), quantity: 1, unit: "dashboard-month", price: (p) => p.dashboardMonth });
  }

  // --- SNS: topics are free; publishes beyond the first million a month are billed.
  const topics = stack.resources("aws_sns_topic");
  for (const topic of topics) {
    add({
      category: "notifications",
      item: "SNS publishes beyond the free million",
      resource: label(topic),
      quantity: Math.max(0, a.snsPublishesPerMonth - 1_000_000) / 1_000_000 / topics.length,
      unit: "1M publishes",
      price: (p) => p.snsMillionPublishes,
      assumption: `snsPublishesPerMonth = ${a.snsPublishesPerMonth}`,
    });
  }

  // --- FIS: templates are free; a run costs its action-minutes. Per run, never monthly.
  for (const template of stack.resources("aws_fis_experiment_template")) {
    const actions = blocks(template.values.action);
    let assumed = 0;
    const minutes = actions.reduce((sum, action) => {
      const parameters = blocks(action.parameter).concat(blocks(action.parameters));
      const duration = parameters.map((p) => (p.key === "duration" ? p.value : p.duration)).find((v) => typeof v === "string");
      const parsed = typeof duration === "string" ? isoMinutes(duration) : undefined;
      if (parsed === undefined) assumed += 1;
      return sum + (parsed ?? a.fisActionMinutes);
    }, 0);
    add({
      category: "fault-injection",
      item: "FIS action-minutes per experiment run (templates are free)",
      resource: `${label(template)} (${actions.length} action(s))`,
      quantity: minutes,
      unit: "action-minute",
      price: (p) => p.fisActionMinute,
      assumption: assumed > 0 ? `fisActionMinutes = ${a.fisActionMinutes} minutes for ${assumed} action(s) without a duration` : undefined,
      perRun: true,
    });
  }

  // --- VPC endpoints: interface endpoints per AZ-hour and GB; gateway endpoints are free.
  for (const endpoint of stack.resources("aws_vpc_endpoint")) {
    const type = literal(endpoint.values.vpc_endpoint_type) ?? "Gateway";
    if (type === "Gateway") {
      add({ category: "vpc-endpoints", item: "gateway VPC endpoints (no charge)", resource: label(endpoint), quantity: 0, unit: "endpoint", price: () => FREE });
    } else if (type === "Interface") {
      const spread = stack.subnetSpread(endpoint.values.subnet_ids);
      const azs = spread.azs.length + spread.unknown.length;
      add({ category: "vpc-endpoints", item: "interface VPC endpoint AZ-hours", resource: `${label(endpoint)} (${azs} AZ)`, quantity: azs * hours, unit: "AZ-hour", price: (p) => p.interfaceEndpointAzHour });
      add({
        category: "vpc-endpoints",
        item: "interface VPC endpoint data processed",
        resource: label(endpoint),
        quantity: a.interfaceEndpointGbPerMonth,
        unit: "GB",
        price: (p) => p.interfaceEndpointDataGb,
        assumption: `interfaceEndpointGbPerMonth = ${a.interfaceEndpointGbPerMonth} GB`,
      });
    } else {
      add({ category: "vpc-endpoints", item: `${type} VPC endpoints`, resource: label(endpoint), quantity: hours, unit: "hour", unpriced: `${type} endpoints are not in the price table` });
    }
  }
  return charges;
}

/** A zero price for what AWS does not charge, so the line shows as priced at $0, not unpriced. */
const FREE: Price = {
  usd: 0,
  unit: "endpoint",
  source: "https://aws.amazon.com/privatelink/pricing/",
  asOf: "2025-01",
  basis: "recalled",
};

/** An instance (ASG template or aws_instance): hours by type, its volumes, a public IP if any. */
function instanceCharges(source: SynthResource, count: number, where: string, hours: number, add: (c: Charge) => void): void {
  const type = literal(source.values.instance_type);
  if (!type) {
    add({ category: "compute", item: "EC2 instance hours", resource: where, quantity: count * hours, unit: "hour", unpriced: "instance_type is not a literal" });
  } else {
    add({ category: "compute", item: `EC2 ${type} instance hours`, resource: where, quantity: count * hours, unit: "hour", price: (p) => p.ec2InstanceHour[type], lookup: `instance type "${type}"` });
  }
  for (const mapping of blocks(source.values.block_device_mappings)) {
    for (const ebs of blocks(mapping.ebs)) volumeCharge(ebs, count, where, add);
  }
  for (const root of blocks(source.values.root_block_device)) volumeCharge(root, count, where, add);
  const publicIp =
    isTrue(source.values.associate_public_ip_address) ||
    blocks(source.values.network_interfaces).some((n) => isTrue(n.associate_public_ip_address));
  if (publicIp) {
    add({ category: "public-ipv4", item: "public IPv4 address hours (instances)", resource: where, quantity: count * hours, unit: "hour", price: (p) => p.publicIpv4Hour });
  }
}

function volumeCharge(ebs: Record<string, any>, count: number, where: string, add: (c: Charge) => void): void {
  const size = numberValue(ebs.volume_size ?? ebs.size);
  const type = literal(ebs.volume_type ?? ebs.type);
  if (size === undefined) {
    add({ category: "block-storage", item: "EBS volumes", resource: where, quantity: 0, unit: "GB-month", unpriced: "the volume size comes from the AMI or snapshot" });
  } else if (type !== "gp3") {
    add({ category: "block-storage", item: `EBS ${type ?? "default-type"} volumes`, resource: where, quantity: size * count, unit: "GB-month", unpriced: type ? `EBS ${type} is not in the price table (gp3 only)` : "volume_type is not set (the AMI decides)" });
  } else {
    add({ category: "block-storage", item: "EBS gp3 volumes", resource: where, quantity: size * count, unit: "GB-month", price: (p) => p.gp3GbMonth });
  }
}

function priceCharge(charge: Charge, region: string | undefined, prices: RegionPrices | undefined, table: PriceTable): CostLineItem {
  const base = {
    category: charge.category,
    item: charge.item,
    resources: [charge.resource],
    quantity: charge.quantity,
    unit: charge.unit,
    ...(charge.assumption ? { assumption: charge.assumption } : {}),
  };
  if (charge.unpriced) return { ...base, unpriced: charge.unpriced };
  if (!prices) {
    const why = region
      ? `region "${region}" is not in the price table (recorded ${table.recorded}; regions: ${Object.keys(table.regions).join(", ")})`
      : "the provider's region is not a literal, so no regional price applies";
    return { ...base, unpriced: why };
  }
  const price = charge.price?.(prices);
  if (!price) {
    return { ...base, unpriced: `${charge.lookup ?? charge.item} is not in the price table for ${region} (recorded ${table.recorded})` };
  }
  const usd = charge.quantity * price.usd;
  return charge.perRun ? { ...base, price, perRunUsd: usd } : { ...base, price, monthlyUsd: usd };
}

/** One line per billed item and price: `NAT gateway hours` over both gateways, quantities summed. */
function mergeCharges(lines: CostLineItem[]): CostLineItem[] {
  const merged = new Map<string, CostLineItem>();
  for (const line of lines) {
    const key = [line.category, line.item, line.unit, line.price?.usd, line.unpriced, line.assumption, line.perRunUsd === undefined].join("|");
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, line);
      continue;
    }
    merged.set(key, {
      ...seen,
      resources: [...seen.resources, ...line.resources],
      quantity: seen.quantity + line.quantity,
      ...(seen.monthlyUsd !== undefined ? { monthlyUsd: seen.monthlyUsd + (line.monthlyUsd ?? 0) } : {}),
      ...(seen.perRunUsd !== undefined ? { perRunUsd: seen.perRunUsd + (line.perRunUsd ?? 0) } : {}),
    });
  }
  return [...merged.values()].map((line) => ({
    ...line,
    ...(line.monthlyUsd !== undefined ? { monthlyUsd: roundCents(line.monthlyUsd) } : {}),
    ...(line.perRunUsd !== undefined ? { perRunUsd: roundCents(line.perRunUsd) } : {}),
  }));
}

function providerRegion(json: Record<string, any>): string | undefined {
  const aws = json.provider?.aws;
  const configs = blocks(aws).filter((c) => c.alias === undefined);
  return literal((configs[0] ?? blocks(aws)[0])?.region);
}

/** Minutes of an ISO 8601 duration such as `PT10M`, `PT1H30M`, `PT90S`; undefined otherwise. */
function isoMinutes(duration: string): number | undefined {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration);
  if (!match || (!match[1] && !match[2] && !match[3])) return undefined;
  // FIS bills action time rounded to the nearest minute.
  return Math.round(Number(match[1] ?? 0) * 60 + Number(match[2] ?? 0) + Number(match[3] ?? 0) / 60);
}

function roundCents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

/** The construct path below the stack, else the Terraform address (as the AZ-loss report labels). */
function shortLabel(resource: SynthResource, stackName: string): string {
  if (!resource.path) return resource.address;
  return resource.path.startsWith(`${stackName}/`) ? resource.path.slice(stackName.length + 1) : resource.path;
}
