import { ANY_IPV4, ANY_IPV6 } from "../synthesized-stack";
import { coversPort, ingressPermissions } from "../rule-helpers";
import { GuardrailRule, NOT_APPLICABLE, PolicyPack, RuleLevel, resultOf } from "../types";

/** Ports of remote administration and data stores that must never face the whole internet. */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: "SSH",
  23: "Telnet",
  2375: "Docker API",
  2379: "etcd",
  3306: "MySQL",
  3389: "RDP",
  1433: "SQL Server",
  1521: "Oracle",
  5432: "PostgreSQL",
  5985: "WinRM",
  5986: "WinRM/HTTPS",
  6379: "Redis",
  9200: "Elasticsearch",
  11211: "Memcached",
  27017: "MongoDB",
};

const WORLD = [ANY_IPV4, ANY_IPV6];

export const SecSg1AdminPorts: GuardrailRule = {
  id: "SEC-SG-1",
  pack: PolicyPack.SECURITY,
  level: RuleLevel.ERROR,
  description: "No security group admits 0.0.0.0/0 or ::/0 to an admin or database port (22, 3389, 3306, 5432, …)",
  resourceTypes: ["aws_vpc_security_group_ingress_rule", "aws_security_group_rule", "aws_security_group"],
  evaluate(resource, stack) {
    const permissions = ingressPermissions(resource, stack);
    if (permissions.length === 0) return NOT_APPLICABLE;
    const problems: string[] = [];
    for (const p of permissions) {
      const world = p.networkSources.filter((s) => WORLD.includes(s));
      if (world.length === 0) continue;
      const open = Object.entries(ADMIN_PORTS).filter(([port]) => coversPort(p, Number(port)));
      if (open.length > 0) {
        const ports = open.map(([port, name]) => `${port} (${name})`).join(", ");
        problems.push(
          `admits ${world.join(" and ")} on ${p.protocol} ${p.fromPort ?? "?"}-${p.toPort ?? "?"}, which opens ${ports} to the internet; ` +
            "reach instances through SSM Session Manager or allow a specific CIDR or security group",
        );
      }
    }
    return resultOf(problems);
  },
};
