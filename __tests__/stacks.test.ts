import * as fs from "fs";
import * as path from "path";
import { App, TerraformOutput, Testing } from "cdktf";
import { DevStack } from "../stacks/dev";
import { LabStack } from "../stacks/lab";
import { DEFAULT_REGION, loadStackConfig } from "../stacks/config";
import { AWS_PROVIDER_SOURCE, HaStack, StackIntent } from "../lib/ha-stack";
import { ValidationError } from "../lib/errors";
import { Template } from "./helpers/template";
import { azsWithEgressAfterLosing } from "./helpers/egress";
import { labAddresses } from "../scripts/lab-addresses";

const AZS = ["us-east-1a", "us-east-1b"];
const ADDRESSES_FILE = path.join(__dirname, "helpers", "lab-addresses.txt");

function lab(azs = AZS, backend?: any): Template {
  return Template.of(new LabStack(Testing.app(), "lab", { region: "us-east-1", azs, backend }));
}
function dev(azs = AZS): Template {
  return Template.of(new DevStack(Testing.app(), "dev", { region: "us-east-1", azs }));
}

describe("synthesized stacks are portable", () => {
  test("name the provider unambiguously as hashicorp/aws at the mirror's version", () => {
    for (const t of [lab(), dev()]) {
      expect(t.json.terraform.required_providers.aws).toEqual({ source: AWS_PROVIDER_SOURCE, version: "5.100.0" });
    }
  });

  test("carry no absolute path of the build machine (local state path is relative)", () => {
    const app = new App({ outdir: fs.mkdtempSync(path.join(require("os").tmpdir(), "synth-")) });
    new LabStack(app, "lab", { region: "us-east-1", azs: AZS });
    app.synth();
    const text = fs.readFileSync(path.join(app.outdir, "stacks", "lab", "cdk.tf.json"), "utf8");
    expect(text).not.toContain(process.cwd());
    expect(text).not.toContain(app.outdir);
    expect(text).not.toMatch(/"\/(tmp|home|root|work)\//);
    expect(JSON.parse(text).terraform.backend.local.path).toBe("../../../terraform.lab.tfstate");
  });

  test("tag every resource through provider default tags", () => {
    const provider = lab().json.provider.aws[0];
    expect(provider.region).toBe("us-east-1");
    expect(provider.default_tags[0].tags).toEqual({ project: "cdktf-aws-ha", environment: "lab", "managed-by": "cdktf" });
    expect(dev().json.provider.aws[0].default_tags[0].tags.environment).toBe("dev");
  });

  test("GIVEN a state bucket THEN state goes to S3, encrypted, with S3-native locking", () => {
    const t = lab(AZS, { type: "s3", bucket: "team-state", region: "eu-west-1" });
    expect(t.json.terraform.backend.s3).toEqual({
      bucket: "team-state",
      key: "cdktf-aws-ha/lab.tfstate",
      region: "eu-west-1",
      encrypt: true,
      use_lockfile: true,
    });
    expect(t.json.terraform.backend.local).toBeUndefined();
  });
});

describe("lab is the full HA layout; dev names its trade-offs", () => {
  test("lab has a NAT gateway per AZ and losing either AZ leaves the other with egress", () => {
    const t = lab();
    expect(t.count("aws_nat_gateway")).toBe(2);
    for (const lost of AZS) {
      expect(azsWithEgressAfterLosing(t, lost)).toEqual(AZS.filter((az) => az !== lost));
    }
  });

  test("dev has a single NAT gateway, so losing its AZ cuts private egress everywhere", () => {
    const t = dev();
    expect(t.count("aws_nat_gateway")).toBe(1);
    expect(azsWithEgressAfterLosing(t, "us-east-1a")).toEqual([]);
  });

  test("lab declares production intent, dev development intent", () => {
    const app = Testing.app();
    expect(new LabStack(app, "lab", { region: "us-east-1", azs: AZS }).intent).toBe(StackIntent.PRODUCTION);
    expect(new DevStack(app, "dev", { region: "us-east-1", azs: AZS }).intent).toBe(StackIntent.DEVELOPMENT);
  });

  test("both stacks output the network ids", () => {
    for (const t of [lab(), dev()]) {
      expect(Object.keys(t.json.output).sort()).toEqual(
        expect.arrayContaining(["isolated_subnet_ids", "nat_gateway_ids", "private_subnet_ids", "public_subnet_ids", "vpc_id"]),
      );
    }
  });
});

describe("resource addresses are public API", () => {
  test("lab's Terraform addresses match the pinned list (a rename would destroy and recreate)", () => {
    // Never written here: `npm run update:addresses` rewrites the file, after a deliberate rename.
    const actual = lab().allResources().map((r) => r.address).sort();
    const pinned = fs.readFileSync(ADDRESSES_FILE, "utf8").trim().split("\n");
    expect(pinned.length).toBeGreaterThan(50);
    expect(actual).toEqual(pinned);
    expect(labAddresses(AZS)).toEqual(actual); // the update command writes exactly what this test compares
  });

  test("GIVEN a deployed two-AZ lab WHEN a third AZ is added THEN every existing resource keeps its address and attributes", () => {
    const before = lab(AZS);
    const after = lab([...AZS, "us-east-1c"]);
    const afterByAddress = new Map(after.allResources().map((r) => [r.address, r.values]));
    for (const resource of before.allResources()) {
      const grown = afterByAddress.get(resource.address);
      expect({ address: resource.address, exists: grown !== undefined }).toEqual({ address: resource.address, exists: true });
      const growing = IN_PLACE_ON_GROWTH[resource.type] ?? [];
      for (const attribute of growing) {
        // The only changes allowed, both in-place updates: an AZ-spanning set gains the new AZ's
        // member, and per-AZ capacity grows.
        const [old, now] = [resource.values[attribute], grown![attribute]];
        if (Array.isArray(old)) {
          expect(now).toEqual(expect.arrayContaining(old));
          expect(now).toHaveLength(old.length + 1);
        } else {
          expect(now).toBeGreaterThan(old);
        }
      }
      const rewritten = [...growing, ...(REWRITTEN_IN_PLACE_ON_GROWTH[resource.type] ?? [])];
      expect({ address: resource.address, values: omit(grown!, rewritten) }).toEqual({
        address: resource.address,
        values: omit(resource.values, rewritten),
      });
    }
    expect(after.count("aws_subnet")).toBe(9);
    expect(after.count("aws_nat_gateway")).toBe(3);
  });

  test("GIVEN a lab WHEN the AZ list is reordered THEN no network resource changes", () => {
    const network = (t: Template) => t.allResources().filter((r) => r.name.startsWith("Network_"));
    const a = network(lab(AZS));
    const b = network(lab([...AZS].reverse()));
    expect(a.length).toBeGreaterThan(30);
    expect(b).toEqual(a);
  });
});

describe("reordering the AZ list changes nothing (the order is an accident of config, not an intent)", () => {
  test.each([
    ["lab", LabStack],
    ["dev", DevStack],
  ] as const)("GIVEN %s WHEN its AZ list is reversed THEN the synthesized stack is identical: no Aurora instance, NAT gateway or EIP moves", (_name, Stack) => {
    const synth = (azs: string[]) => Testing.synth(new Stack(Testing.app(), "s", { region: "us-east-1", azs }));
    expect(synth([...AZS].reverse())).toEqual(synth(AZS));
    const threeAzs = [...AZS, "us-east-1c"];
    expect(synth(["us-east-1c", "us-east-1a", "us-east-1b"])).toEqual(synth(threeAzs));
  });

  test("GIVEN the default AZs THEN today's placements hold: lab's Instance1 in a and Instance2 in b, dev's writer and single NAT in a", () => {
    const labStack = new LabStack(Testing.app(), "lab", loadStackConfig({}));
    expect(labStack.database.instancePlacements.map((p) => [p.id, p.az])).toEqual([
      ["Instance1", "us-east-1a"],
      ["Instance2", "us-east-1b"],
    ]);
    const devStack = new DevStack(Testing.app(), "dev", loadStackConfig({}));
    expect(devStack.database.instancePlacements.map((p) => [p.id, p.az])).toEqual([["Instance1", "us-east-1a"]]);
    expect(Object.values(devStack.network.azNetworks).filter((n) => n.natGateway).map((n) => n.az)).toEqual(["us-east-1a"]);
  });
});

/**
 * Attributes that follow the AZ count and that the AWS provider updates in place: the subnet sets
 * of a DB subnet group, an ALB and an ASG, and the ASG's capacity (one instance per AZ). The ASG's
 * depends_on (the NAT routes it waits for) only orders creation; Terraform plans no change for it.
 */
const IN_PLACE_ON_GROWTH: Record<string, string[]> = {
  aws_db_subnet_group: ["subnet_ids"],
  aws_lb: ["subnets"],
  aws_autoscaling_group: ["vpc_zone_identifier", "min_size", "max_size", "desired_capacity", "depends_on"],
};

/**
 * Monitoring and drills follow the AZs and the minimum (widgets per AZ, the in-service threshold,
 * the instances a drill expects to survive, the other AZs' alarms that stop an AZ loss); the
 * provider updates all of these in place, in any direction.
 */
const REWRITTEN_IN_PLACE_ON_GROWTH: Record<string, string[]> = {
  aws_cloudwatch_dashboard: ["dashboard_body"],
  aws_cloudwatch_metric_alarm: ["threshold", "alarm_description"],
  aws_fis_experiment_template: ["description", "stop_condition"],
};

function omit(values: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !keys.includes(k)));
}

describe("configuration comes from one place", () => {
  test("defaults to us-east-1 over its a and b AZs with local state", () => {
    expect(loadStackConfig({})).toEqual({ region: DEFAULT_REGION, azs: ["us-east-1a", "us-east-1b"], backend: { type: "local" } });
  });

  test("reads region, AZs and a state bucket from the environment", () => {
    expect(
      loadStackConfig({ HA_REGION: "eu-west-1", HA_AZS: "eu-west-1a, eu-west-1c,eu-west-1b", HA_STATE_BUCKET: "team-state", HA_STATE_REGION: "us-east-2" }),
    ).toEqual({
      region: "eu-west-1",
      azs: ["eu-west-1a", "eu-west-1c", "eu-west-1b"],
      backend: { type: "s3", bucket: "team-state", region: "us-east-2" },
    });
  });

  test("derives default AZs from an overridden region", () => {
    expect(loadStackConfig({ HA_REGION: "ap-southeast-2" }).azs).toEqual(["ap-southeast-2a", "ap-southeast-2b"]);
  });
});

describe("HaStack rejects bad input", () => {
  test("an invalid region", () => {
    const build = () => new HaStack(Testing.app(), "s", { region: "us-east", environment: "x" });
    expect(build).toThrow(ValidationError);
    expect(build).toThrow(/HaStack: region \("us-east"\) is not an AWS region name; pass one like "us-east-1"/);
  });

  test("an S3 backend without a bucket", () => {
    const build = () =>
      new HaStack(Testing.app(), "s", { region: "us-east-1", environment: "x", backend: { type: "s3", bucket: "" } });
    expect(build).toThrow(/HaStack: backend.bucket \(""\) is empty/);
  });

  test("AZs that do not match the configured region, through the stack", () => {
    expect(() => new LabStack(Testing.app(), "lab", { region: "us-west-2", azs: AZS })).toThrow(
      /azs \(\["us-east-1a","us-east-1b"\]\) are in us-east-1 but the stack's region is us-west-2/,
    );
  });
});

describe("HaStack resolves once for the policy checks and the synthesizer", () => {
  test("GIVEN the checks ran THEN the next toTerraform() returns the JSON they judged, equal to a fresh resolution", () => {
    const stack = new LabStack(Testing.app(), "lab", { region: "us-east-1", azs: AZS });
    const judged = stack.terraformForPolicyChecks();
    expect(stack.toTerraform()).toBe(judged); // handed over, not resolved again
    expect(stack.toTerraform()).not.toBe(judged); // one-shot
    expect(JSON.stringify(stack.toTerraform())).toEqual(JSON.stringify(judged));
  });

  test("GIVEN the checks ran WHEN a construct is added before synth THEN the JSON is resolved anew and includes it", () => {
    const stack = new LabStack(Testing.app(), "lab", { region: "us-east-1", azs: AZS });
    const judged = stack.terraformForPolicyChecks();
    new TerraformOutput(stack, "late", { value: "added after the checks" });
    const json = stack.toTerraform();
    expect(json).not.toBe(judged);
    expect(json.output.late.value).toBe("added after the checks");
  });
});
