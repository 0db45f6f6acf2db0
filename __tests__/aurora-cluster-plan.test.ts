import { execFileSync } from "child_process";
import { Testing } from "cdktf";
import { StackIntent } from "../lib/ha-stack";
import { PlanSummary, TERRAFORM_BINARY_ENV, planOffline } from "../lib/plan-offline";
import { AuroraCluster } from "../modules/aurora-cluster";
import { HaVpc } from "../modules/ha-vpc";
import { DevStack, LabStack, loadStackConfig } from "../stacks";
import { fixtureClient } from "./helpers/database-client";
import { testStack } from "./helpers/template";

const terraform = process.env[TERRAFORM_BINARY_ENV] ?? "terraform";
const hasTerraform = (() => {
  try {
    execFileSync(terraform, ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
if (!hasTerraform) {
  // CI always has Terraform; a laptop without it still runs every synth-level test.
  console.warn(`aurora-cluster-plan: skipped, "${terraform}" not found (set ${TERRAFORM_BINARY_ENV})`);
}
const planTest = hasTerraform ? test : test.skip;

function created(summary: PlanSummary, type: string): string[] {
  return summary.changes.filter((c) => c.type === type && c.actions.includes("create")).map((c) => c.address);
}

describe("AuroraCluster plans offline", () => {
  planTest("GIVEN a fixture with three instances over two AZs, a CMK and a wired app client THEN terraform plan succeeds", async () => {
    const stack = testStack({ intent: StackIntent.PRODUCTION }, "aurora-fixture");
    const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"] });
    const db = new AuroraCluster(stack, "Database", {
      vpc,
      instances: 3,
      masterUserSecretKmsKeyArn: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      cloudwatchLogsExports: ["audit", "error", "general", "slowquery"],
    });
    db.allowFrom(fixtureClient(stack, "App", vpc));
    const summary = await planOffline(stack);
    expect(summary.add).toBeGreaterThan(0);
    expect(summary.destroy).toBe(0);
    expect(created(summary, "aws_rds_cluster_instance")).toHaveLength(3);
    expect(created(summary, "aws_vpc_security_group_ingress_rule")).toHaveLength(1);
    expect(created(summary, "aws_vpc_security_group_egress_rule")).toHaveLength(1);
    expect(created(summary, "aws_iam_role_policy").filter((a) => a.includes("SecretReadPolicy"))).toHaveLength(1);
  });

  planTest("the lab stack built from stacks/ plans: a cluster with two instances", async () => {
    const summary = await planOffline(new LabStack(Testing.app(), "lab", loadStackConfig({})));
    expect(summary.add).toBeGreaterThan(0);
    expect(created(summary, "aws_rds_cluster")).toHaveLength(1);
    expect(created(summary, "aws_rds_cluster_instance")).toHaveLength(2);
  });

  planTest("the dev stack built from stacks/ plans: a cluster with one instance", async () => {
    const summary = await planOffline(new DevStack(Testing.app(), "dev", loadStackConfig({})));
    expect(summary.add).toBeGreaterThan(0);
    expect(created(summary, "aws_rds_cluster")).toHaveLength(1);
    expect(created(summary, "aws_rds_cluster_instance")).toHaveLength(1);
  });
});
