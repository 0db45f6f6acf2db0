import * as fs from "fs";
import * as path from "path";
import { Construct, IConstruct } from "constructs";
import { Aspects, LocalBackend, S3Backend, TerraformElement, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ValidationError, show } from "./errors";
import { Fail, bucketNameProblem, checks, regionProblem } from "./checks";
import { GuardrailsAspect } from "../modules/guardrails/aspect";
import { resolvePolicyPacks } from "../modules/guardrails/guardrails";
import { DEFAULT_POLICY_PACKS } from "../modules/guardrails/packs";
import { PolicyPack } from "../modules/guardrails/types";
import { resolvingWith } from "./fast-resolve";
import { ENDPOINT_SERVICE_PREFIXES, LOCAL_ENDPOINT_PATTERN, localProviderSettings } from "./local-endpoint";

/** The registry address of the AWS provider; cdktf alone writes the ambiguous `aws`. */
export const AWS_PROVIDER_SOURCE = "hashicorp/aws";

/**
 * What a stack is for. Modules choose defaults by it where safety costs money or friction:
 * deletion protection, final snapshots, ALB access logs.
 */
export enum StackIntent {
  /** Protect data and keep evidence: deletion protection on, final snapshots, access logs. */
  PRODUCTION = "production",
  /** Easy to tear down; each relaxed default is documented on the module prop that uses it. */
  DEVELOPMENT = "development",
}

/** Where Terraform keeps a stack's state. */
export type StateBackendConfig =
  | {
      /** Local state file, next to the project (fine for a lab, not for a team). */
      readonly type: "local";
    }
  | {
      /** S3 state with S3-native locking (`use_lockfile`, Terraform >= 1.10; no DynamoDB table). */
      readonly type: "s3";
      /** The state bucket (created outside this stack). */
      readonly bucket: string;
      /** The bucket's region. @default - the stack's region */
      readonly region?: string;
      /** Object key prefix; the state key is `<keyPrefix>/<stack name>.tfstate`. @default - the stack's `project` */
      readonly keyPrefix?: string;
    };

/** Properties of {@link HaStack}. */
export interface HaStackProps {
  /** AWS region of every resource in the stack, e.g. `us-east-1`. */
  readonly region: string;
  /** Environment name; becomes the `environment` default tag. */
  readonly environment: string;
  /**
   * What the stack is for; modules pick protective defaults from it.
   * @default StackIntent.PRODUCTION
   */
  readonly intent?: StackIntent;
  /**
   * Project name: the `project` default tag, and the S3 state key prefix (`<project>/<stack>.tfstate`),
   * so two projects sharing a state bucket never write the same key. Letters, digits, `.`, `_`, `-`
   * (1–64, starting with a letter or digit).
   * @default - the `name` in the nearest package.json of the directory the app runs in (cdktf runs
   * apps in the project root), an npm scope `@acme/shop` becoming `acme-shop`; without one, pass it
   */
  readonly project?: string;
  /**
   * Extra tags applied to every resource through the provider's default tags.
   * @default - none beyond project, environment and managed-by
   */
  readonly extraTags?: Record<string, string>;
  /**
   * Where state lives.
   * @default - local state at `terraform.<stack>.tfstate` in the project root
   */
  readonly backend?: StateBackendConfig;
  /**
   * Policy packs checked at synth (see modules/guardrails): error findings fail the synth.
   * Accept a finding with `Guardrails.suppress(construct, ruleId, reason)` rather than dropping a pack.
   * @default DEFAULT_POLICY_PACKS (PolicyPack.SECURITY and PolicyPack.HA)
   */
  readonly policyPacks?: PolicyPack[];
  /**
   * URL of a local AWS emulator (`moto_server`) on this machine, e.g. `http://127.0.0.1:5000`:
   * every AWS call of the provider goes there, with mock keys (real credentials are never sent),
   * so `cdktf deploy` / `cdktf destroy` run against the emulator. Loopback `http://` URLs only;
   * needs local state (`backend` of type "local"). The reference stacks read it from `HA_AWS_ENDPOINT`.
   * @default - none: the provider talks to AWS
   */
  readonly localEndpoint?: string;
  /**
   * Prepare the stack for `destroy`: apply it once with `teardown: true`, then destroy. Modules
   * drop what makes a production stack refuse a destroy: ALB and Aurora deletion protection off,
   * no final Aurora snapshot (the data is gone for good), and the ALB log bucket may be deleted
   * with its logs. The reference stacks read it from `HA_TEARDOWN=1`.
   * @default false
   */
  readonly teardown?: boolean;
}

/** A project name that is safe as a tag value and as an S3 key segment. */
const PROJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** From cdktf.out/stacks/<name>/ back to the project root, so state survives a clean synth. */
const LOCAL_STATE_FROM_STACK_DIR = "../../..";

/**
 * A TerraformStack with the AWS provider set up the way a team wants it: default tags,
 * an unambiguous provider source (`hashicorp/aws`), no absolute path of the build machine in
 * the synthesized JSON, and a choice of local or locked S3 state.
 */
export class HaStack extends TerraformStack {
  /** Finds the HaStack a construct lives in, if any. */
  public static find(construct: IConstruct): HaStack | undefined {
    const stack = construct.node.scopes.find((s): s is HaStack => s instanceof HaStack);
    return stack;
  }

  /** Whether the HaStack a construct lives in is being prepared for destroy (`teardown: true`); false outside one. */
  public static teardownOf(construct: IConstruct): boolean {
    return HaStack.find(construct)?.teardown ?? false;
  }

  /** The intent of the HaStack a construct lives in; PRODUCTION (the safe side) outside one. */
  public static intentOf(construct: IConstruct): StackIntent {
    return HaStack.find(construct)?.intent ?? StackIntent.PRODUCTION;
  }

  /** The stack's AWS region. */
  public readonly region: string;
  /** The stack's environment name. */
  public readonly environment: string;
  /** The project name: the `project` tag and the S3 state key prefix. */
  public readonly project: string;
  /** What the stack is for. */
  public readonly intent: StackIntent;
  /** The AWS provider every module in the stack uses. */
  public readonly provider: AwsProvider;
  /** Set when the stack is built to be destroyed next (see {@link HaStackProps.teardown}). */
  public readonly teardown: boolean;
  /** The local emulator the provider talks to, if any. */
  public readonly localEndpoint?: string;
  /** Policy packs the stack is checked against at synth. */
  public readonly policyPacks: readonly PolicyPack[];
  /**
   * The resolved JSON, computed once per synth (by prepareStack, else by the policy checks) and
   * handed to the policy checks and to the synthesizer's next toTerraform(); valid while the
   * stack's Terraform elements are the same objects as when it was resolved.
   */
  private resolvedTerraform?: { readonly json: any; readonly elements: readonly TerraformElement[]; readonly prepared: boolean };

  constructor(scope: Construct, id: string, props: HaStackProps) {
    super(scope, id);
    checkHaStackProps(props, (message) => {
      throw new ValidationError(`HaStack: ${message}`, this);
    });
    if (props.localEndpoint !== undefined) {
      if (typeof props.localEndpoint !== "string" || !LOCAL_ENDPOINT_PATTERN.test(props.localEndpoint)) {
        throw new ValidationError(
          `HaStack: localEndpoint (${show(props.localEndpoint)}) is not a loopback emulator URL; ` +
            `pass one like "http://127.0.0.1:5000" (http, 127.0.0.1, localhost or [::1], with a port), or leave it unset to use AWS`,
          this,
        );
      }
      if (props.backend?.type === "s3") {
        throw new ValidationError(
          `HaStack: localEndpoint (${show(props.localEndpoint)}) with backend type "s3" would keep an emulator's state in a real bucket; ` +
            `use backend: { type: "local" } with a local endpoint`,
          this,
        );
      }
    }
    this.policyPacks = resolvePolicyPacks(props.policyPacks, DEFAULT_POLICY_PACKS, "HaStack: policyPacks", this);
    this.region = props.region;
    this.environment = props.environment;
    this.project = resolveProject(props.project, this);
    this.intent = props.intent ?? StackIntent.PRODUCTION;
    this.teardown = props.teardown ?? false;
    this.localEndpoint = props.localEndpoint;

    this.provider = new AwsProvider(this, "aws", {
      region: props.region,
      defaultTags: [
        {
          tags: {
            project: this.project,
            environment: props.environment,
            "managed-by": "cdktf",
            ...props.extraTags,
          },
        },
      ],
    });
    // The generated provider class names its source "aws", which only Terraform's implicit
    // hashicorp/ namespace resolves; OpenTofu mirrors and other tools need the full address.
    Object.assign(this.provider, { terraformProviderSource: AWS_PROVIDER_SOURCE });
    if (props.localEndpoint !== undefined) {
      // Every service a module may use: the stack's resource types are not known yet here.
      const settings = localProviderSettings(props.localEndpoint, Object.keys(ENDPOINT_SERVICE_PREFIXES));
      for (const [key, value] of Object.entries(settings)) this.provider.addOverride(key, value);
    }

    if (this.policyPacks.length > 0) {
      Aspects.of(this).add(new GuardrailsAspect({ packs: [...this.policyPacks] }));
    }

    const backend = props.backend ?? { type: "local" };
    if (backend.type === "s3") {
      const s3 = new S3Backend(this, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix ?? this.project}/${id}.tfstate`,
        region: backend.region ?? props.region,
        encrypt: true,
      });
      // cdktf 0.21's S3Backend predates S3-native locking; Terraform >= 1.10 reads use_lockfile.
      s3.addOverride("use_lockfile", true);
    } else {
      // cdktf's default local backend records an absolute path of the machine that synthesized.
      new LocalBackend(this, { path: `${LOCAL_STATE_FROM_STACK_DIR}/terraform.${id}.tfstate` });
    }
  }

  /**
   * cdktf's App.synth() resolves every token of a stack twice: here, to find cross-stack
   * references (a reference resolved in "preparing" mode registers the output and remote state it
   * needs), and again for the JSON after the aspects ran. When nothing can change the stack in
   * between — no aspect but the guardrails (which only read), no stack-level override — this pass
   * resolves the whole stack in preparing mode once, registering the same cross-stack references,
   * and keeps the JSON for the policy checks and the file. Anything else gets cdktf's own two passes.
   * Either way this stack's JSON is resolved with the fast path of lib/fast-resolve.ts, which passes
   * over values that hold no token. `CDKTF_AWS_HA_SLOW_SYNTH=1` turns both off (the byte-identity
   * test compares both).
   */
  public prepareStack(): void {
    this.resolvedTerraform = undefined;
    if (!fastSynth() || !this.onlyGuardrailsAspects() || this.hasStackOverrides()) {
      super.prepareStack();
      return;
    }
    this.ensureBackendExists();
    const elements = terraformElementsOf(this);
    // Preparing mode is what cdktf's own prepare pass asks for: only references to another stack's
    // objects behave differently (they register a cross-stack output and remote state).
    const json = resolvingWith({ fast: true, preparing: true }, () => this.withIntent(super.toTerraform()));
    // A reference to another stack added a remote-state data source here: the JSON lacks it.
    if (sameElements(elements, terraformElementsOf(this))) this.resolvedTerraform = { json, elements, prepared: true };
  }

  /**
   * The synthesized JSON for the policy checks, which run as the last step of the aspects.
   * Resolving every token is most of a synth's time, so the JSON resolved by prepareStack (or
   * here) is handed to the synthesizer's next `toTerraform()` instead of being resolved again.
   * One-shot, and dropped if a Terraform element was added or removed in between.
   */
  public terraformForPolicyChecks(): any {
    const kept = this.validResolvedTerraform();
    if (kept) return kept.json;
    const json = this.resolvedNow();
    this.resolvedTerraform = { json, elements: terraformElementsOf(this), prepared: false };
    return json;
  }

  public toTerraform(): any {
    const kept = this.validResolvedTerraform();
    this.resolvedTerraform = undefined;
    return kept ? kept.json : this.resolvedNow();
  }

  /** The stack's JSON resolved now, through the fast path unless it is turned off. */
  private resolvedNow(): any {
    return resolvingWith({ fast: fastSynth(), preparing: false }, () => this.withIntent(super.toTerraform()));
  }

  private validResolvedTerraform(): { readonly json: any } | undefined {
    const kept = this.resolvedTerraform;
    if (!kept || !sameElements(kept.elements, terraformElementsOf(this))) return undefined;
    // JSON resolved before the aspects ran holds only while no aspect could have changed the stack.
    if (kept.prepared && !this.onlyGuardrailsAspects()) return undefined;
    return kept;
  }

  /** True when every aspect on this stack, its scopes and its constructs is a GuardrailsAspect. */
  private onlyGuardrailsAspects(): boolean {
    const nodes = [...this.node.scopes, ...this.node.findAll().slice(1)];
    return nodes.every((c) => Aspects.of(c).all.every((aspect) => aspect.constructor === GuardrailsAspect));
  }

  /** Stack-level `addOverride`s, which cdktf resolves outside the preparing pass. */
  private hasStackOverrides(): boolean {
    const overrides = (this as unknown as { rawOverrides?: object }).rawOverrides;
    return overrides !== undefined && Object.keys(overrides).length > 0;
  }

  /**
   * Records the intent in cdktf's metadata block (`//`, which Terraform ignores), so rules that
   * judge the synthesized JSON alone (HA-MON-1) know whether the stack is meant for production.
   */
  private withIntent(json: any): any {
    if (json?.["//"]?.metadata) json["//"].metadata.intent = this.intent;
    return json;
  }
}

/** The Terraform elements of a stack in tree order, not descending into nested stacks (as cdktf walks them). */
function terraformElementsOf(stack: TerraformStack): TerraformElement[] {
  const found: TerraformElement[] = [];
  const visit = (construct: IConstruct) => {
    if (TerraformElement.isTerraformElement(construct)) found.push(construct);
    for (const child of construct.node.children) if (!TerraformStack.isStack(child)) visit(child);
  };
  visit(stack);
  return found;
}

function sameElements(a: readonly TerraformElement[], b: readonly TerraformElement[]): boolean {
  return a.length === b.length && a.every((element, i) => element === b[i]);
}

/** The synth optimisations are on unless `CDKTF_AWS_HA_SLOW_SYNTH=1` (see scripts/synth-setup.js). */
function fastSynth(): boolean {
  return process.env.CDKTF_AWS_HA_SLOW_SYNTH !== "1";
}

const PROJECT_FIX = 'pass project: letters, digits, ".", "_" or "-", 1 to 64 long, starting with a letter or digit, e.g. "shop"';

/** The project name given, or derived from the package.json of the directory the app runs in. */
function resolveProject(given: unknown, scope: IConstruct): string {
  if (given !== undefined) {
    if (typeof given !== "string" || !PROJECT_PATTERN.test(given)) {
      throw new ValidationError(`HaStack: project (${show(given)}) is not a valid project name; ${PROJECT_FIX}`, scope);
    }
    return given;
  }
  const found = nearestPackageName(process.cwd());
  if (!found) {
    throw new ValidationError(
      `HaStack: project (undefined) cannot be derived: no package.json with a "name" in ${process.cwd()} or above; ${PROJECT_FIX}`,
      scope,
    );
  }
  const derived = found.name.replace(/^@/, "").replace("/", "-");
  if (!PROJECT_PATTERN.test(derived)) {
    throw new ValidationError(
      `HaStack: project (undefined) derived from the name ${show(found.name)} in ${found.file} is not a valid project name; ${PROJECT_FIX}`,
      scope,
    );
  }
  return derived;
}

/** The `name` of the nearest package.json at or above `dir`, and the file it came from. */
function nearestPackageName(dir: string): { name: string; file: string } | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const file = path.join(current, "package.json");
    if (fs.existsSync(file)) {
      let name: unknown;
      try {
        name = JSON.parse(fs.readFileSync(file, "utf8")).name;
      } catch {
        return undefined;
      }
      return typeof name === "string" && name !== "" ? { name, file } : undefined;
    }
    if (path.dirname(current) === current) return undefined;
  }
}

/** Tag values: up to 256 Unicode letters, digits, spaces and `_ . : / = + - @`. */
const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAG_VALUE_LENGTH = 256;
const BACKEND_TYPES = ["local", "s3"] as const;

/** Checks HaStack's props at run time (JavaScript callers too) before anything is created. */
function checkHaStackProps(props: HaStackProps, fail: Fail): void {
  const check = checks(fail);
  check.record(props, "props", '{ region: "us-east-1", environment: "prod" }');
  const region = regionProblem(props.region);
  if (region) fail(`region (${show(props.region)}) ${region}; pass one like "us-east-1"`);

  const environment = check.string(props.environment, "environment", 'name the environment, e.g. "prod"');
  if (environment.trim() === "") {
    fail(`environment (${show(environment)}) is empty; it becomes the environment tag of every resource, so name it, e.g. "prod"`);
  }
  if (environment.length > MAX_TAG_VALUE_LENGTH || !TAG_VALUE_PATTERN.test(environment)) {
    fail(
      `environment (${show(environment)}) is not a valid tag value; use up to ${MAX_TAG_VALUE_LENGTH} letters, digits, ` +
        "spaces and _ . : / = + - @",
    );
  }
  if (props.intent !== undefined) check.oneOf(props.intent, StackIntent, "intent", "StackIntent");
  check.optionalBoolean(props.teardown, "teardown");
  check.optionalRecord(props.extraTags, "extraTags", '{ team: "shop" }');

  const backend = check.optionalRecord<StateBackendConfig>(props.backend, "backend", '{ type: "s3", bucket: "my-state" }');
  if (!backend) return;
  check.oneOf(backend.type, BACKEND_TYPES, "backend.type", "state backend type");
  if (backend.type !== "s3") return;
  const bucket = bucketNameProblem(backend.bucket);
  if (bucket) fail(`backend.bucket (${show(backend.bucket)}) ${bucket}; name the S3 bucket that holds state, e.g. "acme-terraform-state"`);
  if (backend.region !== undefined) {
    const problem = regionProblem(backend.region);
    if (problem) fail(`backend.region (${show(backend.region)}) ${problem}; pass the bucket's region, e.g. "us-east-1", or leave it unset for the stack's`);
  }
}
