/**
 * The pinned price table: AWS on-demand list prices in USD for the resource types the estimate
 * knows, per region, each with the page it comes from and the date it stands for.
 *
 * Why a table in the repository and not AWS's Price List API: the estimate runs at synth and in
 * tests, offline and without credentials (Infracost needs the API; this library does not reach
 * it). The cost of that is staleness, so every price says where it comes from and as of when, and
 * the estimate prints the table's date beside every total.
 *
 * How these were recorded (2026-12-03, no AWS endpoint reachable from the build machine): each
 * price is the list price the cited AWS pricing page gave as of `asOf`, written from the
 * recorder's knowledge of that page (`basis: "recalled"`), and where a dated public page quoting
 * the same figure was found, that page and its date are named too (`basis: "corroborated"`).
 * None was fetched from AWS on the recording day: re-check against the cited page before relying
 * on a figure, and update `asOf` when you do.
 */

/** How a price was recorded; see the file comment. */
export type PriceBasis = "recalled" | "corroborated";

/** One list price with its provenance. */
export interface Price {
  /** USD per `unit`. */
  readonly usd: number;
  /** What one unit is: `hour`, `GB`, `GB-month`, `LCU-hour`, `1M requests`, … */
  readonly unit: string;
  /** The AWS pricing page the price is read from. */
  readonly source: string;
  /** The month (YYYY-MM) the price stands for on that page. */
  readonly asOf: string;
  readonly basis: PriceBasis;
  /** For `corroborated`: the dated public page that quotes the same figure. */
  readonly corroboratedBy?: string;
}

/** Prices of one region. Instance maps are keyed by instance type / DB instance class. */
export interface RegionPrices {
  readonly natGatewayHour: Price;
  readonly natGatewayDataGb: Price;
  /** Every public IPv4 address, in use or idle (EIPs, ALB nodes, instance public IPs). */
  readonly publicIpv4Hour: Price;
  readonly albHour: Price;
  readonly albLcuHour: Price;
  /** EC2 on-demand, Linux, shared tenancy. */
  readonly ec2InstanceHour: Readonly<Record<string, Price>>;
  readonly gp3GbMonth: Price;
  /** Aurora MySQL-Compatible, Aurora Standard storage configuration, on-demand. */
  readonly auroraMysqlInstanceHour: Readonly<Record<string, Price>>;
  readonly auroraStorageGbMonth: Price;
  readonly auroraIoMillionRequests: Price;
  /** Vended logs (VPC flow logs) delivered to CloudWatch Logs, first tier. */
  readonly vendedLogsIngestGb: Price;
  readonly secretMonth: Price;
  /** Per metric an alarm evaluates, standard resolution (period ≥ 60 s). */
  readonly alarmStandardMetricMonth: Price;
  /** Per metric an alarm evaluates, high resolution (period < 60 s). */
  readonly alarmHighResolutionMetricMonth: Price;
  readonly compositeAlarmMonth: Price;
  readonly dashboardMonth: Price;
  /** SNS publishes beyond the first million a month. */
  readonly snsMillionPublishes: Price;
  readonly fisActionMinute: Price;
  /** Interface VPC endpoint, per endpoint per AZ. */
  readonly interfaceEndpointAzHour: Price;
  readonly interfaceEndpointDataGb: Price;
}

/** The whole table. */
export interface PriceTable {
  /** When the table was written into the repository. */
  readonly recorded: string;
  readonly currency: "USD";
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

const PAGE = {
  vpc: "https://aws.amazon.com/vpc/pricing/",
  elb: "https://aws.amazon.com/elasticloadbalancing/pricing/",
  ec2: "https://aws.amazon.com/ec2/pricing/on-demand/",
  ebs: "https://aws.amazon.com/ebs/pricing/",
  aurora: "https://aws.amazon.com/rds/aurora/pricing/",
  cloudwatch: "https://aws.amazon.com/cloudwatch/pricing/",
  secrets: "https://aws.amazon.com/secrets-manager/pricing/",
  sns: "https://aws.amazon.com/sns/pricing/",
  fis: "https://aws.amazon.com/fis/pricing/",
  privatelink: "https://aws.amazon.com/privatelink/pricing/",
} as const;

/** The month the recalled prices stand for: the pages as last known to the recorder. */
const RECALLED_AS_OF = "2025-01";

/** Dated public pages, found with a web search on the recording day, that quote the same figure. */
const SEEN = {
  natUsEast: "https://cloudburn.io/blog/aws-nat-gateway-pricing (2026-02-24: $0.045/h, $0.045/GB, us-east)",
  natEurope: "https://cloudpipelines.pages.dev/guides/aws-nat-gateway-pricing-2026/ (2026: Ireland/Frankfurt $0.048–$0.052)",
  ipv4: "https://www.factualminds.com/blog/amazon-vpc-pricing-endpoints-peering-transit-gateway/ (2026-06-13: $3.60/month per address)",
  endpoint: "https://www.factualminds.com/blog/amazon-vpc-pricing-endpoints-peering-transit-gateway/ (2026-06-13: $0.01/h per AZ, us-east-1)",
  logs: "https://www.factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards/ (2026-06-13: $0.50/GB, us-east-1)",
  dashboards: "https://www.factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards/ (2026-06-13: $3 per dashboard)",
  fis: "https://aws.amazon.com/fis/pricing/ (stored copy: $0.10 per action-minute in all regions except GovCloud)",
  albCalc: "https://cal53.calculator.city/aws-alb-cost-calculator/ (undated: us-east-1 $0.0225/h, eu-west-1 $0.0252/h)",
  secrets: "https://hivebook.wiki/wiki/aws-secrets-manager-rotated-secrets-dynamic-db-credentials-kms ($0.40 per secret-month)",
} as const;

function recalled(usd: number, unit: string, source: string): Price {
  return { usd, unit, source, asOf: RECALLED_AS_OF, basis: "recalled" };
}

function seen(usd: number, unit: string, source: string, corroboratedBy: string, asOf: string): Price {
  return { usd, unit, source, asOf, basis: "corroborated", corroboratedBy };
}

function ec2(prices: Record<string, number>): Record<string, Price> {
  return Object.fromEntries(Object.entries(prices).map(([type, usd]) => [type, recalled(usd, "hour", PAGE.ec2)]));
}

function aurora(prices: Record<string, number>): Record<string, Price> {
  return Object.fromEntries(Object.entries(prices).map(([cls, usd]) => [cls, recalled(usd, "hour", PAGE.aurora)]));
}

/** Prices that are the same in every region of the table. */
function global(): Pick<
  RegionPrices,
  | "publicIpv4Hour"
  | "secretMonth"
  | "alarmStandardMetricMonth"
  | "alarmHighResolutionMetricMonth"
  | "compositeAlarmMonth"
  | "dashboardMonth"
  | "snsMillionPublishes"
  | "fisActionMinute"
  | "albLcuHour"
> {
  return {
    publicIpv4Hour: seen(0.005, "hour", PAGE.vpc, SEEN.ipv4, "2026-06"),
    secretMonth: seen(0.4, "secret-month", PAGE.secrets, SEEN.secrets, RECALLED_AS_OF),
    alarmStandardMetricMonth: recalled(0.1, "alarm metric-month", PAGE.cloudwatch),
    alarmHighResolutionMetricMonth: recalled(0.3, "alarm metric-month", PAGE.cloudwatch),
    compositeAlarmMonth: recalled(0.5, "alarm-month", PAGE.cloudwatch),
    dashboardMonth: seen(3, "dashboard-month", PAGE.cloudwatch, SEEN.dashboards, "2026-06"),
    snsMillionPublishes: recalled(0.5, "1M publishes", PAGE.sns),
    fisActionMinute: seen(0.1, "action-minute", PAGE.fis, SEEN.fis, RECALLED_AS_OF),
    albLcuHour: recalled(0.008, "LCU-hour", PAGE.elb),
  };
}

/** us-east-1 and us-west-2 share list prices for every type here. */
function usRegion(): RegionPrices {
  return {
    ...global(),
    natGatewayHour: seen(0.045, "hour", PAGE.vpc, SEEN.natUsEast, "2026-02"),
    natGatewayDataGb: seen(0.045, "GB", PAGE.vpc, SEEN.natUsEast, "2026-02"),
    albHour: seen(0.0225, "hour", PAGE.elb, SEEN.albCalc, RECALLED_AS_OF),
    ec2InstanceHour: ec2({
      "t3.micro": 0.0104,
      "t3.small": 0.0208,
      "t3.medium": 0.0416,
      "t4g.micro": 0.0084,
      "t4g.small": 0.0168,
      "t4g.medium": 0.0336,
      "m5.large": 0.096,
      "m6i.large": 0.096,
      "m6g.large": 0.077,
    }),
    gp3GbMonth: recalled(0.08, "GB-month", PAGE.ebs),
    auroraMysqlInstanceHour: aurora({ "db.t3.medium": 0.082, "db.t4g.medium": 0.073, "db.r5.large": 0.29, "db.r6g.large": 0.26 }),
    auroraStorageGbMonth: recalled(0.1, "GB-month", PAGE.aurora),
    auroraIoMillionRequests: recalled(0.2, "1M requests", PAGE.aurora),
    vendedLogsIngestGb: seen(0.5, "GB", PAGE.cloudwatch, SEEN.logs, "2026-06"),
    interfaceEndpointAzHour: seen(0.01, "AZ-hour", PAGE.privatelink, SEEN.endpoint, "2026-06"),
    interfaceEndpointDataGb: recalled(0.01, "GB", PAGE.privatelink),
  };
}

/** The table. Regions not in it give "unpriced" lines, never a zero. */
export const PRICE_TABLE: PriceTable = {
  recorded: "2026-12-03",
  currency: "USD",
  regions: {
    "us-east-1": usRegion(),
    "us-west-2": usRegion(),
    "eu-west-1": {
      ...global(),
      natGatewayHour: seen(0.048, "hour", PAGE.vpc, SEEN.natEurope, RECALLED_AS_OF),
      natGatewayDataGb: seen(0.048, "GB", PAGE.vpc, SEEN.natEurope, RECALLED_AS_OF),
      albHour: seen(0.0252, "hour", PAGE.elb, SEEN.albCalc, RECALLED_AS_OF),
      ec2InstanceHour: ec2({
        "t3.micro": 0.0114,
        "t3.small": 0.0228,
        "t3.medium": 0.0456,
        "t4g.micro": 0.0092,
        "t4g.small": 0.0184,
        "t4g.medium": 0.0368,
        "m5.large": 0.107,
        "m6i.large": 0.107,
        "m6g.large": 0.086,
      }),
      gp3GbMonth: recalled(0.088, "GB-month", PAGE.ebs),
      auroraMysqlInstanceHour: aurora({ "db.t3.medium": 0.088, "db.t4g.medium": 0.078, "db.r5.large": 0.32, "db.r6g.large": 0.288 }),
      auroraStorageGbMonth: recalled(0.11, "GB-month", PAGE.aurora),
      auroraIoMillionRequests: recalled(0.22, "1M requests", PAGE.aurora),
      vendedLogsIngestGb: recalled(0.57, "GB", PAGE.cloudwatch),
      interfaceEndpointAzHour: recalled(0.011, "AZ-hour", PAGE.privatelink),
      interfaceEndpointDataGb: recalled(0.01, "GB", PAGE.privatelink),
    },
    "eu-central-1": {
      ...global(),
      natGatewayHour: seen(0.052, "hour", PAGE.vpc, SEEN.natEurope, RECALLED_AS_OF),
      natGatewayDataGb: seen(0.052, "GB", PAGE.vpc, SEEN.natEurope, RECALLED_AS_OF),
      albHour: recalled(0.027, "hour", PAGE.elb),
      ec2InstanceHour: ec2({
        "t3.micro": 0.012,
        "t3.small": 0.024,
        "t3.medium": 0.048,
        "t4g.micro": 0.0096,
        "t4g.small": 0.0192,
        "t4g.medium": 0.0384,
        "m5.large": 0.115,
        "m6i.large": 0.115,
        "m6g.large": 0.092,
      }),
      gp3GbMonth: recalled(0.0952, "GB-month", PAGE.ebs),
      auroraMysqlInstanceHour: aurora({ "db.t3.medium": 0.094, "db.t4g.medium": 0.084, "db.r5.large": 0.35, "db.r6g.large": 0.315 }),
      auroraStorageGbMonth: recalled(0.11, "GB-month", PAGE.aurora),
      auroraIoMillionRequests: recalled(0.22, "1M requests", PAGE.aurora),
      vendedLogsIngestGb: recalled(0.63, "GB", PAGE.cloudwatch),
      interfaceEndpointAzHour: recalled(0.012, "AZ-hour", PAGE.privatelink),
      interfaceEndpointDataGb: recalled(0.01, "GB", PAGE.privatelink),
    },
    "ap-northeast-2": {
      ...global(),
      natGatewayHour: recalled(0.059, "hour", PAGE.vpc),
      natGatewayDataGb: recalled(0.059, "GB", PAGE.vpc),
      albHour: recalled(0.0225, "hour", PAGE.elb),
      ec2InstanceHour: ec2({
        "t3.micro": 0.013,
        "t3.small": 0.026,
        "t3.medium": 0.052,
        "t4g.micro": 0.0104,
        "t4g.small": 0.0208,
        "t4g.medium": 0.0416,
        "m5.large": 0.118,
        "m6i.large": 0.118,
        "m6g.large": 0.094,
      }),
      gp3GbMonth: recalled(0.0912, "GB-month", PAGE.ebs),
      auroraMysqlInstanceHour: aurora({ "db.t3.medium": 0.1, "db.t4g.medium": 0.088, "db.r5.large": 0.35, "db.r6g.large": 0.315 }),
      auroraStorageGbMonth: recalled(0.1, "GB-month", PAGE.aurora),
      auroraIoMillionRequests: recalled(0.2, "1M requests", PAGE.aurora),
      vendedLogsIngestGb: recalled(0.7, "GB", PAGE.cloudwatch),
      interfaceEndpointAzHour: recalled(0.013, "AZ-hour", PAGE.privatelink),
      interfaceEndpointDataGb: recalled(0.01, "GB", PAGE.privatelink),
    },
  },
};

/** Every price of the table with its path (`us-east-1.natGatewayHour`, `us-east-1.ec2InstanceHour.t3.micro`). */
export function listPrices(table: PriceTable = PRICE_TABLE): Array<{ readonly path: string; readonly price: Price }> {
  const out: Array<{ path: string; price: Price }> = [];
  for (const [region, prices] of Object.entries(table.regions)) {
    for (const [key, value] of Object.entries(prices)) {
      if (isPrice(value)) out.push({ path: `${region}.${key}`, price: value });
      else for (const [type, price] of Object.entries(value as Record<string, Price>)) out.push({ path: `${region}.${key}.${type}`, price });
    }
  }
  return out;
}

function isPrice(value: unknown): value is Price {
  return typeof value === "object" && value !== null && typeof (value as Price).usd === "number";
}
