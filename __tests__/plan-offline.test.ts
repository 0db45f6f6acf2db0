import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, Testing } from "cdktf";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { loadStackConfig } from "../stacks/config";
import { HaStack } from "../lib/ha-stack";
import { HaVpc } from "../modules/ha-vpc";
import { OFFLINE_OVERRIDE_FILE, OfflinePlanError, formatPlanSummary, planOffline } from "../lib/plan-offline";
import { Template } from "./helpers/template";
import { describeWithTerraform } from "./helpers/terraform";

describeWithTerraform("offline plan (no network, no credentials)", () => {
  test.each([
    ["lab", LabStack],
    ["dev", DevStack],
  ] as const)("GIVEN the %s stack WHEN planned THEN every resource is created and nothing else", async (name, Stack) => {
    const stack = new Stack(Testing.app(), name, loadStackConfig({}));
    const expected = Template.of(new Stack(Testing.app(), name, loadStackConfig({}))).allResources().length;
    const summary = await planOffline(stack);
    expect(summary.stack).toBe(name);
    expect(summary.add).toBe(expected);
    expect(summary.change).toBe(0);
    expect(summary.destroy).toBe(0);
    expect(summary.changes.every((c) => c.actions.join() === "create")).toBe(true);
    const planned = summary.changes.map((c) => c.type);
    for (const type of ["aws_nat_gateway", "aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_launch_template", "aws_autoscaling_group", "aws_rds_cluster"]) {
      expect(planned).toContain(type);
    }
    // lab: a writer and a reader in another AZ, a NAT per AZ; dev: one of each.
    const count = (type: string) => planned.filter((t) => t === type).length;
    expect([count("aws_rds_cluster_instance"), count("aws_nat_gateway")]).toEqual(name === "lab" ? [2, 2] : [1, 1]);
    expect(formatPlanSummary(summary)).toMatch(new RegExp(`^${name}: plan OK — ${expected} to add, 0 to change, 0 to destroy`));
  });

  test("GIVEN an S3 backend THEN the plan still runs offline and the synthesized stack is left untouched", async () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "plan-s3-")) });
    new HaVpc(
      new HaStack(app, "s3stack", { region: "eu-west-1", environment: "t", backend: { type: "s3", bucket: "state" } }),
      "Net",
      { azs: ["eu-west-1a", "eu-west-1b"] },
    );
    app.synth();
    const dir = path.join(app.outdir, "stacks", "s3stack");
    const before = fs.readdirSync(dir);
    const summary = await planOffline(dir, { keepWorkDir: true });
    expect(summary.add).toBeGreaterThan(30);
    expect(fs.readdirSync(dir)).toEqual(before);
    const override = JSON.parse(fs.readFileSync(path.join(summary.workDir!, OFFLINE_OVERRIDE_FILE), "utf8"));
    expect(override.provider.aws[0]).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true });
    fs.rmSync(summary.workDir!, { recursive: true, force: true });
  });

  test("fails with Terraform's own message when the configuration is invalid", async () => {
    const stack = new HaStack(Testing.app(), "broken", { region: "us-east-1", environment: "t" });
    const vpc = new HaVpc(stack, "Net", { azs: ["us-east-1a", "us-east-1b"] });
    vpc.vpc.addOverride("cidr_block", "not-a-cidr");
    await expect(planOffline(stack)).rejects.toThrow(/terraform plan failed for stack broken[\s\S]*not-a-cidr/);
  });

  test("names the variable to set when the provider mirror is missing", async () => {
    const stack = new HaStack(Testing.app(), "m", { region: "us-east-1", environment: "t" });
    await expect(planOffline(stack, { providerMirror: "/nonexistent/mirror" })).rejects.toThrow(
      /provider mirror \/nonexistent\/mirror does not exist; set CDKTF_AWS_HA_PROVIDER_MIRROR/,
    );
  });
});

test("names the variable to set when terraform is missing", async () => {
  const stack = new HaStack(Testing.app(), "t", { region: "us-east-1", environment: "t" });
  const error = await planOffline(stack, { terraform: "/nonexistent/terraform" }).catch((e) => e);
  expect(error).toBeInstanceOf(OfflinePlanError);
  expect(error.message).toMatch(/terraform binary "\/nonexistent\/terraform" not found.*CDKTF_AWS_HA_TERRAFORM/);
});

test("stops a terraform step that runs past its timeout, naming the step and the limit", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slow-terraform-"));
  const slow = path.join(dir, "terraform");
  fs.writeFileSync(slow, "#!/bin/sh\nsleep 30\n", { mode: 0o755 });
  const stack = new HaStack(Testing.app(), "slow", { region: "us-east-1", environment: "t" });
  try {
    await expect(planOffline(stack, { terraform: slow, stepTimeoutMs: 300 })).rejects.toThrow(
      /terraform init for stack slow ran longer than 0.3 s and was stopped/,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
