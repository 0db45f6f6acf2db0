/**
 * The single-AZ-loss report with VPC endpoints: a subnet that reaches an AWS service through an
 * interface endpoint in its own AZ keeps that service when another AZ (and its NAT) is lost, and
 * an endpoint confined to one AZ takes the service away from every other AZ, NAT or not.
 * Built from the real modules (HaVpc, AppTier, AuroraCluster), as a user would.
 */
import { Testing } from "cdktf";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { HaStack } from "../lib/ha-stack";
import { AppTier } from "../modules/app-tier";
import { AuroraCluster } from "../modules/aurora-cluster";
import { AzLossReport, buildAzLossReport, renderAzLossMarkdown } from "../modules/guardrails/az-loss-report";
import { Guardrails } from "../modules/guardrails/guardrails";
import { RuleLevel } from "../modules/guardrails/types";
import { HaVpc, InterfaceEndpointService, NatGatewayMode } from "../modules/ha-vpc";
import { DevStack } from "../stacks/dev";
import { loadStackConfig } from "../stacks/config";
import { testStack } from "./helpers/template";

const AZS = ["us-east-1a", "us-east-1b"];
const REASON = "accepted on purpose for this test";

/** Network (NAT mode and endpoints as given), an app tier over every AZ, a two-AZ Aurora cluster. */
function threeTier(natGateways: NatGatewayMode, interfaceEndpoints: InterfaceEndpointService[]): { stack: HaStack; network: HaVpc } {
  const stack = testStack();
  const network = new HaVpc(stack, "Network", {
    azs: AZS,
    natGateways,
    allowPrivateSubnetsWithoutEgress: natGateways === NatGatewayMode.NONE ? true : undefined,
    interfaceEndpoints,
  });
  if (natGateways === NatGatewayMode.SINGLE) Guardrails.suppress(network, "HA-NAT-1", REASON);
  const database = new AuroraCluster(stack, "Database", { vpc: network, instances: 2 });
  const app = new AppTier(stack, "App", { vpc: network, name: "shop" });
  database.allowFrom(app);
  return { stack, network };
}

function reportOf(stack: HaStack): AzLossReport {
  Testing.synth(stack);
  return buildAzLossReport(stack.toTerraform(), { findings: Guardrails.findings(stack), suppressions: Guardrails.suppressions(stack) });
}

const lostIn = (report: AzLossReport, az: string) => report.scenarios.find((s) => s.lostAz === az)!;
const services = (report: AzLossReport, az: string) =>
  lostIn(report, az).awsServices.map((s) => ({ service: s.service, subnetAz: s.subnetAz, via: s.via, ok: s.ok }));

describe("GIVEN a single NAT gateway in us-east-1a and a Secrets Manager interface endpoint", () => {
  const report = reportOf(threeTier(NatGatewayMode.SINGLE, [InterfaceEndpointService.SECRETS_MANAGER]).stack);

  test("WHEN us-east-1a (and its NAT) is lost THEN us-east-1b loses internet egress but keeps Secrets Manager through its own AZ's endpoint", () => {
    const scenario = lostIn(report, "us-east-1a");
    expect(scenario.egress.map((e) => [e.subnetAz, e.ok])).toEqual([["us-east-1b", false]]);
    expect(services(report, "us-east-1a")).toEqual([
      { service: "secretsmanager", subnetAz: "us-east-1b", via: "own-az", ok: true },
      { service: "s3", subnetAz: "us-east-1b", via: "gateway", ok: true },
    ]);
    expect(lostIn(report, "us-east-1a").awsServices[0]).toMatchObject({
      endpoint: "Network/InterfaceEndpoints/secretsmanager",
      survivingEndpointAzs: ["us-east-1b"],
    });
    expect(scenario.losses).toEqual([expect.stringMatching(/Network\/us-east-1b\/PrivateSubnet \(us-east-1b\) loses internet egress/)]);
  });

  test("WHEN us-east-1b is lost THEN us-east-1a keeps egress and Secrets Manager, so no service is lost", () => {
    expect(services(report, "us-east-1b")).toEqual([
      { service: "secretsmanager", subnetAz: "us-east-1a", via: "own-az", ok: true },
      { service: "s3", subnetAz: "us-east-1a", via: "gateway", ok: true },
    ]);
    expect(lostIn(report, "us-east-1b").keepsService).toBe(true);
  });

  test("THEN the Markdown has a per-AZ column for the services reached through endpoints", () => {
    const md = renderAzLossMarkdown(report);
    expect(md).toMatch(/\| us-east-1a \| .* \| LOST: 0\/1 surviving private subnets keep egress \| ok secretsmanager: 1\/1 \(own AZ\)<br>ok s3: 1\/1 \(gateway\) \|/);
  });
});

describe("GIVEN a NAT gateway per AZ but a private-DNS Secrets Manager endpoint confined to us-east-1a", () => {
  function confined(): HaStack {
    const { stack, network } = threeTier(NatGatewayMode.PER_AZ, [InterfaceEndpointService.SECRETS_MANAGER]);
    network.interfaceEndpoints.secretsmanager!.subnetIds = [network.azNetworks["us-east-1a"].privateSubnet.id];
    return stack;
  }

  test("WHEN us-east-1a is lost THEN us-east-1b loses Secrets Manager although its own NAT is up", () => {
    const report = reportOf(confined());
    const scenario = lostIn(report, "us-east-1a");
    expect(scenario.egress.every((e) => e.ok)).toBe(true);
    expect(services(report, "us-east-1a")[0]).toEqual({ service: "secretsmanager", subnetAz: "us-east-1b", via: undefined, ok: false });
    expect(scenario.losses).toEqual([
      expect.stringMatching(
        /subnet Network\/us-east-1b\/PrivateSubnet \(us-east-1b\) loses secretsmanager: its interface endpoint Network\/InterfaceEndpoints\/secretsmanager has no network interface outside us-east-1a, and private DNS sends every call to secretsmanager there/,
      ),
    ]);
    expect(report.serviceLostIn).toEqual(["us-east-1a"]);
  });

  test("WHEN us-east-1b is lost THEN us-east-1a still reaches the endpoint in its own AZ", () => {
    expect(services(reportOf(confined()), "us-east-1b")[0]).toEqual({ service: "secretsmanager", subnetAz: "us-east-1a", via: "own-az", ok: true });
  });

  test("THEN HA-VPCE-1 fails the synth on the endpoint", () => {
    const stack = confined();
    Testing.synth(stack);
    // Errors only: this production-intent test stack has no HaMonitoring, so HA-MON-1 warns too.
    const errors = Guardrails.unsuppressedFindings(stack).filter((f) => f.level === RuleLevel.ERROR);
    expect(errors.map((f) => [f.ruleId, f.path])).toEqual([["HA-VPCE-1", "test/Network/InterfaceEndpoints/secretsmanager"]]);
  });
});

describe("GIVEN no NAT at all and endpoints for Secrets Manager and Logs", () => {
  const report = reportOf(threeTier(NatGatewayMode.NONE, [InterfaceEndpointService.SECRETS_MANAGER, InterfaceEndpointService.LOGS]).stack);

  test.each(AZS)("WHEN %s is lost THEN the app's subnet in the other AZ keeps both services through its own AZ and S3 through the gateway", (lost) => {
    const other = AZS.find((az) => az !== lost)!;
    expect(lostIn(report, lost).egress).toEqual([]);
    expect(services(report, lost)).toEqual([
      { service: "secretsmanager", subnetAz: other, via: "own-az", ok: true },
      { service: "logs", subnetAz: other, via: "own-az", ok: true },
      { service: "s3", subnetAz: other, via: "gateway", ok: true },
    ]);
    expect(lostIn(report, lost).keepsService).toBe(true);
  });

  test("THEN the S3 gateway endpoint is a regional route with no AZ, and the row shows no private egress to judge", () => {
    const fresh = reportOf(threeTier(NatGatewayMode.NONE, [InterfaceEndpointService.SECRETS_MANAGER, InterfaceEndpointService.LOGS]).stack);
    expect(lostIn(fresh, "us-east-1a").awsServices[2]).toEqual({
      service: "s3",
      endpoint: "Network/S3GatewayEndpoint",
      kind: "gateway",
      subnet: "Network/us-east-1b/PrivateSubnet",
      subnetAz: "us-east-1b",
      survivingEndpointAzs: [],
      via: "gateway",
      ok: true,
    });
    const row = renderAzLossMarkdown(fresh).split("\n").find((l) => l.startsWith("| us-east-1a |"));
    expect(row).toContain(" | — | ok secretsmanager: 1/1 (own AZ)<br>ok logs: 1/1 (own AZ)<br>ok s3: 1/1 (gateway) | ");
  });
});

describe("GIVEN the S3 gateway endpoint routed from us-east-1a's private route table only", () => {
  test("WHEN us-east-1a is lost THEN us-east-1b's subnet is not counted as reaching S3 through it", () => {
    const { stack, network } = threeTier(NatGatewayMode.PER_AZ, [InterfaceEndpointService.SECRETS_MANAGER]);
    expect(network.node.findChild("us-east-1b").node.tryRemoveChild("S3GatewayRoute")).toBe(true);
    const report = reportOf(stack);
    expect(services(report, "us-east-1a")).toEqual([{ service: "secretsmanager", subnetAz: "us-east-1b", via: "own-az", ok: true }]);
    expect(services(report, "us-east-1b")).toEqual([
      { service: "secretsmanager", subnetAz: "us-east-1a", via: "own-az", ok: true },
      { service: "s3", subnetAz: "us-east-1a", via: "gateway", ok: true },
    ]);
    expect(renderAzLossMarkdown(report)).toContain("| ok: 1/1 surviving private subnets keep egress | ok secretsmanager: 1/1 (own AZ) | ");
  });
});

describe("dev's choice: no Secrets Manager endpoint (see stacks/dev.ts)", () => {
  test("GIVEN dev with a Secrets Manager endpoint added THEN losing either AZ loses exactly what it loses without one", () => {
    const config = loadStackConfig({});
    const plain = new DevStack(Testing.app(), "dev", config);
    const withEndpoint = new DevStack(Testing.app(), "dev", config);
    // What HaVpc would add for interfaceEndpoints: [SECRETS_MANAGER] (dev does not expose the prop).
    new VpcEndpoint(withEndpoint.network, "SecretsEndpoint", {
      vpcId: withEndpoint.network.vpcId,
      serviceName: "com.amazonaws.us-east-1.secretsmanager",
      vpcEndpointType: "Interface",
      privateDnsEnabled: true,
      subnetIds: withEndpoint.network.privateSubnetIds,
    });
    const before = reportOf(plain);
    const after = reportOf(withEndpoint);
    // The endpoint is reachable from the surviving AZ…
    expect(services(after, "us-east-1a")).toContainEqual({ service: "secretsmanager", subnetAz: "us-east-1b", via: "own-az", ok: true });
    // …but the writer and the only NAT share us-east-1a, so that loss still takes the database and the app.
    for (const az of AZS) expect(lostIn(after, az).losses).toEqual(lostIn(before, az).losses);
    expect(after.serviceLostIn).toEqual(before.serviceLostIn);
  });
});
