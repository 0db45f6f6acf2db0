import {
  DEFAULT_GATEWAY_ENDPOINTS,
  GatewayEndpointService,
  HaVpc,
  HaVpcProps,
  InterfaceEndpointService,
  NatGatewayMode,
} from "../modules/ha-vpc";
import { planOffline } from "../lib/plan-offline";
import { AppTier } from "../modules/app-tier";
import { AuroraCluster } from "../modules/aurora-cluster";
import { InventoryAppOptions, inventoryUserDataFor } from "../modules/inventory-app";
import { Template, testStack } from "./helpers/template";
import { synthFindings } from "./helpers/guardrails/check";
import { describeWithTerraform } from "./helpers/terraform";

const AZS = ["us-east-1a", "us-east-1b"];
const ALL_INTERFACE = Object.values(InterfaceEndpointService);

/** An HaVpc over `azs`, in an HaStack of their region. */
function synthVpc(props: Partial<HaVpcProps> = {}, azs = AZS): { vpc: HaVpc; t: Template } {
  const stack = testStack({ region: azs[0].slice(0, -1) });
  const vpc = new HaVpc(stack, "Net", { azs, ...props });
  return { vpc, t: Template.of(stack) };
}

const ref = (r: { address: string }, attribute = "id") => `\${${r.address}.${attribute}}`;

describe("HaVpc gateway endpoints", () => {
  test("GIVEN defaults THEN an S3 gateway endpoint is routed from every private route table and the isolated one", () => {
    const { vpc, t } = synthVpc();
    expect(DEFAULT_GATEWAY_ENDPOINTS).toEqual([GatewayEndpointService.S3]);
    const [endpoint] = t.resources("aws_vpc_endpoint");
    expect(t.count("aws_vpc_endpoint")).toBe(1);
    expect(endpoint.values).toMatchObject({ service_name: "com.amazonaws.us-east-1.s3", vpc_endpoint_type: "Gateway" });
    // AWS's default policy: an own-account-only policy would refuse the unsigned package downloads from Amazon Linux's buckets.
    expect(endpoint.values.policy).toBeUndefined();
    const routed = t
      .resources("aws_vpc_endpoint_route_table_association")
      .filter((a) => a.values.vpc_endpoint_id === ref(endpoint))
      .map((a) => a.values.route_table_id)
      .sort();
    const expected = [
      ...AZS.map((az) => ref(t.resource("aws_route_table", `${az}/PrivateRouteTable`))),
      ref(t.resource("aws_route_table", "IsolatedRouteTable")),
    ].sort();
    expect(routed).toEqual(expected);
    expect(vpc.gatewayEndpointServices).toEqual(["s3"]);
    expect(vpc.gatewayEndpoints.s3).toBeDefined();
  });

  test("GIVEN gatewayEndpoints: [] THEN no endpoint and no endpoint route exist", () => {
    const { t } = synthVpc({ gatewayEndpoints: [] });
    expect(t.count("aws_vpc_endpoint")).toBe(0);
    expect(t.count("aws_vpc_endpoint_route_table_association")).toBe(0);
  });

  test("GIVEN S3 and DynamoDB THEN each gets its own endpoint, named for the AZs' region", () => {
    const { t } = synthVpc({ gatewayEndpoints: [GatewayEndpointService.S3, GatewayEndpointService.DYNAMODB] });
    expect(t.resources("aws_vpc_endpoint").map((e) => e.values.service_name).sort()).toEqual([
      "com.amazonaws.us-east-1.dynamodb",
      "com.amazonaws.us-east-1.s3",
    ]);
    expect(t.count("aws_vpc_endpoint_route_table_association")).toBe(6);
  });
});

describe("HaVpc interface endpoints", () => {
  test("GIVEN the six named services THEN each has an endpoint in every AZ's private subnet with private DNS", () => {
    const { vpc, t } = synthVpc({ interfaceEndpoints: ALL_INTERFACE });
    const interfaces = t.find("aws_vpc_endpoint", { vpc_endpoint_type: "Interface" });
    expect(interfaces.map((e) => e.values.service_name).sort()).toEqual(
      ["ec2messages", "logs", "secretsmanager", "ssm", "ssmmessages", "sts"].map((s) => `com.amazonaws.us-east-1.${s}`),
    );
    const privateSubnets = AZS.map((az) => ref(t.resource("aws_subnet", `${az}/PrivateSubnet`)));
    const sg = t.resources("aws_security_group");
    expect(sg).toHaveLength(1);
    for (const endpoint of interfaces) {
      expect(endpoint.values.private_dns_enabled).toBe(true);
      expect(endpoint.values.subnet_ids).toEqual(privateSubnets);
      expect(endpoint.values.security_group_ids).toEqual([ref(sg[0])]);
    }
    expect(vpc.interfaceEndpointServices).toEqual(ALL_INTERFACE);
    expect(vpc.hasInterfaceEndpoint(InterfaceEndpointService.SECRETS_MANAGER)).toBe(true);
    expect(vpc.endpointSecurityGroup).toBeDefined();
  });

  test.each(["cn-north-1", "cn-northwest-1"])(
    "GIVEN every endpoint in %s THEN STS is named cn.com.amazonaws.… (AWS's spelling there) and the others com.amazonaws.…",
    (region) => {
      const { t } = synthVpc(
        { interfaceEndpoints: ALL_INTERFACE, gatewayEndpoints: [GatewayEndpointService.S3, GatewayEndpointService.DYNAMODB] },
        [`${region}a`, `${region}b`],
      );
      expect(t.resources("aws_vpc_endpoint").map((e) => e.values.service_name).sort()).toEqual(
        [
          `cn.com.amazonaws.${region}.sts`,
          ...["dynamodb", "ec2messages", "logs", "s3", "secretsmanager", "ssm", "ssmmessages"].map((s) => `com.amazonaws.${region}.${s}`),
        ].sort(),
      );
    },
  );

  test("GIVEN STS outside China (commercial and GovCloud) THEN its endpoint is com.amazonaws.…", () => {
    for (const region of ["us-east-1", "us-gov-west-1"]) {
      const { t } = synthVpc({ interfaceEndpoints: [InterfaceEndpointService.STS] }, [`${region}a`, `${region}b`]);
      expect(t.find("aws_vpc_endpoint", { vpc_endpoint_type: "Interface" }).map((e) => e.values.service_name)).toEqual([
        `com.amazonaws.${region}.sts`,
      ]);
    }
  });

  test("GIVEN interface endpoints THEN their security group admits only 443 from the VPC CIDR and nothing out", () => {
    const { t } = synthVpc({ cidr: "10.8.0.0/16", interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER] });
    const [sg] = t.resources("aws_security_group");
    expect(sg.values.egress).toBeUndefined();
    const ingress = t.resources("aws_vpc_security_group_ingress_rule");
    expect(ingress.map((r) => r.values)).toEqual([
      expect.objectContaining({ security_group_id: ref(sg), ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: "10.8.0.0/16" }),
    ]);
    expect(t.count("aws_vpc_security_group_egress_rule")).toBe(0);
  });

  test("GIVEN client security groups THEN 443 is admitted from each of them instead of the VPC CIDR", () => {
    const { t } = synthVpc({
      interfaceEndpoints: [InterfaceEndpointService.SSM],
      interfaceEndpointClientSecurityGroupIds: ["sg-0123456789abcdef0", "sg-0fedcba9876543210"],
    });
    const ingress = t.resources("aws_vpc_security_group_ingress_rule").map((r) => r.values);
    expect(ingress.map((r) => r.referenced_security_group_id)).toEqual(["sg-0123456789abcdef0", "sg-0fedcba9876543210"]);
    expect(ingress.every((r) => r.cidr_ipv4 === undefined && r.from_port === 443 && r.to_port === 443)).toBe(true);
  });

  test("GIVEN security groups only WHEN an app tier is wired by object THEN 443 is admitted from its group alone, and it may go out to them", () => {
    const stack = testStack();
    const network = new HaVpc(stack, "Net", {
      azs: AZS,
      interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER],
      interfaceEndpointClientSecurityGroupIds: [],
    });
    const app = new AppTier(stack, "App", { vpc: network, name: "shop" });
    network.allowInterfaceEndpointsFrom(app);
    network.allowInterfaceEndpointsFrom(app); // twice is a no-op
    const t = Template.of(stack);
    const endpointSg = t.resource("aws_security_group", "InterfaceEndpoints/SecurityGroup");
    const appSg = t.resource("aws_security_group", "App/AppSecurityGroup");
    const ingress = t.find("aws_vpc_security_group_ingress_rule", { security_group_id: ref(endpointSg) });
    expect(ingress.map((r) => [r.values.referenced_security_group_id, r.values.cidr_ipv4, r.values.from_port])).toEqual([[ref(appSg), undefined, 443]]);
    expect(t.find("aws_vpc_security_group_egress_rule", { security_group_id: ref(appSg), referenced_security_group_id: ref(endpointSg) })).toHaveLength(1);
    // HA-MON-1 (merged later) asks for alarms on the bare app tier; monitoring is not this test's subject.
    expect(synthFindings(stack).filter((f) => f.ruleId !== "HA-MON-1")).toEqual([]);
  });

  test("GIVEN a service that accepts endpoint policies THEN only principals of the VPC owner's account may use the endpoint", () => {
    const { t } = synthVpc({ interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER, InterfaceEndpointService.SSM_MESSAGES] });
    const vpc = t.resources("aws_vpc")[0];
    const secrets = t.find("aws_vpc_endpoint", { service_name: "com.amazonaws.us-east-1.secretsmanager" })[0];
    const doc = t.json.data.aws_iam_policy_document;
    const policyName = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(secrets.values.policy)![1];
    expect(doc[policyName].statement).toEqual([
      expect.objectContaining({
        effect: "Allow",
        actions: ["*"],
        resources: ["*"],
        principals: [{ type: "AWS", identifiers: ["*"] }],
        condition: [{ test: "StringEquals", variable: "aws:PrincipalAccount", values: [ref(vpc, "owner_id")] }],
      }),
    ]);
    // The agent channel gets AWS's default policy (no policy attribute), never one it could refuse.
    const messages = t.find("aws_vpc_endpoint", { service_name: "com.amazonaws.us-east-1.ssmmessages" })[0];
    expect(messages.values.policy).toBeUndefined();
    // No data source that calls AWS: the account comes from the VPC, not aws_caller_identity.
    expect(Object.keys(t.json.data)).toEqual(["aws_iam_policy_document"]);
  });

  test("GIVEN every endpoint THEN the security and HA packs find nothing", () => {
    const stack = testStack();
    new HaVpc(stack, "Net", { azs: AZS, interfaceEndpoints: ALL_INTERFACE, gatewayEndpoints: Object.values(GatewayEndpointService) });
    expect(synthFindings(stack).map((f) => `${f.ruleId} ${f.path}: ${f.problem}`)).toEqual([]);
  });

  test("GIVEN NatGatewayMode.NONE with interface endpoints THEN the private subnets reach the services with no route to the internet", () => {
    const { t } = synthVpc({
      natGateways: NatGatewayMode.NONE,
      allowPrivateSubnetsWithoutEgress: true,
      interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER],
    });
    expect(t.count("aws_nat_gateway")).toBe(0);
    expect(t.find("aws_vpc_endpoint", { vpc_endpoint_type: "Interface" })).toHaveLength(1);
  });
});

/**
 * Like AZ growth (stacks.test.ts): every resource that exists before the edit must keep its address
 * and every attribute after it, so Terraform plans only the endpoint's own resources.
 */
function expectOnlyAdditions(before: Template, after: Template): string[] {
  const afterByAddress = new Map(after.allResources().map((r) => [r.address, r.values]));
  for (const resource of before.allResources()) {
    expect({ address: resource.address, values: afterByAddress.get(resource.address) }).toEqual({
      address: resource.address,
      values: resource.values,
    });
  }
  const beforeData = before.json.data ?? {};
  for (const [type, entries] of Object.entries<Record<string, unknown>>(beforeData)) {
    for (const [name, values] of Object.entries(entries)) expect(after.json.data[type][name]).toEqual(values);
  }
  const existing = new Set(before.allResources().map((r) => r.address));
  return after.allResources().filter((r) => !existing.has(r.address)).map((r) => r.type);
}

describe("adding or removing an endpoint later replaces nothing else", () => {
  test("GIVEN a deployed network WHEN the first interface endpoint is added THEN only its endpoint, security group and rule are new", () => {
    const added = expectOnlyAdditions(synthVpc().t, synthVpc({ interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER] }).t);
    expect(added.sort()).toEqual(["aws_security_group", "aws_vpc_endpoint", "aws_vpc_security_group_ingress_rule"]);
  });

  test("GIVEN a network with endpoints WHEN one more is added (anywhere in the list) THEN only that endpoint is new", () => {
    const before = synthVpc({ interfaceEndpoints: [InterfaceEndpointService.SSM, InterfaceEndpointService.STS] }).t;
    const after = synthVpc({
      interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER, InterfaceEndpointService.SSM, InterfaceEndpointService.STS],
    }).t;
    expect(expectOnlyAdditions(before, after)).toEqual(["aws_vpc_endpoint"]);
  });

  test("GIVEN a network with endpoints WHEN one is removed THEN every other resource stays as it was", () => {
    const before = synthVpc({ interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER, InterfaceEndpointService.LOGS] }).t;
    const after = synthVpc({ interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER] }).t;
    // Removal is growth in reverse: the smaller network's resources must all survive unchanged in the larger.
    expect(expectOnlyAdditions(after, before)).toEqual(["aws_vpc_endpoint"]);
  });

  test("GIVEN a network without the S3 gateway WHEN it is turned on THEN only the endpoint and its routes are new", () => {
    const added = expectOnlyAdditions(synthVpc({ gatewayEndpoints: [] }).t, synthVpc().t);
    expect(added.sort()).toEqual([
      "aws_vpc_endpoint",
      "aws_vpc_endpoint_route_table_association",
      "aws_vpc_endpoint_route_table_association",
      "aws_vpc_endpoint_route_table_association",
    ]);
  });

  test("GIVEN a network with endpoints WHEN an AZ is added THEN only the interface endpoints' subnet lists grow (in place)", () => {
    const props = { interfaceEndpoints: [InterfaceEndpointService.SECRETS_MANAGER] };
    const before = synthVpc(props).t;
    const after = synthVpc(props, [...AZS, "us-east-1c"]).t;
    const afterByAddress = new Map(after.allResources().map((r) => [r.address, r.values]));
    for (const resource of before.allResources()) {
      const grown = afterByAddress.get(resource.address)!;
      if (resource.type === "aws_vpc_endpoint" && resource.values.vpc_endpoint_type === "Interface") {
        expect(grown.subnet_ids).toEqual([...resource.values.subnet_ids, expect.stringContaining("us-east-1c_PrivateSubnet")]);
        expect({ ...grown, subnet_ids: undefined }).toEqual({ ...resource.values, subnet_ids: undefined });
      } else {
        expect({ address: resource.address, values: grown }).toEqual({ address: resource.address, values: resource.values });
      }
    }
  });
});

describeWithTerraform("offline plan of a network with every endpoint", () => {
  test("GIVEN NONE and all interface endpoints WHEN planned offline THEN Terraform accepts every endpoint resource", async () => {
    const stack = testStack({}, "endpoints");
    new HaVpc(stack, "Net", {
      azs: AZS,
      natGateways: NatGatewayMode.NONE,
      allowPrivateSubnetsWithoutEgress: true,
      interfaceEndpoints: ALL_INTERFACE,
      gatewayEndpoints: Object.values(GatewayEndpointService),
    });
    const summary = await planOffline(stack);
    const endpoints = summary.changes.filter((c) => c.type === "aws_vpc_endpoint");
    expect(endpoints).toHaveLength(ALL_INTERFACE.length + 2);
    expect(summary.changes.every((c) => c.actions.join() === "create")).toBe(true);
    expect(summary.destroy).toBe(0);
  });
});

describe("the inventory app on a network without NAT", () => {
  function noNatStack(interfaceEndpoints: InterfaceEndpointService[], options: Partial<InventoryAppOptions> = {}) {
    const stack = testStack();
    const network = new HaVpc(stack, "Net", {
      azs: AZS,
      natGateways: NatGatewayMode.NONE,
      allowPrivateSubnetsWithoutEgress: true,
      interfaceEndpoints,
    });
    const database = new AuroraCluster(stack, "Db", { vpc: network, instances: 2 });
    const userData = inventoryUserDataFor(database, { region: "us-east-1", databaseCaBundleUrl: null, ...options });
    const app = new AppTier(stack, "App", { vpc: network, name: "shop", userData });
    database.allowFrom(app);
    return stack;
  }

  test("GIVEN the Secrets Manager endpoint, the S3 gateway and a CA bundle in the image THEN it synthesizes with no finding", () => {
    const stack = noNatStack([InterfaceEndpointService.SECRETS_MANAGER]);
    // HA-MON-1 (merged later) asks for alarms on the bare app tier; monitoring is not this test's subject.
    expect(synthFindings(stack).filter((f) => f.ruleId !== "HA-MON-1").map((f) => `${f.ruleId} ${f.path}`)).toEqual([]);
  });

  test("GIVEN its own Secrets Manager endpoint URL THEN no secretsmanager interface endpoint is required", () => {
    expect(() => noNatStack([], { secretsManagerEndpoint: "https://vpce-0abc-secretsmanager.us-east-1.vpce.amazonaws.com" })).not.toThrow();
  });

  test("GIVEN no secretsmanager endpoint THEN the synth error names the missing endpoint and the fix", () => {
    expect(() => noNatStack([InterfaceEndpointService.SSM])).toThrow(
      /\[test\/Net\] inventory-app: the network has no NAT gateway \(natGateways: NatGatewayMode.NONE\) and its interfaceEndpoints \(\["ssm"\]\) lack "secretsmanager".*Add InterfaceEndpointService.SECRETS_MANAGER/,
    );
  });
});
