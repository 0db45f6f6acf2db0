import { Construct, IConstruct } from "constructs";
import { Aspects, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ValidationError, show } from "./errors";
import { GuardrailsAspect } from "../modules/guardrails/aspect";
import { resolvePolicyPacks } from "../modules/guardrails/guardrails";
import { DEFAULT_POLICY_PACKS } from "../modules/guardrails/packs";
import { PolicyPack } from "../modules/guardrails/types";
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

const DEFAULT_PROJECT = "cdktf-aws-ha";
const DEFAULT_STATE_KEY_PREFIX = "cdktf-aws-ha";
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
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
  /** The JSON the policy checks judged, waiting for the synthesizer's next toTerraform(). */
  private checkedTerraform?: { readonly json: any; readonly constructCount: number };

  constructor(scope: Construct, id: string, props: HaStackProps) {
    super(scope, id);
    if (!REGION_PATTERN.test(props.region)) {
      throw new ValidationError(
        `HaStack: region (${show(props.region)}) is not an AWS region name; pass one like "us-east-1"`,
        this,
      );
    }
    if (props.teardown !== undefined && typeof props.teardown !== "boolean") {
      throw new ValidationError(`HaStack: teardown (${show(props.teardown)}) must be true or false`, this);
    }
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
    this.intent = props.intent ?? StackIntent.PRODUCTION;
    this.teardown = props.teardown ?? false;
    this.localEndpoint = props.localEndpoint;

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
      if (!backend.bucket) {
        throw new ValidationError(
          `HaStack: backend.bucket (${show(backend.bucket)}) is empty; name the S3 bucket that holds state`,
          this,
        );
      }
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
