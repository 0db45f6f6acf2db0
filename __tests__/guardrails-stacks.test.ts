/**
 * The guardrails on the real stacks and through Terraform: lab and dev synth with both packs on,
 * their findings are exactly the documented trade-offs, and a fixture stack with every tier
 * plans offline (lab and dev are planned in plan-offline.test.ts). (The README's rule table is checked in
 * guardrails-rules.test.ts.)
 */
import { Testing } from "cdktf";
import { HaStack, StackIntent } from "../lib/ha-stack";
import { planOffline } from "../lib/plan-offline";
import { Guardrails } from "../modules/guardrails/guardrails";
import { HaVpc, NatGatewayMode } from "../modules/ha-vpc";
import { loadStackConfig } from "../stacks/config";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { fullFixture } from "./helpers/guardrails/fixtures";
import { testWithTerraform } from "./helpers/terraform";

const planTest = testWithTerraform;

describe("GIVEN the lab and dev stacks built from stacks/", () => {
  const build = () => {
    const app = Testing.app();
    const config = loadStackConfig({});
    return { app, dev: new DevStack(app, "dev", config), lab: new LabStack(app, "lab", config) };
  };

  test("THEN both have the security and HA packs on", () => {
    const { dev, lab } = build();
    expect(dev.policyPacks).toEqual(["security", "ha"]);
    expect(lab.policyPacks).toEqual(["security", "ha"]);
  });

  test("THEN the app synthesizes: lab has no finding, dev exactly its suppressed, documented trade-offs", () => {
    const { app, dev, lab } = build();
    expect(() => app.synth()).not.toThrow();
    expect(Guardrails.findings(lab)).toEqual([]);
    expect(Guardrails.findings(dev).map((f) => ({ rule: f.ruleId, on: f.path, suppressedOn: f.suppressedBy?.path }))).toEqual([
      { rule: "HA-NAT-1", on: "dev/Network/us-east-1b/PrivateRouteTable", suppressedOn: "dev/Network" },
      { rule: "SEC-RDS-3", on: "dev/Database/Cluster", suppressedOn: "dev/Database" },
      { rule: "HA-DB-1", on: "dev/Database/Cluster", suppressedOn: "dev/Database" },
      { rule: "SEC-ALB-3", on: "dev/App/Alb", suppressedOn: "dev/App" },
      { rule: "HA-ASG-2", on: "dev/App/AutoScalingGroup", suppressedOn: "dev/App" },
    ]);
    expect(Guardrails.unsuppressedFindings(dev)).toEqual([]);
  });

  test("WHEN dev's network is built without its suppression THEN the synth fails naming HA-NAT-1 and the route table", () => {
    const app = Testing.app();
    const config = loadStackConfig({});
    const stack = new HaStack(app, "dev", { region: config.region, environment: "dev", intent: StackIntent.DEVELOPMENT });
    new HaVpc(stack, "Network", { name: "dev", azs: config.azs, natGateways: NatGatewayMode.SINGLE });
    expect(() => app.synth()).toThrow(/\[dev\/Network\/us-east-1b\/PrivateRouteTable\] \[HA-NAT-1\]/);
  });

});

planTest("GIVEN the compliant fixture with ALB, ASG and Aurora THEN it passes both packs and plans offline", async () => {
  const { stack } = fullFixture();
  const summary = await planOffline(stack);
  expect(Guardrails.findings(stack)).toEqual([]);
  expect(summary.add).toBeGreaterThan(0);
  expect(summary.changes.map((c) => c.type)).toEqual(
    expect.arrayContaining(["aws_lb", "aws_autoscaling_group", "aws_launch_template", "aws_rds_cluster", "aws_rds_cluster_instance"]),
  );
});
