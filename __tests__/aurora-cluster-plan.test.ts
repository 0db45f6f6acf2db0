import { StackIntent } from "../lib/ha-stack";
import { PlanSummary, planOffline } from "../lib/plan-offline";
import { AuroraCluster } from "../modules/aurora-cluster";
import { HaVpc } from "../modules/ha-vpc";
import { fixtureClient } from "./helpers/database-client";
import { testStack } from "./helpers/template";
import { testWithTerraform } from "./helpers/terraform";

const planTest = testWithTerraform;

function created(summary: PlanSummary, type: string): string[] {
  return summary.changes.filter((c) => c.type === type && c.actions.includes("create")).map((c) => c.address);
}

describe("AuroraCluster plans offline", () => {
  planTest("GIVEN a fixture with three instances pinned over two AZs (instanceAzs), a CMK and a wired app client THEN terraform plan succeeds", async () => {
    const stack = testStack({ intent: StackIntent.PRODUCTION }, "aurora-fixture");
    const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1b", "us-east-1a"] });
    const db = new AuroraCluster(stack, "Database", {
      vpc,
      instanceAzs: ["us-east-1a", "us-east-1b", "us-east-1a"],
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

});
