import { createHash } from "crypto";
import { IConstruct } from "constructs";
import { Token } from "cdktf";
import { ValidationError, show } from "./errors";

/**
 * What AWS accepts for one kind of name. AWS rejects a bad name only at apply time, often after
 * other resources were created, so modules check names at synth through these rules.
 */
export interface AwsNameRule {
  /** What the name is, for messages: "ALB name". */
  readonly what: string;
  readonly maxLength: number;
  /** Every character must match this class. */
  readonly allowed: RegExp;
  /** The allowed characters, in words, for messages. */
  readonly allowedText: string;
  /** A prefix is completed by AWS with a unique suffix, so it may end with a hyphen. */
  readonly isPrefix?: boolean;
  /** Prefixes AWS reserves. */
  readonly reservedPrefixes?: readonly string[];
}

const ALPHANUMERIC_HYPHEN = /^[A-Za-z0-9-]+$/;
const LOWER_ALPHANUMERIC_HYPHEN = /^[a-z0-9-]+$/;
const IAM_NAME = /^[A-Za-z0-9+=,.@_-]+$/;

/** The names modules derive and check. Limits from each service's API reference. */
export const AWS_NAME_RULES = {
  /** `aws_lb.name`: 32 characters; `internal-` is reserved for internal load balancers' DNS names. */
  loadBalancer: {
    what: "ALB name",
    maxLength: 32,
    allowed: ALPHANUMERIC_HYPHEN,
    allowedText: "letters, digits and hyphens",
    reservedPrefixes: ["internal-"],
  },
  /** `aws_lb_target_group.name`: 32 characters. */
  targetGroup: {
    what: "target group name",
    maxLength: 32,
    allowed: ALPHANUMERIC_HYPHEN,
    allowedText: "letters, digits and hyphens",
  },
  /** `aws_s3_bucket.bucket_prefix`: 37 characters (AWS appends 26), lower case. */
  bucketPrefix: {
    what: "S3 bucket prefix",
    maxLength: 37,
    allowed: LOWER_ALPHANUMERIC_HYPHEN,
    allowedText: "lower-case letters, digits and hyphens",
    isPrefix: true,
  },
  /** `name_prefix` of IAM roles and instance profiles: 38 characters (AWS appends 26). */
  iamNamePrefix: {
    what: "IAM name prefix",
    maxLength: 38,
    allowed: IAM_NAME,
    allowedText: "letters, digits and +=,.@_-",
    isPrefix: true,
  },
  /** `name_prefix` of launch templates and security groups (limits of 100+ characters). */
  genericNamePrefix: {
    what: "name prefix",
    maxLength: 100,
    allowed: ALPHANUMERIC_HYPHEN,
    allowedText: "letters, digits and hyphens",
    isPrefix: true,
  },
} as const satisfies Record<string, AwsNameRule>;

/** Why a name breaks a rule, for error messages; undefined when AWS accepts it or it is a token. */
export function nameProblem(rule: AwsNameRule, name: string): string | undefined {
  if (Token.isUnresolved(name)) return undefined;
  if (name.length === 0) return `is empty; an ${rule.what} needs 1 to ${rule.maxLength} characters`;
  if (name.length > rule.maxLength) {
    return `has ${name.length} characters; an ${rule.what} allows at most ${rule.maxLength}`;
  }
  if (!rule.allowed.test(name)) return `has characters other than ${rule.allowedText}`;
  if (name.startsWith("-") || (!rule.isPrefix && name.endsWith("-"))) {
    return `${name.startsWith("-") ? "starts" : "ends"} with a hyphen, which an ${rule.what} may not`;
  }
  const reserved = rule.reservedPrefixes?.find((p) => name.toLowerCase().startsWith(p));
  if (reserved) return `starts with ${show(reserved)}, which AWS reserves`;
  return undefined;
}

/**
 * Checks a name a user gave; throws a ValidationError naming the field, the value and the fix.
 * @param owner the module, for the message ("AppTier")
 * @param field the prop that carried the name ("name")
 */
export function checkName(rule: AwsNameRule, name: string, owner: string, field: string, scope?: IConstruct): string {
  const problem = nameProblem(rule, name);
  if (problem) {
    throw new ValidationError(
      `${owner}: ${field} (${show(name)}) ${problem}. Pass ${rule.allowedText}, 1 to ${rule.maxLength} characters, ` +
        `starting and ending with a letter or digit`,
      scope,
    );
  }
  return name;
}

/**
 * Turns free text (construct ids, stack names) into a name the rule accepts: invalid characters
 * become hyphens, runs of hyphens collapse, the ends are trimmed, and a text too long keeps its
 * start plus a short hash of the whole text, so two long texts that share a start stay distinct.
 */
export function sanitizeName(rule: AwsNameRule, text: string): string {
  const lower = rule.allowed === LOWER_ALPHANUMERIC_HYPHEN ? text.toLowerCase() : text;
  const cleaned = lower
    .replace(/[^A-Za-z0-9-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^-+|-+$/g, "");
  const base = cleaned.length > 0 ? cleaned : "x";
  const unreserved = rule.reservedPrefixes?.some((p) => base.toLowerCase().startsWith(p)) ? `n-${base}` : base;
  if (unreserved.length <= rule.maxLength) return unreserved;
  return withSuffix(rule, unreserved, `-${shortHash(text)}`);
}

/**
 * `base` shortened as needed so that `base + suffix` fits the rule, never leaving a hyphen where
 * the two meet. Use it for derived names such as `<tier>-<hash>` or `<tier>-logs-`.
 */
export function withSuffix(rule: AwsNameRule, base: string, suffix: string): string {
  const room = rule.maxLength - suffix.length;
  if (room < 1) throw new Error(`withSuffix: suffix ${show(suffix)} leaves no room in an ${rule.what}`);
  const head = base.slice(0, room).replace(/-+$/, "");
  return `${head}${suffix}`;
}

/** Eight hex characters of SHA-256 over the parts; stable across runs and machines. */
export function shortHash(...parts: Array<string | number>): string {
  return createHash("sha256").update(parts.map(String).join("\u0000")).digest("hex").slice(0, 8);
}
