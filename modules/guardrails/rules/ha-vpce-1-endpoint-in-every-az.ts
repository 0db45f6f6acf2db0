import { endpointService, listText, privateDnsInterfaceEndpoints } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

export const HaVpce1EndpointInEveryAz: GuardrailRule = {
  id: "HA-VPCE-1",
  pack: PolicyPack.HA,
  level: RuleLevel.ERROR,
  description:
    "Interface endpoints with private DNS have a subnet in every AZ their VPC has subnets in (private DNS sends every client of the service to them)",
  resourceTypes: ["aws_vpc_endpoint"],
  evaluate(endpoint, stack) {
    if (!privateDnsInterfaceEndpoints(stack).includes(endpoint)) return NOT_APPLICABLE;
    const vpc = stack.ref(endpoint.values.vpc_id);
    if (!vpc) return NOT_APPLICABLE;
    const vpcAzs = [
      ...new Set(
        stack
          .referrers("aws_subnet", "vpc_id", vpc)
          .map((s) => stack.azOf(s))
          .filter((az): az is string => az !== undefined),
      ),
    ].sort();
    const spread = stack.subnetSpread(endpoint.values.subnet_ids);
    const service = endpointService(endpoint);
    const problems: string[] = [];
    if (spread.unknown.length > 0) {
      problems.push(`its subnets ${spread.unknown.join(", ")} cannot be placed in an AZ from this stack; use subnets of this stack with an availability_zone`);
    }
    const missing = vpcAzs.filter((az) => !spread.azs.includes(az));
    if (missing.length > 0) {
      problems.push(
        `has network interfaces in ${listText([...spread.azs]) || "no AZ"} but its VPC also uses ${listText(missing)}; with private DNS ` +
          `every client in the VPC calls ${service} through it, so losing ${listText([...spread.azs]) || "its AZ"} cuts ${listText(missing)} off ${service} ` +
          "even where their NAT gateway is up. Give it a subnet in every AZ (HaVpc places one in each AZ's private subnet)",
      );
    }
    return resultOf(problems);
  },
};
