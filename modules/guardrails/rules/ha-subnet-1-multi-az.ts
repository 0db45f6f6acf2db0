import { SubnetRole } from "../synthesized-stack";
import { MIN_HA_AZS } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const HaSubnet1MultiAz: GuardrailRule = {
  id: "HA-SUBNET-1",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description: `The public, private and isolated subnets of each VPC each span at least ${MIN_HA_AZS} AZs`,
  resourceTypes: ["aws_vpc"],
  evaluate(vpc, stack) {
    const subnets = stack.referrers("aws_subnet", "vpc_id", vpc);
    if (subnets.length === 0) return NOT_APPLICABLE;
    const byRole = new Map<SubnetRole, Set<string>>();
    const unpinned: string[] = [];
    for (const subnet of subnets) {
      const role = stack.roleOf(subnet);
      const az = stack.azOf(subnet);
      if (!az) unpinned.push(subnet.path ?? subnet.address);
      byRole.set(role, (byRole.get(role) ?? new Set()).add(az ?? "?"));
    }
    const problems: string[] = [];
    for (const [role, azs] of byRole) {
      const known = [...azs].filter((az) => az !== "?");
      if (known.length < MIN_HA_AZS) {
        problems.push(`its ${role} subnets span ${known.length} AZ (${known.join(", ") || "none pinned"}); add ${role === "isolated" ? "an" : "a"} ${role} subnet in another AZ`);
      }
    }
    if (unpinned.length > 0) problems.push(`subnets ${unpinned.join(", ")} pin no availability_zone, so AWS may put them together`);
    return resultOf(problems);
  },
};
