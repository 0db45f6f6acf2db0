import { TerraformVariable, Testing } from "cdktf";
import { HaStack } from "../lib/ha-stack";
import { planOffline } from "../lib/plan-offline";
import { AppTier } from "../modules/app-tier";
import { HaVpc } from "../modules/ha-vpc";
import { testWithTerraform } from "./helpers/terraform";

const planTest = testWithTerraform;

const TIER_TYPES = [
  "aws_lb",
  "aws_lb_listener",
  "aws_lb_target_group",
  "aws_launch_template",
  "aws_autoscaling_group",
  "aws_autoscaling_policy",
  "aws_iam_instance_profile",
];

describe("offline plans with the app tier", () => {
  planTest("a tier with HTTPS, three AZs, access logs and tokenized user data plans with no AWS call", async () => {
    const stack = new HaStack(Testing.app(), "apptier", { region: "us-east-1", environment: "test" });
    const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b", "us-east-1c"] });
    const host = new TerraformVariable(stack, "db_host", { type: "string", default: "db.internal" });
    new AppTier(stack, "App", {
      vpc,
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-90ab-cdef-1234-567890abcdef",
      userData: `#!/bin/bash\necho "DB=${host.stringValue} \${HOME} %{x} \\\\" > /etc/app.env\n`,
      accessLogs: { enabled: true, versioned: true },
      allowedCidrs: ["203.0.113.0/24"],
    });
    const summary = await planOffline(stack);
    expect(summary.add).toBeGreaterThan(0);
    expect(summary.change + summary.destroy).toBe(0);
    const planned = new Set(summary.changes.map((c) => c.type));
    for (const type of [...TIER_TYPES, "aws_s3_bucket", "aws_s3_bucket_policy"]) expect(planned).toContain(type);
  });

});
