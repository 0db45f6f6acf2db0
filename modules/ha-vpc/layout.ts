import { Ipv4Block, blockAt, blockSize, contains, formatCidr, overlaps, parseCidr } from "../../lib/cidr";
import { SUBNET_TIERS, SubnetTier } from "./props";

/** Subnet slots reserved per tier: one per AZ letter a–f, used or not, so growing shifts nothing. */
export const AZ_SLOTS = 6;

/** The slot of an AZ: its letter's position (us-east-1a → 0, …, us-east-1f → 5). */
export function azSlot(az: string): number {
  return az.charCodeAt(az.length - 1) - "a".charCodeAt(0);
}

/** One computed subnet. */
export interface PlannedSubnet {
  readonly tier: SubnetTier;
  readonly az: string;
  readonly cidr: string;
}

/**
 * Reserves a block of AZ_SLOTS subnets per tier, largest subnets first (so every block is
 * naturally aligned), and places each AZ's subnet at its letter's slot. Returns undefined when
 * the reserved blocks do not fit the VPC.
 */
export function computeLayout(
  vpc: Ipv4Block,
  azs: readonly string[],
  prefixLengths: Readonly<Record<SubnetTier, number>>,
): PlannedSubnet[] | undefined {
  const tiersBySize = [...SUBNET_TIERS].sort((a, b) => prefixLengths[a] - prefixLengths[b]);
  const tierBase = new Map<SubnetTier, number>();
  let offset = 0;
  for (const tier of tiersBySize) {
    tierBase.set(tier, offset);
    offset += AZ_SLOTS * blockSize(prefixLengths[tier]);
  }
  if (offset > blockSize(vpc.prefix)) return undefined;
  return SUBNET_TIERS.flatMap((tier) =>
    azs.map((az) => ({
      tier,
      az,
      cidr: formatCidr(
        blockAt(vpc, tierBase.get(tier)! + azSlot(az) * blockSize(prefixLengths[tier]), prefixLengths[tier]),
      ),
    })),
  );
}

/** Addresses the reserved layout needs, for error messages. */
export function requiredAddresses(prefixLengths: Readonly<Record<SubnetTier, number>>): number {
  return SUBNET_TIERS.reduce((sum, tier) => sum + AZ_SLOTS * blockSize(prefixLengths[tier]), 0);
}

/** Finds the first problem among final subnet CIDRs: outside the VPC or overlapping another. */
export function layoutProblem(vpc: Ipv4Block, subnets: readonly PlannedSubnet[]): string | undefined {
  const parsed = subnets.map((s) => ({ ...s, block: parseCidr(s.cidr)! }));
  for (const s of parsed) {
    if (!contains(vpc, s.block)) {
      return `subnetCidrs.${s.tier}["${s.az}"] (${s.cidr}) lies outside the VPC CIDR (${formatCidr(vpc)}); pick a block inside it`;
    }
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      if (overlaps(parsed[i].block, parsed[j].block)) {
        const [a, b] = [parsed[i], parsed[j]];
        return (
          `subnetCidrs: ${a.tier} subnet in ${a.az} (${a.cidr}) overlaps ${b.tier} subnet in ${b.az} (${b.cidr}); ` +
          "give each subnet its own block"
        );
      }
    }
  }
  return undefined;
}
