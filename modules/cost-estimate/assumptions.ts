import { ValidationError, show } from "../../lib/errors";

/**
 * Usage the synthesized stack cannot tell: traffic, storage growth, log volume. Each is a named
 * assumption printed beside the line it prices, so a reader can see what the figure rests on.
 */
export interface CostAssumptions {
  /**
   * Hours in a month (AWS's pricing pages use 730).
   * @default DEFAULT_COST_ASSUMPTIONS.hoursPerMonth (730)
   */
  readonly hoursPerMonth?: number;
  /**
   * GB a month processed by all NAT gateways of the stack together (the app's egress does not
   * grow with the number of gateways, so it is shared among them).
   * @default DEFAULT_COST_ASSUMPTIONS.natDataGbPerMonth (100)
   */
  readonly natDataGbPerMonth?: number;
  /**
   * Average load balancer capacity units an ALB consumes per hour.
   * @default DEFAULT_COST_ASSUMPTIONS.albLcusPerHour (1)
   */
  readonly albLcusPerHour?: number;
  /**
   * GB stored per Aurora cluster (the cluster volume, billed once whatever the instance count).
   * @default DEFAULT_COST_ASSUMPTIONS.auroraStorageGbPerCluster (20)
   */
  readonly auroraStorageGbPerCluster?: number;
  /**
   * Million storage I/O requests a month per Aurora cluster (Aurora Standard).
   * @default DEFAULT_COST_ASSUMPTIONS.auroraIoMillionsPerCluster (10)
   */
  readonly auroraIoMillionsPerCluster?: number;
  /**
   * GB a month each VPC flow log delivers to CloudWatch Logs.
   * @default DEFAULT_COST_ASSUMPTIONS.flowLogGbPerMonth (5)
   */
  readonly flowLogGbPerMonth?: number;
  /**
   * GB a month through each interface VPC endpoint.
   * @default DEFAULT_COST_ASSUMPTIONS.interfaceEndpointGbPerMonth (10)
   */
  readonly interfaceEndpointGbPerMonth?: number;
  /**
   * SNS publishes a month across the stack's topics (the first million are free).
   * @default DEFAULT_COST_ASSUMPTIONS.snsPublishesPerMonth (10000)
   */
  readonly snsPublishesPerMonth?: number;
  /**
   * Minutes an FIS action runs when its template gives no readable `duration`.
   * @default DEFAULT_COST_ASSUMPTIONS.fisActionMinutes (10)
   */
  readonly fisActionMinutes?: number;
}

/** The defaults: a small, lightly used system. */
export const DEFAULT_COST_ASSUMPTIONS: Readonly<Required<CostAssumptions>> = Object.freeze({
  hoursPerMonth: 730,
  natDataGbPerMonth: 100,
  albLcusPerHour: 1,
  auroraStorageGbPerCluster: 20,
  auroraIoMillionsPerCluster: 10,
  flowLogGbPerMonth: 5,
  interfaceEndpointGbPerMonth: 10,
  snsPublishesPerMonth: 10_000,
  fisActionMinutes: 10,
});

/** Units of each assumption, for messages and the report. */
export const ASSUMPTION_UNITS: Readonly<Record<keyof CostAssumptions, string>> = Object.freeze({
  hoursPerMonth: "hours",
  natDataGbPerMonth: "GB/month",
  albLcusPerHour: "LCU",
  auroraStorageGbPerCluster: "GB",
  auroraIoMillionsPerCluster: "million requests/month",
  flowLogGbPerMonth: "GB/month",
  interfaceEndpointGbPerMonth: "GB/month",
  snsPublishesPerMonth: "publishes/month",
  fisActionMinutes: "minutes",
});

/** A month has at most 744 hours (31 days). */
const MAX_HOURS_PER_MONTH = 744;

/**
 * Fills in the defaults and rejects what cannot be a usage figure: a negative, NaN, infinite or
 * non-number value, an unknown key (a typo would otherwise be ignored silently), and a month
 * longer than 744 hours or of no hours.
 */
export function resolveCostAssumptions(assumptions: CostAssumptions = {}): Required<CostAssumptions> {
  if (assumptions === null || typeof assumptions !== "object" || Array.isArray(assumptions)) {
    throw new ValidationError(
      `estimateMonthlyCost: assumptions (${show(assumptions)}) must be an object such as { natDataGbPerMonth: 100 }; omit it for the defaults`,
    );
  }
  const known = Object.keys(DEFAULT_COST_ASSUMPTIONS);
  for (const key of Object.keys(assumptions)) {
    if (!known.includes(key)) {
      throw new ValidationError(
        `estimateMonthlyCost: assumptions.${key} (${describe((assumptions as Record<string, unknown>)[key])}) is not an assumption ` +
          `the estimate knows; use one of ${known.join(", ")}`,
      );
    }
  }
  const resolved = { ...DEFAULT_COST_ASSUMPTIONS } as Record<keyof CostAssumptions, number>;
  for (const [key, value] of Object.entries(assumptions) as Array<[keyof CostAssumptions, unknown]>) {
    if (value === undefined) continue;
    const unit = ASSUMPTION_UNITS[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new ValidationError(
        `estimateMonthlyCost: assumptions.${key} (${describe(value)}) must be a finite number >= 0 in ${unit}; ` +
          `pass e.g. ${key}: ${DEFAULT_COST_ASSUMPTIONS[key]}, or omit it for that default`,
      );
    }
    if (key === "hoursPerMonth" && (value === 0 || value > MAX_HOURS_PER_MONTH)) {
      throw new ValidationError(
        `estimateMonthlyCost: assumptions.hoursPerMonth (${value}) must be more than 0 and at most ${MAX_HOURS_PER_MONTH} (31 days); ` +
          `AWS's pricing pages use ${DEFAULT_COST_ASSUMPTIONS.hoursPerMonth}`,
      );
    }
    resolved[key] = value;
  }
  return resolved;
}

/** `show` renders NaN and Infinity as null (JSON); name them. */
function describe(value: unknown): string {
  return typeof value === "number" && !Number.isFinite(value) ? String(value) : show(value);
}
