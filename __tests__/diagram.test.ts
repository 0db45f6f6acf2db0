import * as fs from "fs";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { Architecture, DiagramNode, describeArchitecture, referencedAddresses, stackDiagram, toMermaid } from "../lib/diagram";
import { NatGatewayMode } from "../modules/ha-vpc";
import { ARCHITECTURE_DOC, README_FILE, currentArchitectureDocument, readmeWithLabDiagram } from "../scripts/diagram";
import { parseFlowchart } from "./helpers/mermaid";
import { SynthResource, Template } from "./helpers/template";
import { threeTierFixture } from "./helpers/three-tier-fixture";

const ROOT = path.resolve(__dirname, "..");
const THREE_AZS = ["us-east-1a", "us-east-1b", "us-east-1c"];

/** Draws a stack and reads the drawing back, so tests check what a reader of the diagram sees. */
function draw(stack: TerraformStack) {
  const template = Template.of(stack);
  const architecture = describeArchitecture(template.json);
  const chart = parseFlowchart(toMermaid(architecture));
  const node = (resource: SynthResource): DiagramNode => {
    const found = architecture.nodes.find((n) => n.address === resource.address);
    if (!found) throw new Error(`${resource.address} is not drawn`);
    return found;
  };
  /** Targets of the edges of a kind leaving a node, as nodes. */
  const from = (source: DiagramNode, kind: string) =>
    architecture.edges.filter((e) => e.from === source.id && e.kind === kind).map((e) => architecture.nodes.find((n) => n.id === e.to)!);
  return { template, architecture, chart, node, from };
}

const subnetsOfTier = (template: Template, tier: string) => template.resources("aws_subnet").filter((s) => s.values.tags.tier === tier);

describe("GIVEN a three-tier stack (HaVpc with raw ALB, ASG, Aurora and security-group rules)", () => {
  const d = draw(threeTierFixture({ azs: THREE_AZS }).stack);

  test("THEN each subnet is drawn inside its own AZ's box within the VPC, labelled by tier and CIDR", () => {
    const subnets = d.template.resources("aws_subnet");
    expect(subnets).toHaveLength(9);
    for (const subnet of subnets) {
      const drawn = d.chart.nodes.get(d.node(subnet).id)!;
      expect(drawn.groups).toEqual(["VPC fixture 10.0.0.0/16", `AZ ${subnet.values.availability_zone}`]);
      expect(drawn.label).toBe(`${subnet.values.tags.tier} subnet<br/>${subnet.values.cidr_block}`);
    }
  });

  test("THEN each private subnet's default route goes to the NAT gateway of its own AZ, placed in that AZ's public subnet", () => {
    expect(subnetsOfTier(d.template, "private")).toHaveLength(3);
    for (const privateSubnet of subnetsOfTier(d.template, "private")) {
      const az = privateSubnet.values.availability_zone;
      const routes = d.architecture.edges.filter((e) => e.from === d.node(privateSubnet).id && e.kind === "route");
      expect(routes.map((r) => r.label)).toEqual(["0.0.0.0/0"]);
      const nat = d.from(d.node(privateSubnet), "route")[0];
      expect(nat).toMatchObject({ kind: "nat-gateway", az });
      expect(d.from(nat, "placement")).toEqual([d.node(d.template.find("aws_subnet", { availability_zone: az, tags: { tier: "public" } })[0])]);
    }
  });

  test("THEN public subnets route to the internet gateway and isolated subnets have no default route", () => {
    expect(subnetsOfTier(d.template, "public")).toHaveLength(3);
    expect(subnetsOfTier(d.template, "isolated")).toHaveLength(3);
    for (const s of subnetsOfTier(d.template, "public")) {
      expect(d.from(d.node(s), "route").map((n) => n.kind)).toEqual(["internet-gateway"]);
    }
    for (const s of subnetsOfTier(d.template, "isolated")) {
      expect(d.from(d.node(s), "route")).toEqual([]);
    }
  });

  test("THEN the ALB is placed in the public subnets, the ASG in the private ones and the Aurora cluster in the isolated ones", () => {
    const tiersOf = (type: string) => {
      const placed = d.from(d.node(d.template.resources(type)[0]), "placement");
      return placed.map((n) => `${n.tier} ${n.az}`).sort();
    };
    expect(tiersOf("aws_lb")).toEqual(THREE_AZS.map((az) => `public ${az}`));
    expect(tiersOf("aws_autoscaling_group")).toEqual(THREE_AZS.map((az) => `private ${az}`));
    expect(tiersOf("aws_rds_cluster")).toEqual(THREE_AZS.map((az) => `isolated ${az}`));
    for (const type of ["aws_lb", "aws_autoscaling_group", "aws_rds_cluster"]) {
      expect(d.chart.nodes.get(d.node(d.template.resources(type)[0]).id)!.groups).toEqual(["VPC fixture 10.0.0.0/16"]);
    }
  });

  test("THEN listener traffic runs ALB ==> ASG through the target group, labelled HTTPS 443; the redirect listener adds no edge", () => {
    const traffic = d.architecture.edges.filter((e) => e.kind === "traffic");
    expect(traffic).toEqual([
      {
        from: d.node(d.template.resources("aws_lb")[0]).id,
        to: d.node(d.template.resources("aws_autoscaling_group")[0]).id,
        kind: "traffic",
        label: "HTTPS 443",
      },
    ]);
    expect(d.chart.edges.filter((e) => e.arrow === "==>")).toHaveLength(1);
  });

  test("THEN each Aurora instance is drawn in its AZ and joined to the cluster", () => {
    const cluster = d.node(d.template.resources("aws_rds_cluster")[0]);
    const members = d.from(cluster, "member");
    expect(members.map((n) => n.az).sort()).toEqual(THREE_AZS);
    for (const instance of members) {
      expect(d.chart.nodes.get(instance.id)!.groups).toEqual(["VPC fixture 10.0.0.0/16", `AZ ${instance.az}`]);
      expect(instance.label).toBe("DB instance<br/>db.r6g.large");
    }
  });

  test("THEN security-group edges follow the ingress rules: internet → ALB SG (tcp 443) → app SG (tcp 8080) → DB SG (tcp 5432)", () => {
    const sg = (id: string) => d.node(d.template.resource("aws_security_group", id));
    const ingress = d.architecture.edges.filter((e) => e.kind === "ingress").map((e) => [e.from, e.label, e.to]);
    const internet = d.architecture.nodes.find((n) => n.kind === "cidr")!;
    expect(internet.label).toBe("0.0.0.0/0");
    expect(ingress).toEqual(
      expect.arrayContaining([
        [internet.id, "tcp 443", sg("AlbSg").id],
        [sg("AlbSg").id, "tcp 8080", sg("AppSg").id],
        [sg("AppSg").id, "tcp 5432", sg("DbSg").id],
      ]),
    );
    expect(ingress).toHaveLength(3);
  });

  test("THEN each security group says what uses it, following the ASG's launch template", () => {
    const label = (id: string) => d.node(d.template.resource("aws_security_group", id)).label;
    expect(label("AlbSg")).toBe("security group fixture-albsg-<br/>used by ALB");
    expect(label("AppSg")).toBe("security group fixture-appsg-<br/>used by Auto Scaling group");
    expect(label("DbSg")).toBe("security group fixture-dbsg-<br/>used by Aurora cluster");
  });

  test("THEN labels carry the names and sizes a reader needs", () => {
    const label = (type: string) => d.node(d.template.resources(type)[0]).label;
    expect(label("aws_lb")).toBe("ALB fixture-alb<br/>internet-facing");
    expect(label("aws_autoscaling_group")).toBe("Auto Scaling group fixture-app-<br/>2–6 instances");
    expect(label("aws_rds_cluster")).toBe("Aurora cluster fixture-db-<br/>aurora-postgresql");
  });

  test("THEN every edge of the Mermaid text joins declared nodes", () => {
    expect(d.chart.edges).toHaveLength(d.architecture.edges.length);
    expect(d.chart.nodes.size).toBe(d.architecture.nodes.length);
  });
});

test("GIVEN a single NAT gateway THEN the diagram shows every private subnet routing through the first AZ's NAT", () => {
  const d = draw(threeTierFixture({ azs: THREE_AZS, natGateways: NatGatewayMode.SINGLE }).stack);
  expect(d.architecture.nodes.filter((n) => n.kind === "nat-gateway").map((n) => n.az)).toEqual(["us-east-1a"]);
  for (const s of subnetsOfTier(d.template, "private")) {
    expect(d.from(d.node(s), "route").map((n) => `${n.kind} ${n.az}`)).toEqual(["nat-gateway us-east-1a"]);
  }
});

test("GIVEN the same stack drawn twice, or with its AZ list reordered, THEN the text is identical", () => {
  const first = stackDiagram(threeTierFixture({ azs: THREE_AZS }).stack);
  expect(stackDiagram(threeTierFixture({ azs: THREE_AZS }).stack)).toBe(first);
  expect(stackDiagram(threeTierFixture({ azs: [...THREE_AZS].reverse() }).stack)).toBe(first);
});

describe("GIVEN resources written the older ways (inline routes and ingress, aws_security_group_rule, aws_alb, attachments)", () => {
  const ref = (address: string, attribute = "id") => `\${${address}.${attribute}}`;
  const config = {
    resource: {
      aws_vpc: { v: { cidr_block: "10.1.0.0/16", tags: { Name: "legacy" } } },
      aws_internet_gateway: { igw: { vpc_id: ref("aws_vpc.v") } },
      aws_subnet: {
        pub: { vpc_id: ref("aws_vpc.v"), availability_zone: "eu-west-1a", cidr_block: "10.1.0.0/24", tags: { Name: "legacy-public-a" } },
        app: { vpc_id: ref("aws_vpc.v"), availability_zone: "eu-west-1a", cidr_block: "10.1.8.0/22", tags: { Name: "legacy-private-a" } },
      },
      aws_nat_gateway: { nat: { subnet_id: ref("aws_subnet.pub") } },
      aws_route_table: {
        priv: { vpc_id: ref("aws_vpc.v"), route: [{ cidr_block: "0.0.0.0/0", nat_gateway_id: ref("aws_nat_gateway.nat") }] },
      },
      aws_route_table_association: { a: { subnet_id: ref("aws_subnet.app"), route_table_id: ref("aws_route_table.priv") } },
      aws_alb: { web: { name: "legacy", internal: true, subnet_mapping: [{ subnet_id: ref("aws_subnet.pub") }] } },
      aws_alb_target_group: { tg: { port: 80 } },
      aws_alb_listener: {
        l: { load_balancer_arn: ref("aws_alb.web", "arn"), port: 80, protocol: "HTTP", default_action: [{ type: "forward", target_group_arn: ref("aws_alb_target_group.tg", "arn") }] },
      },
      aws_autoscaling_group: { asg: { name: "legacy-app", vpc_zone_identifier: [ref("aws_subnet.app")] } },
      aws_autoscaling_attachment: { att: { autoscaling_group_name: ref("aws_autoscaling_group.asg"), lb_target_group_arn: ref("aws_alb_target_group.tg", "arn") } },
      aws_security_group: {
        web: { name: "web", vpc_id: ref("aws_vpc.v"), ingress: [{ protocol: "tcp", from_port: 80, to_port: 80, cidr_blocks: ["10.0.0.0/8"], security_groups: [] }] },
        app: { name: "app", vpc_id: ref("aws_vpc.v") },
      },
      aws_security_group_rule: {
        r: { type: "ingress", security_group_id: ref("aws_security_group.app"), source_security_group_id: ref("aws_security_group.web"), protocol: "-1", from_port: 0, to_port: 0 },
        out: { type: "egress", security_group_id: ref("aws_security_group.app"), cidr_blocks: ["0.0.0.0/0"], protocol: "-1", from_port: 0, to_port: 0 },
      },
    },
  };
  const architecture = describeArchitecture(config);
  const byAddress = (address: string) => architecture.nodes.find((n) => n.address === address)!;
  const edge = (kind: string, from: string, to: string) =>
    architecture.edges.find((e) => e.kind === kind && e.from === byAddress(from).id && e.to === byAddress(to).id);

  test("THEN inline routes are followed and tiers are read from Name tags", () => {
    expect(edge("route", "aws_subnet.app", "aws_nat_gateway.nat")?.label).toBe("0.0.0.0/0");
    expect(byAddress("aws_subnet.app")).toMatchObject({ tier: "private", az: "eu-west-1a" });
  });

  test("THEN aws_alb with subnet mappings, its listener and an ASG attachment give placement and traffic edges", () => {
    expect(byAddress("aws_alb.web").label).toBe("ALB legacy<br/>internal");
    expect(edge("placement", "aws_alb.web", "aws_subnet.pub")).toBeDefined();
    expect(edge("traffic", "aws_alb.web", "aws_autoscaling_group.asg")?.label).toBe("HTTP 80");
  });

  test("THEN aws_security_group_rule and inline ingress blocks give ingress edges, egress rules none", () => {
    expect(edge("ingress", "aws_security_group.web", "aws_security_group.app")?.label).toBe("all traffic");
    expect(edge("ingress", "cidr:10.0.0.0/8", "aws_security_group.web")?.label).toBe("tcp 80");
    expect(architecture.edges.filter((e) => e.kind === "ingress")).toHaveLength(2);
  });

  test("THEN the Mermaid text draws every node with its label and every edge, and nothing else", () => {
    const chart = parseFlowchart(toMermaid(architecture));
    const drawnResources = [...chart.nodes.values()].filter((n) => architecture.nodes.some((a) => a.id === n.id));
    expect(drawnResources.map((n) => [n.id, n.label]).sort()).toEqual(architecture.nodes.map((n) => [n.id, n.label]).sort());
    expect(architecture.nodes.length).toBeGreaterThan(5);
    const key = (e: { from: string; to: string; label?: string }) => `${e.from} -> ${e.to} ${e.label ?? ""}`;
    expect(chart.edges.map(key).sort()).toEqual(architecture.edges.map(key).sort());
  });
});

test("referencedAddresses finds resource addresses in nested values, skipping data sources and plain strings", () => {
  expect(
    referencedAddresses({
      a: ["${aws_subnet.X_us-east-1a_1234ABCD.id}", "subnet-0abc"],
      b: { c: "${element(aws_subnet.Y.*.id, 0)}", d: "${data.aws_iam_policy_document.P.json}" },
      e: "${aws_subnet.X_us-east-1a_1234ABCD.arn}",
    }),
  ).toEqual(["aws_subnet.X_us-east-1a_1234ABCD", "aws_subnet.Y"]);
  expect(referencedAddresses(["${aws_vpc.V.id}", "${aws_subnet.S.id}"], ["aws_subnet"])).toEqual(["aws_subnet.S"]);
});

test("GIVEN a stack with no network resources THEN the diagram says so and is still valid Mermaid", () => {
  const empty: Architecture = describeArchitecture(JSON.parse(Testing.synthScope(() => undefined)));
  const chart = parseFlowchart(toMermaid(empty));
  expect([...chart.nodes.values()].map((n) => n.label)).toEqual(["no network resources"]);
});

describe(ARCHITECTURE_DOC, () => {
  test("draws one diagram per stack of the app", () => {
    const text = currentArchitectureDocument();
    const stacks = [...text.matchAll(/^## `([a-z0-9-]+)` stack$/gm)].map((m) => m[1]);
    expect(stacks).toEqual(["dev", "lab"]);
    const charts = text.split("```mermaid\n").slice(1).map((block) => parseFlowchart(block.split("```")[0]));
    expect(charts).toHaveLength(2);
    const labels = charts.map((chart) => [...chart.nodes.values()].map((n) => n.label));
    // dev: one NAT gateway and one database instance; lab: one of each per AZ.
    expect(labels.map((l) => l.filter((x) => x === "NAT gateway").length)).toEqual([1, 2]);
    expect(labels.map((l) => l.filter((x) => x.startsWith("DB instance")).length)).toEqual([1, 2]);
    expect(labels[1]).toContain("Aurora cluster lab-database<br/>aurora-mysql");
  });

  test("is embedded, for lab, in the README, up to date (otherwise: run npm run diagram)", () => {
    const readme = fs.readFileSync(path.join(ROOT, README_FILE), "utf8");
    const current = readmeWithLabDiagram(readme, currentArchitectureDocument());
    expect(readme).toContain("```mermaid\nflowchart TB\n");
    if (readme !== current) throw new Error(`${README_FILE}'s lab diagram is stale: run npm run diagram and commit the result`);
  });

  test("is up to date with the code (otherwise: run npm run diagram)", () => {
    const file = path.join(ROOT, ARCHITECTURE_DOC);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (committed !== currentArchitectureDocument()) {
      throw new Error(`${ARCHITECTURE_DOC} is stale: run npm run diagram and commit the result`);
    }
  });
});
