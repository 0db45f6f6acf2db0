import { SynthesizedStack } from "../synthesized-stack";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const HaNat1NatPerAz: GuardrailRule = {
  id: "HA-NAT-1",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description: "Each private route table's default route goes to a NAT gateway in the same AZ as the subnets it serves",
  resourceTypes: ["aws_route_table", "aws_default_route_table"],
  evaluate(table, stack) {
    const route = stack.defaultRoute(table);
    if (!route || route.kind !== "nat") return NOT_APPLICABLE;
    const served = stack.subnetsServedBy(table);
    if (served.length === 0) return NOT_APPLICABLE;
    const natAz = route.target ? stack.natAz(route.target) : undefined;
    if (!natAz) {
      return resultOf([
        `its default route goes to NAT gateway ${route.targetText}, whose AZ cannot be told from this stack; ` +
          "create the NAT gateway in this stack in a subnet with an availability_zone",
      ]);
    }
    const elsewhere = served.filter((subnet) => stack.azOf(subnet) !== natAz);
    return resultOf(
      elsewhere.map(
        (subnet) =>
          `sends ${SynthesizedStack.label(subnet)} (${stack.azOf(subnet) ?? "AZ not pinned"}) through NAT gateway ${route.targetText} ` +
          `in ${natAz}; losing ${natAz} cuts that subnet's internet egress. Give each AZ its own NAT gateway ` +
          "(HaVpc: natGateways: NatGatewayMode.PER_AZ)",
      ),
    );
  },
};
