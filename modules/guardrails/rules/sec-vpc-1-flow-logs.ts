import { GuardrailRule, PolicyPack, RuleLevel, resultOf } from "../types";

export const SecVpc1FlowLogs: GuardrailRule = {
  id: "SEC-VPC-1",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "Every VPC has flow logs (an aws_flow_log whose vpc_id is the VPC)",
  resourceTypes: ["aws_vpc"],
  evaluate(vpc, stack) {
    const flowLogs = stack.referrers("aws_flow_log", "vpc_id", vpc);
    return resultOf(
      flowLogs.length > 0
        ? []
        : ["has no flow log, so there is no record of who talked to what during an incident; add an aws_flow_log for the VPC"],
    );
  },
};
