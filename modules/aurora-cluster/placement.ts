import { InstancePlacement } from "./props";

/**
 * Where each instance goes. With `instanceAzs`, instance `i` goes to `instanceAzs[i]`. Without it,
 * the AZs are taken in name order (a, b, c …, whatever order the VPC lists them in) and instance
 * `i` (0-based) goes to the `i mod n`-th, with promotion tier `i`. So Instance1 is created first
 * (the writer at creation) in the lowest-lettered AZ, the next n-1 readers sit one per other AZ and
 * come first in the failover order, then the list wraps: whichever AZ is lost, the lowest-tier
 * survivor is in another AZ than the lost one.
 *
 * Why name order: placement is an instance's identity in Terraform (its AZ cannot change in
 * place), and the VPC's list order is an accident of config, so reordering must move nothing. An
 * AZ added with a later letter receives only new instances, as long as instances ≤ AZs; with more
 * instances than AZs the wrapped ones would move to the new AZ, so such clusters pin
 * `instanceAzs` (the module warns).
 */
export function planInstancePlacements(
  clusterIdentifier: string,
  azs: readonly string[],
  count: number,
  instanceAzs?: readonly string[],
): InstancePlacement[] {
  const byName = [...azs].sort();
  return Array.from({ length: count }, (_, i) => ({
    id: `Instance${i + 1}`,
    identifier: `${clusterIdentifier}-${i + 1}`,
    az: instanceAzs?.[i] ?? byName[i % byName.length],
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
