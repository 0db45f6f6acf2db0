/**
 * HaStack's project name: the `project` tag and the S3 state key prefix are the team's, never the
 * library's, so two teams sharing a state bucket, each with a stack named `prod`, never share state.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing } from "cdktf";
import { ValidationError } from "../lib/errors";
import { HaStack, HaStackProps } from "../lib/ha-stack";

function synth(props: Partial<HaStackProps>, id = "prod"): any {
  const stack = new HaStack(Testing.app(), id, { region: "eu-west-1", environment: "prod", ...props });
  return JSON.parse(Testing.synth(stack));
}

/** Runs `fn` with the working directory in a fresh folder holding `files`, as an app started there would. */
function inProject<T>(files: Record<string, string>, fn: () => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ha-stack-project-"));
  const cwd = process.cwd();
  try {
    for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
    process.chdir(dir);
    return fn();
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("HaStack project", () => {
  test("GIVEN project: shop THEN the project tag and the S3 state key prefix are shop", () => {
    const json = synth({ project: "shop", backend: { type: "s3", bucket: "shared-state" } });
    expect(json.provider.aws[0].default_tags[0].tags.project).toBe("shop");
    expect(json.terraform.backend.s3.key).toBe("shop/prod.tfstate");
  });

  test("GIVEN two projects sharing a state bucket, each with a stack named prod THEN their state keys differ", () => {
    const backend = { type: "s3" as const, bucket: "shared-state" };
    const keys = ["shop", "billing"].map((project) => synth({ project, backend }).terraform.backend.s3.key);
    expect(keys).toEqual(["shop/prod.tfstate", "billing/prod.tfstate"]);
  });

  test("GIVEN an explicit keyPrefix THEN it wins over the project", () => {
    const json = synth({ project: "shop", backend: { type: "s3", bucket: "shared-state", keyPrefix: "teams/shop" } });
    expect(json.terraform.backend.s3.key).toBe("teams/shop/prod.tfstate");
  });

  test("GIVEN no project THEN it is derived from the app's package.json name, never the library's", () => {
    const json = inProject({ "package.json": JSON.stringify({ name: "@acme/shop-infra", version: "1.0.0" }) }, () =>
      synth({ backend: { type: "s3", bucket: "shared-state" } }),
    );
    expect(json.provider.aws[0].default_tags[0].tags.project).toBe("acme-shop-infra");
    expect(json.terraform.backend.s3.key).toBe("acme-shop-infra/prod.tfstate");
    expect(JSON.stringify(json)).not.toContain("cdktf-aws-ha");
  });

  test("GIVEN no project and no package.json THEN the synth fails asking for project", () => {
    expect(() => inProject({}, () => synth({}))).toThrow(ValidationError);
    expect(() => inProject({}, () => synth({}))).toThrow(/HaStack: project \(undefined\) cannot be derived: no package\.json .*; pass project: /);
  });

  test("GIVEN a package.json name that is not a valid project name THEN the message names the file and the fix", () => {
    expect(() => inProject({ "package.json": JSON.stringify({ name: "shop infra" }) }, () => synth({}))).toThrow(
      /project \(undefined\) derived from the name "shop infra" in .*package\.json is not a valid project name; pass project: /,
    );
  });

  test("the project is readable on the stack", () => {
    const stack = new HaStack(Testing.app(), "prod", { region: "eu-west-1", environment: "prod", project: "shop" });
    expect(stack.project).toBe("shop");
  });
});
