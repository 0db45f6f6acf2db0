import { InstancePlacement } from "./props";

/**
 * Instance `i` (0-based) goes to `azs[i mod n]` with promotion tier `i`. Reading the list in
 * order: Instance1 is created first (the writer at creation), the next n-1 readers sit one per
 * other AZ and come first in the failover order, then the list wraps. So whichever AZ is lost,
 * the lowest-tier survivor is in another AZ than the lost one.
 */
export function planInstancePlacements(
  clusterIdentifier: string,
  azs: readonly string[],
  count: number,
): InstancePlacement[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `Instance${i + 1}`,
    identifier: `${clusterIdentifier}-${i + 1}`,
    az: azs[i % azs.length],
    promotionTier: i,
  }));
}

/**
 * The instances still running when `az` is lost, in the order Aurora would promote them
 * (lowest promotion tier first). Empty means the database is down until the AZ recovers.
 */
export function promotableAfterLosing(placements: readonly InstancePlacement[], az: string): InstancePlacement[] {
  return placements.filter((p) => p.az !== az).sort((a, b) => a.promotionTier - b.promotionTier);
}

/** `db.<family>.<size>`, e.g. db.r6g.large, db.r7g.2xlarge, db.t4g.medium. */
export const INSTANCE_CLASS_PATTERN = /^db\.([a-z][a-z0-9-]*)\.([a-z0-9]+)$/;

/**
 * Aurora MySQL has no Performance Insights (Database Insights) on db.t2, db.t3, db.t4g.micro and
 * db.t4g.small (Aurora User Guide, "Amazon Aurora DB engine, Region, and instance class support
 * for Database Insights"). Every other Aurora class supports it.
 */
export function supportsPerformanceInsights(instanceClass: string): boolean {
  const match = INSTANCE_CLASS_PATTERN.exec(instanceClass);
  if (!match) return false;
  const [, family, size] = match;
  if (family === "t2" || family === "t3") return false;
  if (family === "t4g" && (size === "micro" || size === "small")) return false;
  return true;
}

/** A cluster identifier from the stack and construct ids: lowercase, hyphens for the rest. */
export function defaultClusterIdentifier(stackId: string | undefined, id: string): string {
  const raw = [stackId, id].filter(Boolean).join("-");
  return raw
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^[^a-z]+/, "")
    .replace(/-+$/, "");
}
