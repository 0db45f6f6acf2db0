/**
 * The policy packs as users meet them: on by default in every HaStack, findings as annotations,
 * errors failing the same synth path users run, suppressions with reasons.
 */
import * as fs from "fs";
import * as path from "path";
import { App, Aspects, IAspect, TerraformStack, Testing } from "cdktf";
import { IConstruct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { planOffline } from "../lib/plan-offline";
import { GuardrailsAspect } from "../modules/guardrails/aspect";
import { checkStack, Guardrails, MIN_SUPPRESSION_REASON_LENGTH } from "../modules/guardrails/guardrails";
import { DEFAULT_POLICY_PACKS } from "../modules/guardrails/packs";
import { GuardrailRule, PolicyPack, resultOf, RuleLevel } from "../modules/guardrails/types";
import { relativePath, synthFindings } from "./helpers/guardrails/check";
import { fullFixture, networkFixture } from "./helpers/guardrails/fixtures";
import { testStack } from "./helpers/template";

const REASON = "fixture: accepted on purpose for this test";

/** Breaks one security rule (SEC-ALB-1, error) and one HA rule (HA-ASG-2, error). */
function brokenFixture(props: Parameters<typeof testStack>[0] = {}) {
  const fx = fullFixture({}, testStack(props));
  fx.web.alb.dropInvalidHeaderFields = false;
  fx.web.asg.minSize = 1;
  return fx;
}

function annotationTypes(construct: IConstruct): string[] {
  return construct.node.metadata.map((m) => m.type).filter((t) => t.startsWith("@cdktf/"));
}

describe("packs on an HaStack", () => {
  test("GIVEN no policyPacks prop THEN both packs are checked", () => {
    const fx = brokenFixture();
    expect(fx.stack.policyPacks).toEqual(DEFAULT_POLICY_PACKS);
    expect(synthFindings(fx.stack).map((f) => f.ruleId).sort()).toEqual(["HA-ASG-2", "SEC-ALB-1"]);
  });

  test("GIVEN policyPacks: [PolicyPack.HA] THEN only HA rules are reported", () => {
    const fx = brokenFixture({ policyPacks: [PolicyPack.HA] });
    expect(synthFindings(fx.stack).map((f) => f.ruleId)).toEqual(["HA-ASG-2"]);
  });

  test("GIVEN policyPacks: [PolicyPack.SECURITY] THEN only security rules are reported", () => {
    const fx = brokenFixture({ policyPacks: [PolicyPack.SECURITY] });
    expect(synthFindings(fx.stack).map((f) => f.ruleId)).toEqual(["SEC-ALB-1"]);
  });

  test("GIVEN policyPacks: [] THEN no aspect is added and nothing is reported", () => {
    const fx = brokenFixture({ policyPacks: [] });
    expect(Aspects.of(fx.stack).all.filter((a) => a instanceof GuardrailsAspect)).toEqual([]);
    expect(synthFindings(fx.stack)).toEqual([]);
  });
});

describe("findings as annotations", () => {
  test("GIVEN an error rule broken THEN the resource's construct gets an error annotation naming the rule", () => {
    const fx = brokenFixture();
    synthFindings(fx.stack);
    expect(annotationTypes(fx.web.alb)).toEqual(["@cdktf/error"]);
    const message = fx.web.alb.node.metadata.find((m) => m.type === "@cdktf/error")!.data as string;
    expect(message).toMatch(/^\[SEC-ALB-1\] aws_lb\.Web_Alb_[0-9A-F]{8}: drop_invalid_header_fields is false/);
    expect(message).toContain('Guardrails.suppress(scope, "SEC-ALB-1", "<reason>")');
  });

  test("GIVEN a warning rule broken THEN the annotation is a warning", () => {
    const fx = fullFixture();
    fx.db.cluster.deletionProtection = false;
    const findings = synthFindings(fx.stack);
    expect(findings.map((f) => [f.ruleId, f.level])).toEqual([["SEC-RDS-3", "warning"]]);
    expect(annotationTypes(fx.db.cluster)).toEqual(["@cdktf/warn"]);
  });

  test("GIVEN the stack is synthesized twice THEN each finding is recorded once", () => {
    const fx = brokenFixture();
    Testing.synth(fx.stack);
    Testing.synth(fx.stack);
    expect(Guardrails.findings(fx.stack)).toHaveLength(2);
    expect(annotationTypes(fx.web.alb)).toEqual(["@cdktf/error"]);
  });

  test("GIVEN two rules broken on one resource THEN both are recorded, each once over two synths", () => {
    const fx = fullFixture();
    fx.web.alb.dropInvalidHeaderFields = false;
    fx.web.alb.putAccessLogs({ bucket: "team-alb-logs", enabled: false });
    synthFindings(fx.stack);
    synthFindings(fx.stack);
    expect(Guardrails.findings(fx.web.alb).map((f) => f.ruleId)).toEqual(["SEC-ALB-1", "SEC-ALB-3"]);
    expect(annotationTypes(fx.web.alb)).toEqual(["@cdktf/error", "@cdktf/error"]);
  });

  test("GIVEN two raw-override resources with the same problem THEN the stack records a finding for each, once over two synths", () => {
    const stack = testStack();
    const unencrypted = { engine: "aurora-postgresql", manage_master_user_password: true, storage_encrypted: false, backup_retention_period: 7 };
    stack.addOverride("resource.aws_rds_cluster.raw_a", unencrypted);
    stack.addOverride("resource.aws_rds_cluster.raw_b", unencrypted);
    synthFindings(stack);
    const encryption = () => Guardrails.findings(stack).filter((f) => f.ruleId === "SEC-RDS-1");
    expect(encryption().map((f) => [f.resource, f.path])).toEqual([
      ["aws_rds_cluster.raw_a", "test"],
      ["aws_rds_cluster.raw_b", "test"],
    ]);
    synthFindings(stack);
    expect(encryption().map((f) => f.resource)).toEqual(["aws_rds_cluster.raw_a", "aws_rds_cluster.raw_b"]);
  });

  test("GIVEN a finding THEN it is kept as construct metadata of type cdktf-aws-ha/guardrails/finding", () => {
    const fx = brokenFixture();
    synthFindings(fx.stack);
    const entry = fx.web.alb.node.metadata.find((m) => m.type === "cdktf-aws-ha/guardrails/finding");
    expect(entry?.data).toMatchObject({ ruleId: "SEC-ALB-1", path: "test/Web/Alb" });
  });
});

describe("a stack synthesized again after a change", () => {
  test("GIVEN a finding fixed after a synth THEN the next synth's findings leave it out, and a new problem shows", () => {
    const fx = brokenFixture();
    expect(synthFindings(fx.stack).map((f) => f.ruleId)).toEqual(["SEC-ALB-1", "HA-ASG-2"]);
    fx.web.alb.dropInvalidHeaderFields = true;
    fx.web.asg.minSize = 0;
    expect(synthFindings(fx.stack).map((f) => [f.ruleId, f.problem.slice(0, 13)])).toEqual([["HA-ASG-2", "min_size (0) "]]);
  });

  test("GIVEN a suppression added after a synth THEN the next synth reports the finding once, suppressed", () => {
    const fx = brokenFixture();
    synthFindings(fx.stack);
    Guardrails.suppress(fx.web.asg, "HA-ASG-2", REASON);
    const findings = synthFindings(fx.stack).filter((f) => f.ruleId === "HA-ASG-2");
    expect(findings.map((f) => f.suppressedBy?.reason)).toEqual([REASON]);
    expect(Guardrails.unsuppressedFindings(fx.stack).map((f) => f.ruleId)).toEqual(["SEC-ALB-1"]);
  });

  test("GIVEN a nearer suppression added after a synth THEN the next synth names the nearer one", () => {
    const fx = brokenFixture();
    Guardrails.suppress(fx.stack, "HA-ASG-2", REASON);
    synthFindings(fx.stack);
    Guardrails.suppress(fx.stack.node.findChild("Web"), "HA-ASG-2", REASON);
    const findings = synthFindings(fx.stack).filter((f) => f.ruleId === "HA-ASG-2");
    expect(findings.map((f) => f.suppressedBy?.path)).toEqual(["test/Web"]);
  });

  test("GIVEN two rules with the same words about one resource THEN each rule's finding is recorded, on every check", () => {
    // checkStack takes any list of rules, and two rules may word a problem alike: the repeat check
    // (a finding already recorded is not recorded again) must tell findings apart by rule too.
    const stack = new TerraformStack(Testing.app(), "twins");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    new Lb(stack, "Alb", { name: "twins", internal: true });
    const twin = (id: string): GuardrailRule => ({
      id,
      pack: PolicyPack.SECURITY,
      level: RuleLevel.WARNING,
      description: "the load balancer has an owner tag",
      resourceTypes: ["aws_lb"],
      evaluate: () => resultOf(["no owner tag"]),
    });
    const rules = [twin("TEAM-1"), twin("TEAM-2")];
    expect(checkStack(stack, rules).map((f) => f.ruleId)).toEqual(["TEAM-1", "TEAM-2"]);
    expect(checkStack(stack, rules).map((f) => f.ruleId)).toEqual(["TEAM-1", "TEAM-2"]);
  });

  test("GIVEN two aspects judging different packs of one stack THEN each synth keeps both packs' findings", () => {
    const fx = brokenFixture({ policyPacks: [PolicyPack.HA] });
    Aspects.of(fx.stack).add(new GuardrailsAspect({ packs: [PolicyPack.SECURITY] }));
    expect(synthFindings(fx.stack).map((f) => f.ruleId)).toEqual(["SEC-ALB-1", "HA-ASG-2"]);
    expect(synthFindings(fx.stack).map((f) => f.ruleId)).toEqual(["SEC-ALB-1", "HA-ASG-2"]);
  });
});

describe("suppressions", () => {
  test("GIVEN a suppression on a parent THEN it covers the child's finding, which stays visible as info", () => {
    const fx = brokenFixture();
    Guardrails.suppress(fx.stack.node.findChild("Web"), "SEC-ALB-1", REASON);
    const finding = synthFindings(fx.stack).find((f) => f.ruleId === "SEC-ALB-1")!;
    expect(finding.suppressedBy).toEqual({ ruleId: "SEC-ALB-1", reason: REASON, path: "test/Web" });
    expect(annotationTypes(fx.web.alb)).toEqual(["@cdktf/info"]);
    expect(fx.web.alb.node.metadata.find((m) => m.type === "@cdktf/info")!.data).toContain(`suppressed at test/Web: ${REASON}`);
  });

  test("GIVEN a reason of exactly MIN_SUPPRESSION_REASON_LENGTH characters THEN the suppression is accepted", () => {
    const fx = brokenFixture();
    const reason = "x".repeat(MIN_SUPPRESSION_REASON_LENGTH);
    Guardrails.suppress(fx.web.alb, "SEC-ALB-1", reason);
    expect(synthFindings(fx.stack).find((f) => f.ruleId === "SEC-ALB-1")!.suppressedBy).toEqual({ ruleId: "SEC-ALB-1", reason, path: "test/Web/Alb" });
  });

  test("GIVEN a suppression on the resource itself THEN it covers that finding and no other", () => {
    const fx = brokenFixture();
    Guardrails.suppress(fx.web.asg, "HA-ASG-2", REASON);
    Testing.synth(fx.stack);
    expect(Guardrails.findings(fx.stack).find((f) => f.ruleId === "HA-ASG-2")!.suppressedBy?.path).toBe("test/Web/Asg");
    expect(Guardrails.unsuppressedFindings(fx.stack).map((f) => f.ruleId)).toEqual(["SEC-ALB-1"]);
  });

  test("GIVEN a suppression on a sibling subtree THEN it does not cover the finding", () => {
    const fx = brokenFixture();
    Guardrails.suppress(fx.stack.node.findChild("Db"), "SEC-ALB-1", REASON);
    expect(synthFindings(fx.stack).find((f) => f.ruleId === "SEC-ALB-1")!.suppressedBy).toBeUndefined();
    expect(annotationTypes(fx.web.alb)).toEqual(["@cdktf/error"]);
  });

  test("GIVEN a suppression of another rule on the resource THEN it does not cover the finding", () => {
    const fx = brokenFixture();
    Guardrails.suppress(fx.web.alb, "SEC-ALB-3", REASON);
    expect(synthFindings(fx.stack).find((f) => f.ruleId === "SEC-ALB-1")!.suppressedBy).toBeUndefined();
  });

  test("GIVEN the same rule suppressed on the stack and on a parent THEN the nearest suppression covers the finding", () => {
    const fx = brokenFixture();
    Guardrails.suppress(fx.stack, "SEC-ALB-1", "the whole stack accepts it for a reason");
    Guardrails.suppress(fx.stack.node.findChild("Web"), "SEC-ALB-1", REASON);
    expect(synthFindings(fx.stack).find((f) => f.ruleId === "SEC-ALB-1")!.suppressedBy).toEqual({ ruleId: "SEC-ALB-1", reason: REASON, path: "test/Web" });
  });

  test("GIVEN suppressions THEN they are listed with where they were declared", () => {
    const fx = brokenFixture();
    Guardrails.suppress(fx.web.asg, "HA-ASG-2", REASON);
    Guardrails.suppress(fx.stack, "SEC-RDS-3", "dev tears the database down nightly");
    expect(Guardrails.suppressions(fx.stack)).toEqual([
      { ruleId: "SEC-RDS-3", reason: "dev tears the database down nightly", path: "test" },
      { ruleId: "HA-ASG-2", reason: REASON, path: "test/Web/Asg" },
    ]);
  });

  test("GIVEN a suppression THEN it is stored as construct metadata, not in the synthesized JSON", () => {
    const fx = fullFixture();
    Guardrails.suppress(fx.web.alb, "SEC-ALB-1", REASON);
    expect(fx.web.alb.node.metadata.map((m) => m.type)).toContain("cdktf-aws-ha/guardrails/suppression");
    expect(Testing.synth(fx.stack)).not.toContain(REASON);
  });
});

describe("a policy failure cannot be skipped by accident", () => {
  test("GIVEN an error finding THEN app.synth() (what `cdktf synth` and scripts/app.js run) throws with the rule id and path", () => {
    const fx = brokenFixture();
    const app = fx.stack.node.root as App;
    expect(() => app.synth()).toThrow(/\[test\/Web\/Alb\] \[SEC-ALB-1\]/);
  });

  test("GIVEN the same findings suppressed THEN app.synth() writes the stack", () => {
    const fx = brokenFixture();
    Guardrails.suppress(fx.web.alb, "SEC-ALB-1", REASON);
    Guardrails.suppress(fx.web.asg, "HA-ASG-2", REASON);
    const app = fx.stack.node.root as App;
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, "stacks", "test", "cdk.tf.json"))).toBe(true);
  });

  test("GIVEN only a warning THEN app.synth() succeeds", () => {
    const fx = fullFixture();
    fx.db.cluster.deletionProtection = false;
    expect(() => (fx.stack.node.root as App).synth()).not.toThrow();
  });

  test("GIVEN an error finding THEN planOffline rejects before running Terraform, naming the rule", async () => {
    const fx = brokenFixture();
    await expect(planOffline(fx.stack)).rejects.toThrow(/SEC-ALB-1/);
  });
});

describe("aspect ordering and placement", () => {
  test("GIVEN a user aspect added after HaStack's that fixes a resource THEN the packs judge the fixed resource", () => {
    const fx = brokenFixture();
    const fixHeaders: IAspect = {
      visit: (node) => {
        if (node instanceof Lb) node.dropInvalidHeaderFields = true;
      },
    };
    Aspects.of(fx.stack).add(fixHeaders);
    expect(synthFindings(fx.stack).map((f) => f.ruleId)).toEqual(["HA-ASG-2"]);
  });

  test("GIVEN a user aspect that breaks a resource THEN the packs see the break", () => {
    const fx = fullFixture();
    Aspects.of(fx.stack).add({
      visit: (node: IConstruct) => {
        if (node instanceof Lb) node.dropInvalidHeaderFields = false;
      },
    });
    expect(synthFindings(fx.stack).map((f) => f.ruleId)).toEqual(["SEC-ALB-1"]);
  });

  test("GIVEN a stack nested in a checked stack (cdktf allows it) THEN findings of each read the latest check of its own stack", () => {
    const app = Testing.app();
    const outer = new TerraformStack(app, "outer");
    new AwsProvider(outer, "aws", { region: "us-east-1" });
    const outerNet = networkFixture(outer);
    outerNet.privateSubnets[0].mapPublicIpOnLaunch = true;
    const inner = new TerraformStack(outer, "inner");
    new AwsProvider(inner, "aws", { region: "us-east-1" });
    const innerNet = networkFixture(inner);
    innerNet.privateSubnets[1].mapPublicIpOnLaunch = true;
    Aspects.of(outer).add(new GuardrailsAspect({ packs: [PolicyPack.SECURITY] }));
    Testing.synth(outer);
    Testing.synth(inner);
    expect(Guardrails.findings(inner).map((f) => [f.ruleId, relativePath(inner, f.path)])).toEqual([["SEC-VPC-3", "Net/us-east-1b/Private"]]);
    expect(Guardrails.findings(app).map((f) => [f.ruleId, relativePath(outer, f.path)])).toEqual([
      ["SEC-VPC-3", "Net/us-east-1a/Private"],
      ["SEC-VPC-3", "inner/Net/us-east-1b/Private"],
    ]);
  });

  test("GIVEN a plain TerraformStack with the aspect added THEN it is checked too", () => {
    const stack = new TerraformStack(Testing.app(), "plain");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const net = networkFixture(stack);
    net.privateSubnets[0].mapPublicIpOnLaunch = true;
    Aspects.of(stack).add(new GuardrailsAspect({ packs: [PolicyPack.SECURITY] }));
    const findings = synthFindings(stack);
    expect(findings.map((f) => [f.ruleId, relativePath(stack, f.path)])).toEqual([["SEC-VPC-3", "Net/us-east-1a/Private"]]);
  });
});
