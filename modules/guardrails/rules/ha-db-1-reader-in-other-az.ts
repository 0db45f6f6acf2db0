import { clusterInstances, MIN_HA_AZS } from "../rule-helpers";
import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const HaDb1ReaderInOtherAz: GuardrailRule = {
  id: "HA-DB-1",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description: `Aurora/RDS clusters have instances pinned in at least ${MIN_HA_AZS} AZs, so a reader in another AZ can take over from the writer`,
  resourceTypes: ["aws_rds_cluster"],
  evaluate(cluster, stack) {
    const instances = clusterInstances(cluster, stack);
    const azs = new Set(instances.map((i) => i.values.availability_zone).filter((az) => typeof az === "string" && !az.includes("${")));
    const unpinned = instances.filter((i) => !i.values.availability_zone).map((i) => i.path ?? i.address);
    const problems: string[] = [];
    if (azs.size < MIN_HA_AZS) {
      problems.push(
        `has ${instances.length} instance(s) in ${azs.size} pinned AZ (${[...azs].join(", ") || "none"}); losing that AZ leaves ` +
          "no instance to promote. Add a reader with availability_zone set to another AZ",
      );
    }
    if (unpinned.length > 0 && azs.size < MIN_HA_AZS) {
      problems.push(`instances ${unpinned.join(", ")} pin no availability_zone, so AWS may place them in the same AZ`);
    }
    return resultOf(problems);
  },
};
