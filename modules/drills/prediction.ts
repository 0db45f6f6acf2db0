import { AppTier } from "../app-tier";
import { AuroraCluster } from "../aurora-cluster";
import { HaVpc } from "../ha-vpc";

/**
 * What the AZ-loss report (`npm run report`) will say about losing `az`, computed from the modules
 * before synth so the template's description can quote it. The same four checks as the report
 * (load balancer, app capacity, private egress, database); a test keeps the two in agreement.
 */
export function predictAzLoss(network: HaVpc, app: AppTier, database: AuroraCluster, az: string): string[] {
  const losses: string[] = [];
  if (app.azs.every((a) => a === az)) losses.push(`the ALB has no subnet outside ${az}`);
  if (app.minCapacity > 0 && app.azs.includes(az)) {
    const left = app.minCapacity - Math.ceil(app.minCapacity / app.azs.length);
    if (left < 1) losses.push(`the app has ${left} of ${app.minCapacity} minimum instances until the group relaunches elsewhere`);
  }
  for (const other of network.azs) {
    if (other !== az && network.azNetworks[other]?.egressViaAz === az) losses.push(`private egress of ${other} (its NAT is in ${az})`);
  }
  if (database.promotableAfterLosing(az).length === 0) losses.push(`the database has no instance outside ${az}`);
  return losses;
}
