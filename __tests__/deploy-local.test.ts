import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { HaStack } from "../lib/ha-stack";
import { deployLocal, EMULATOR_OVERRIDE_FILE, formatDeployLocal } from "../lib/deploy-local";
import { classifyReplan, EMULATOR_GAPS } from "../lib/emulator-gaps";
import { EMULATOR_ENV, EMULATOR_INSTALL_HINT, findEmulator, RunningEmulator, startEmulator } from "../lib/local-emulator";
import { JsonResourceChange } from "../lib/terraform-run";
import { terraformAvailable } from "./helpers/terraform";

const PROJECT_ROOT = path.resolve(__dirname, "..");
/** The compiled script, as `npm run deploy:local` runs it (npm test builds first). */
const DEPLOY_LOCAL_SCRIPT = path.join(PROJECT_ROOT, "dist", "scripts", "deploy-local.js");

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function update(type: string, before: object, after: object, afterUnknown: object = {}): JsonResourceChange {
  return {
    address: `${type}.x`,
    mode: "managed",
    type,
    change: { actions: ["update"], before: before as never, after: after as never, after_unknown: afterUnknown as never },
  };
}

describe("emulator gap list", () => {
  test("GIVEN a rule whose only difference is the description the emulator does not store THEN it is a gap, not a change", () => {
    const result = classifyReplan([
      update("aws_vpc_security_group_ingress_rule", { from_port: 443, description: null }, { from_port: 443, description: "HTTPS" }),
    ]);
    expect(result.changes).toEqual([]);
    expect(result.gaps.map((g) => g.attributes)).toEqual([["description"]]);
  });

  test("GIVEN the same rule with its port changed as well THEN the port change is reported", () => {
    const result = classifyReplan([
      update(
        "aws_vpc_security_group_ingress_rule",
        { from_port: 8443, to_port: 8443, description: null },
        { from_port: 443, to_port: 443, description: "HTTPS" },
      ),
    ]);
    expect(result.changes.map((c) => [c.address, c.attributes])).toEqual([
      ["aws_vpc_security_group_ingress_rule.x", ["description", "from_port", "to_port"]],
    ]);
    expect(result.gaps).toEqual([]);
  });

  test("GIVEN a listed attribute on a type it is not listed for THEN it is reported", () => {
    const result = classifyReplan([update("aws_security_group", { description: "a" }, { description: "b" })]);
    expect(result.changes).toHaveLength(1);
  });

  test("GIVEN a create, a delete or a replacement THEN none is ever a gap", () => {
    const change = (actions: string[]): JsonResourceChange => ({
      address: `aws_autoscaling_group.${actions.join("_")}`,
      mode: "managed",
      type: "aws_autoscaling_group",
      change: { actions, before: {}, after: {} },
    });
    const result = classifyReplan([change(["create"]), change(["delete"]), change(["delete", "create"])]);
    expect(result.changes).toHaveLength(3);
    expect(result.gaps).toEqual([]);
  });

  test("GIVEN values known only after apply THEN they count as knock-ons only when another change in the plan explains them", () => {
    const knockOn = update("aws_iam_role_policy", { policy: "{}" }, {}, { policy: true });
    const gap = update("aws_launch_template", { tag_specifications: [{ resource_type: "launch-template" }] }, { tag_specifications: [] });
    expect(classifyReplan([knockOn, gap])).toEqual({ changes: [], gaps: [expect.anything(), expect.anything()] });
    // Alone, nothing explains it: report it.
    expect(classifyReplan([knockOn]).changes.map((c) => c.attributes)).toEqual([["policy"]]);
  });

  test("GIVEN an absent block shown as null on one side and [] on the other THEN that is no difference", () => {
    const result = classifyReplan([
      update("aws_autoscaling_policy", { enabled: false, step_adjustment: null }, { enabled: true, step_adjustment: [] }),
    ]);
    expect(result.changes).toEqual([]);
    expect(result.gaps.map((g) => g.attributes)).toEqual([["enabled"]]);
  });

  test("GIVEN an update with no difference the classifier can see THEN it is reported, not assumed harmless", () => {
    const result = classifyReplan([update("aws_lb", { idle_timeout: 60 }, { idle_timeout: 60 })]);
    expect(result.changes).toHaveLength(1);
  });

  test("every entry names a resource type, an attribute, the emulator behaviour and the version it was seen on", () => {
    for (const gap of EMULATOR_GAPS) {
      expect(gap.resourceType).toMatch(/^aws_[a-z0-9_]+$/);
      expect(gap.attribute).toMatch(/^[a-z0-9_]+$/);
      expect(gap.behaviour.length).toBeGreaterThan(10);
      expect(gap.seenOn).toMatch(/^moto \d+\.\d+\.\d+$/);
    }
    // The two wrong read-backs the fixes patch corrects are listed for a pip install without it.
    expect(EMULATOR_GAPS.filter((g) => g.fixedByPatch).map((g) => `${g.resourceType}.${g.attribute}`)).toEqual([
      "aws_launch_template.tag_specifications",
      "aws_rds_cluster.scaling_configuration",
    ]);
  });

  test("the README lists every gap", () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8");
    for (const gap of EMULATOR_GAPS) expect(readme).toContain(`| \`${gap.resourceType}\` | \`${gap.attribute}\` |`);
  });
});

describe("finding the emulator", () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "find-emulator-"));
  const fake = (dir: string, name: string) => {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, name);
    fs.writeFileSync(file, "#!/bin/sh\n", { mode: 0o755 });
    return file;
  };

  test("GIVEN the override variable THEN it wins", () => {
    expect(findEmulator(scratch, { [EMULATOR_ENV]: "/opt/moto/bin/moto_server", PATH: "" })).toBe("/opt/moto/bin/moto_server");
  });

  test("GIVEN moto_server on the PATH (a pip install) THEN it is used", () => {
    const bin = fake(path.join(scratch, "bin"), "moto_server");
    expect(findEmulator(path.join(scratch, "project"), { PATH: `/nonexistent:${path.dirname(bin)}` })).toBe(bin);
  });

  test("GIVEN the shared snapshot beside the project THEN it comes before the PATH", () => {
    const shared = fake(path.join(scratch, "shared", "emulator"), "moto-server");
    expect(findEmulator(path.join(scratch, "project"), { PATH: path.join(scratch, "bin") })).toBe(shared);
  });

  test("GIVEN none THEN nothing is found, and the hint says how to install it", () => {
    expect(findEmulator("/nonexistent/project", { PATH: "/nonexistent" })).toBeUndefined();
    expect(EMULATOR_INSTALL_HINT).toMatch(/pip install "moto\[server\]==5\.2\.3"/);
  });
});

describe("deployLocal without an emulator", () => {
  const saved = { ...process.env };
  const cwd = process.cwd();
  beforeEach(() => {
    process.env.PATH = "/nonexistent";
    delete process.env[EMULATOR_ENV];
    process.chdir(os.tmpdir());
  });
  afterEach(() => {
    process.env = { ...saved };
    process.chdir(cwd);
  });

  test("GIVEN CI=true THEN it fails with the install hint", async () => {
    process.env.CI = "true";
    await expect(deployLocal("/nonexistent/stack")).rejects.toThrow(EMULATOR_INSTALL_HINT);
  });

  test("GIVEN a developer machine THEN it skips with a one-line message saying how to install it", async () => {
    delete process.env.CI;
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const result = await deployLocal("/nonexistent/stack");
    expect(result.skipped).toBe(`deployLocal(stack) skipped: ${EMULATOR_INSTALL_HINT}`);
    expect(warn).toHaveBeenCalledWith(result.skipped);
    expect(result.problems).toEqual([]);
    warn.mockRestore();
  });

  test("GIVEN an endpoint that is not on loopback THEN it refuses before anything runs", async () => {
    await expect(deployLocal("/nonexistent/stack", { endpoint: "http://10.0.0.5:5000" })).rejects.toThrow(/not a loopback URL/);
  });
});

describe("npm run deploy:local, bad input", () => {
  test("GIVEN an unknown stack name THEN it fails listing the stacks, before starting anything", () => {
    const run = spawnSync(process.execPath, [DEPLOY_LOCAL_SCRIPT, "prod"], { encoding: "utf8", timeout: 120_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^deploy:local: unknown stack "prod"; the stacks are: dev, lab$/m);
    expect(run.stdout).not.toMatch(/emulator/);
  });
});

/**
 * A real round trip on the emulator, small enough for the unit run: one VPC, two security groups,
 * and two ingress rules from one to the other whose descriptions the emulator does not store (a
 * listed gap: moto keeps descriptions only on CIDR rules).
 */
function ruleStack(id: string): HaStack {
  const stack = new HaStack(Testing.app(), id, { region: "us-east-1", environment: "test", policyPacks: [] });
  const vpc = new Vpc(stack, "Vpc", { cidrBlock: "10.9.0.0/16" });
  const clients = new SecurityGroup(stack, "Clients", { namePrefix: `${id}-clients-`, description: "drift test clients", vpcId: vpc.id });
  const server = new SecurityGroup(stack, "Server", { namePrefix: `${id}-server-`, description: "drift test server", vpcId: vpc.id });
  for (const [name, port] of [["Https", 443], ["Http", 80]] as const) {
    new VpcSecurityGroupIngressRule(stack, name, {
      securityGroupId: server.id,
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: clients.id,
      description: `${name} from the clients`,
    });
  }
  return stack;
}

const RULE_ADDRESS = "aws_vpc_security_group_ingress_rule.Https";
const UNTOUCHED_RULE_ADDRESS = "aws_vpc_security_group_ingress_rule.Http";

/** Changes the rule's port through the emulator's EC2 API, behind Terraform's back. */
async function changeRulePort(endpoint: string, workDir: string, port: number): Promise<void> {
  const state = JSON.parse(fs.readFileSync(path.join(workDir, "terraform.tfstate"), "utf8"));
  const rule = state.resources.find((r: { type: string; name: string }) => `${r.type}.${r.name}` === RULE_ADDRESS).instances[0]
    .attributes;
  const form = new URLSearchParams({
    Action: "ModifySecurityGroupRules",
    Version: "2016-11-15",
    GroupId: rule.security_group_id,
    "SecurityGroupRule.1.SecurityGroupRuleId": rule.security_group_rule_id,
    "SecurityGroupRule.1.SecurityGroupRule.IpProtocol": "tcp",
    "SecurityGroupRule.1.SecurityGroupRule.FromPort": String(port),
    "SecurityGroupRule.1.SecurityGroupRule.ToPort": String(port),
    "SecurityGroupRule.1.SecurityGroupRule.ReferencedGroupId": rule.referenced_security_group_id,
  });
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      // The emulator reads the region and service from the credential scope; it checks no signature.
      authorization: "AWS4-HMAC-SHA256 Credential=mock-access-key/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0",
    },
    body: form.toString(),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`ModifySecurityGroupRules failed: ${response.status} ${body}`);
}

const emulatorCommand = findEmulator(PROJECT_ROOT);
const canRun = terraformAvailable() && (emulatorCommand !== undefined || process.env.CI === "true");
if (!canRun) console.warn(`skipping the deployLocal round trips: ${EMULATOR_INSTALL_HINT}`);

(canRun ? describe : describe.skip)("deployLocal round trip on the emulator", () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    if (!emulatorCommand) throw new Error(`CI must run the round trips: ${EMULATOR_INSTALL_HINT}`);
    emulator = await startEmulator({ command: emulatorCommand });
  }, 120_000);
  afterAll(async () => {
    await emulator?.stop();
  });

  test("GIVEN the port asked for is busy THEN the emulator starts on another one", async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const port = (busy.address() as net.AddressInfo).port;
    const other = await startEmulator({ command: emulatorCommand, port });
    try {
      expect(other.port).not.toBe(port);
      expect(other.endpoint).toBe(`http://127.0.0.1:${other.port}`);
      expect((await fetch(`${other.endpoint}/moto-api/`)).ok).toBe(true);
    } finally {
      await other.stop();
      busy.close();
    }
    expect(isRunning(other.pid)).toBe(false);
  }, 120_000);

  test("GIVEN Ctrl-C during npm run deploy:local THEN the emulator it started is stopped by its PID", async () => {
    const child = spawn(process.execPath, [DEPLOY_LOCAL_SCRIPT, "dev"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no emulator pid in: ${output}`)), 120_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /\(pid (\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
    });
    expect(isRunning(pid)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(130);
    expect(output).toMatch(/SIGINT, stopping terraform and the emulator \(pid \d+\)/);
    expect(isRunning(pid)).toBe(false);
  }, 180_000);

  test("GIVEN an apply the emulator rejects halfway THEN what was created is still destroyed, and the line says so", async () => {
    const stack = new HaStack(Testing.app(), "halfway", { region: "us-east-1", environment: "test", policyPacks: [] });
    const vpc = new Vpc(stack, "Vpc", { cidrBlock: "10.8.0.0/16" });
    // Outside the VPC's range: AWS (and the emulator) refuse it once the VPC exists.
    new Subnet(stack, "Outside", { vpcId: vpc.id, cidrBlock: "10.99.0.0/24", availabilityZone: "us-east-1a" });
    const result = await deployLocal(stack, { endpoint: emulator.endpoint });
    expect(result.applyError).toMatch(/subnet|cidr|range/i);
    expect([result.planned, result.applied]).toEqual([2, 1]);
    expect(result.stateLeft).toEqual([]);
    expect(result.problems[0]).toMatch(/^apply failed: /);
    expect(formatDeployLocal(result)).toMatch(/^halfway: apply FAILED after 1\/2 \(.+\), destroyed what was created, state empty/);
  }, 600_000);

  test("GIVEN one rule's port changed behind Terraform's back THEN the round trip reports it, though that rule also has a listed gap, and excuses only the gap of the other", async () => {
    const result = await deployLocal(ruleStack("drift"), {
      endpoint: emulator.endpoint,
      keepWorkDir: true,
      afterApply: ({ endpoint, workDir }) => changeRulePort(endpoint, workDir, 8443),
    });
    try {
      expect([result.planned, result.applied]).toEqual([5, 5]);
      expect(result.replanChanges.map((c) => [c.address, c.actions, c.attributes])).toEqual([
        [RULE_ADDRESS, ["update"], ["description", "from_port", "to_port"]],
      ]);
      expect(result.emulatorGaps.map((g) => [g.address, g.attributes])).toEqual([[UNTOUCHED_RULE_ADDRESS, ["description"]]]);
      expect(result.problems).toEqual([`second plan: ${RULE_ADDRESS} update (description, from_port, to_port)`]);
      expect(result.stateLeft).toEqual([]);
      expect(formatDeployLocal(result)).toMatch(
        /^drift: applied 5\/5, replan 1 changes \(1 emulator gaps excused\), destroyed, state empty — synth [\d.]+ s, init [\d.]+ s, apply [\d.]+ s, replan [\d.]+ s, teardown 0\.0 s, destroy [\d.]+ s$/,
      );
      // The provider went to the emulator for the services the stack uses, with the account id requested.
      const override = JSON.parse(fs.readFileSync(path.join(result.workDir!, EMULATOR_OVERRIDE_FILE), "utf8"));
      expect(override.provider.aws[0]).toMatchObject({ skip_requesting_account_id: false });
      expect(override.provider.aws[0].endpoints).toEqual([{ ec2: emulator.endpoint, sts: emulator.endpoint }]);
    } finally {
      fs.rmSync(result.workDir!, { recursive: true, force: true });
    }
  }, 600_000);
});
