import { App, Testing } from "cdktf";
import { buildApp } from "../main";
import { changedResources } from "../lib/deploy-local";
import { endpointServicesFor, ENDPOINT_SERVICE_PREFIXES, EMULATOR_SECRET_KEY } from "../lib/local-endpoint";
import { loadStackConfig } from "../stacks/config";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { scanForSecrets, SecretKind } from "../modules/guardrails/secrets";
import { Template } from "./helpers/template";

const ENDPOINT = "http://127.0.0.1:45123";

function synth(Stack: typeof DevStack | typeof LabStack, env: NodeJS.ProcessEnv): Template {
  return Template.of(new Stack(Testing.app(), Stack === DevStack ? "dev" : "lab", loadStackConfig(env)));
}

describe.each([
  ["dev", DevStack],
  ["lab", LabStack],
] as const)("the %s stack and HA_AWS_ENDPOINT", (_name, Stack) => {
  test("GIVEN HA_AWS_ENDPOINT unset THEN the provider block is what it was before the setting existed", () => {
    const unset = synth(Stack, {});
    expect(Object.keys(unset.json.provider.aws[0]).sort()).toEqual(["default_tags", "region"]);
    // The same JSON as a config object that has no emulator or teardown fields at all.
    const { region, azs, backend } = loadStackConfig({});
    const bare = Template.of(new Stack(Testing.app(), _name, { region, azs, backend }));
    expect(JSON.stringify(unset.json)).toBe(JSON.stringify(bare.json));
    expect(JSON.stringify(synth(Stack, { HA_AWS_ENDPOINT: "" }).json)).toBe(JSON.stringify(unset.json));
  });

  test("GIVEN HA_AWS_ENDPOINT THEN every service the stack uses goes to it, with mock keys and the account id still requested", () => {
    const template = synth(Stack, { HA_AWS_ENDPOINT: ENDPOINT });
    const provider = template.json.provider.aws[0];
    const types = [...Object.keys(template.json.resource), ...Object.keys(template.json.data ?? {})];
    const { services, unknownTypes } = endpointServicesFor(types);
    expect(unknownTypes).toEqual([]);
    for (const service of services) expect(provider.endpoints[0][service]).toBe(ENDPOINT);
    expect(provider).toMatchObject({
      access_key: "mock-access-key",
      secret_key: EMULATOR_SECRET_KEY,
      skip_requesting_account_id: false,
      s3_use_path_style: true,
      region: "us-east-1",
    });
    // Nothing else in the stack changes.
    const plain = synth(Stack, {});
    expect(JSON.stringify(template.json.resource)).toBe(JSON.stringify(plain.json.resource));
  });
});

describe("the app with HA_AWS_ENDPOINT, as cdktf deploy runs it", () => {
  test("GIVEN the variable THEN both stacks synthesize through the strict synthesizer (policy packs on)", () => {
    const saved = process.env.HA_AWS_ENDPOINT;
    process.env.HA_AWS_ENDPOINT = ENDPOINT;
    try {
      const app: App = buildApp({ outdir: Testing.app().outdir });
      expect(() => app.synth()).not.toThrow();
    } finally {
      if (saved === undefined) delete process.env.HA_AWS_ENDPOINT;
      else process.env.HA_AWS_ENDPOINT = saved;
    }
  });
});

describe("HA_TEARDOWN: building lab to be destroyed", () => {
  const normal = synth(LabStack, {});
  const teardown = synth(LabStack, { HA_TEARDOWN: "1" });
  const one = (t: Template, type: string) => t.resources(type)[0].values;

  test("GIVEN lab as deployed THEN the ALB and Aurora refuse deletion and a final snapshot is kept", () => {
    expect(one(normal, "aws_lb").enable_deletion_protection).toBe(true);
    expect(one(normal, "aws_rds_cluster")).toMatchObject({ deletion_protection: true, skip_final_snapshot: false });
    expect(one(normal, "aws_s3_bucket").force_destroy).toBe(false);
  });

  test("GIVEN HA_TEARDOWN=1 THEN protection is lifted, no snapshot is taken and the log bucket can go", () => {
    expect(one(teardown, "aws_lb").enable_deletion_protection).toBe(false);
    expect(one(teardown, "aws_rds_cluster")).toMatchObject({ deletion_protection: false, skip_final_snapshot: true });
    expect(one(teardown, "aws_rds_cluster").final_snapshot_identifier).toBeUndefined();
    expect(one(teardown, "aws_s3_bucket").force_destroy).toBe(true);
  });

  test("GIVEN HA_TEARDOWN=1 THEN the resources are the same ones, so applying it changes settings, not the stack", () => {
    expect(teardown.allResources().map((r) => r.address)).toEqual(normal.allResources().map((r) => r.address));
  });

  test("GIVEN lab THEN the teardown apply of deploy:local targets exactly the ALB, the cluster and the log bucket", () => {
    expect(changedResources(normal.json, teardown.json).map((a) => a.split(".")[0])).toEqual([
      "aws_lb",
      "aws_rds_cluster",
      "aws_s3_bucket",
    ]);
  });

  test("GIVEN dev THEN teardown changes nothing: it already tears down cleanly", () => {
    expect(JSON.stringify(synth(DevStack, { HA_TEARDOWN: "1" }).json)).toBe(JSON.stringify(synth(DevStack, {}).json));
  });
});

describe("the emulator's mock key and the secret scan", () => {
  test("GIVEN the fixed emulator key THEN it is not reported, while any other secret_key literal still is", () => {
    expect(scanForSecrets(`{"secret_key":"${EMULATOR_SECRET_KEY}"}`)).toEqual([]);
    expect(scanForSecrets(`{"secret_key":"mock-secret-key2"}`).map((f) => f.kind)).toEqual([SecretKind.AWS_SECRET_ACCESS_KEY]);
  });

  test("every service in the endpoint table is a provider endpoints key", () => {
    const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
    const stack = new (require("cdktf").TerraformStack)(Testing.app(), "endpoints");
    new AwsProvider(stack, "aws", {
      region: "us-east-1",
      endpoints: [Object.fromEntries(Object.keys(ENDPOINT_SERVICE_PREFIXES).map((s) => [s, ENDPOINT]))],
    });
    const endpoints = JSON.parse(Testing.synth(stack)).provider.aws[0].endpoints[0];
    expect(Object.keys(endpoints).sort()).toEqual(Object.keys(ENDPOINT_SERVICE_PREFIXES).sort());
  });
});
