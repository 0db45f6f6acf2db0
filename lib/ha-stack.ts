import { Construct, IConstruct } from "constructs";
import { Aspects, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ValidationError, show } from "./errors";
import { Fail, bucketNameProblem, checks, regionProblem } from "./checks";
import { GuardrailsAspect } from "../modules/guardrails/aspect";
import { resolvePolicyPacks } from "../modules/guardrails/guardrails";
import { DEFAULT_POLICY_PACKS } from "../modules/guardrails/packs";
import { PolicyPack } from "../modules/guardrails/types";

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
      /** Object key prefix; the state key is `<keyPrefix>/<stack name>.tfstate`. @default "cdktf-aws-ha" */
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
   * Project name; becomes the `project` default tag.
   * @default "cdktf-aws-ha"
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
}

const DEFAULT_PROJECT = "cdktf-aws-ha";
const DEFAULT_STATE_KEY_PREFIX = "cdktf-aws-ha";
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

  /** The intent of the HaStack a construct lives in; PRODUCTION (the safe side) outside one. */
  public static intentOf(construct: IConstruct): StackIntent {
    return HaStack.find(construct)?.intent ?? StackIntent.PRODUCTION;
  }

  /** The stack's AWS region. */
  public readonly region: string;
  /** The stack's environment name. */
  public readonly environment: string;
  /** What the stack is for. */
  public readonly intent: StackIntent;
  /** The AWS provider every module in the stack uses. */
  public readonly provider: AwsProvider;
  /** Policy packs the stack is checked against at synth. */
  public readonly policyPacks: readonly PolicyPack[];
  /** The JSON the policy checks judged, waiting for the synthesizer's next toTerraform(). */
  private checkedTerraform?: { readonly json: any; readonly constructCount: number };

  constructor(scope: Construct, id: string, props: HaStackProps) {
    super(scope, id);
    checkHaStackProps(props, (message) => {
      throw new ValidationError(`HaStack: ${message}`, this);
    });
    this.policyPacks = resolvePolicyPacks(props.policyPacks, DEFAULT_POLICY_PACKS, "HaStack: policyPacks", this);
    this.region = props.region;
    this.environment = props.environment;
    this.intent = props.intent ?? StackIntent.PRODUCTION;

    this.provider = new AwsProvider(this, "aws", {
      region: props.region,
      defaultTags: [
        {
          tags: {
            project: props.project ?? DEFAULT_PROJECT,
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

    if (this.policyPacks.length > 0) {
      Aspects.of(this).add(new GuardrailsAspect({ packs: [...this.policyPacks] }));
    }

    const backend = props.backend ?? { type: "local" };
    if (backend.type === "s3") {
      const s3 = new S3Backend(this, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix ?? DEFAULT_STATE_KEY_PREFIX}/${id}.tfstate`,
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
   * The synthesized JSON for the policy checks, which run as the last step of the aspects.
   * Resolving every token is most of a synth's time, so the same object is handed to the
   * synthesizer's next `toTerraform()` instead of being resolved a second time. One-shot, and
   * dropped if a construct was added in between.
   */
  public terraformForPolicyChecks(): any {
    const json = super.toTerraform();
    this.checkedTerraform = { json, constructCount: this.node.findAll().length };
    return json;
  }

  public toTerraform(): any {
    const checked = this.checkedTerraform;
    this.checkedTerraform = undefined;
    if (checked && checked.constructCount === this.node.findAll().length) return checked.json;
    return super.toTerraform();
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
