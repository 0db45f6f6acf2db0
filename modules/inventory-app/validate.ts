/**
 * Call-time checks for the renderer's props. Each message names the field,
 * the value and the fix, because these errors surface during `cdktf synth`,
 * far from the instance that would otherwise fail at boot.
 */
import { Token } from "cdktf";
import { ValidationError } from "../../lib/errors";

const PROPS = "InventoryUserDataProps";

/** TCP port range. */
export const PORT_MIN = 1;
export const PORT_MAX = 65535;
/** Longest region name today is 14 characters; leave room for new ones. */
const REGION_MAX = 32;
/** A secret ARN: 20-odd characters of prefix plus a name of up to 512 characters and a 7-character suffix. */
const SECRET_ARN_MAX = 2048;
/** Longest DNS name. */
const HOSTNAME_MAX = 253;
/** MySQL's limits for schema and user names. */
const DATABASE_NAME_MAX = 64;
const USER_NAME_MAX = 32;
/** A day: longer caching would defeat rotation. */
export const SECRET_CACHE_TTL_MAX_SECONDS = 86400;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d+:\d{12}:secret:[A-Za-z0-9/_+=.@!-]+$/;
const ABSOLUTE_PATH = /^\/[A-Za-z0-9._/-]+$/;
const HTTP_URL = /^https?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~/-]*)?$/;
/** Prop names that suggest someone is trying to pass a credential. */
const CREDENTIAL_NAME = /pass(word)?|pwd|credential|(?<!ARN)secret(?!Arn)|token/i;

/** Shows a value in an error; a value that may be a credential is redacted so it is not written to CI logs. */
function show(value: unknown, mayBeSecret = false): string {
  if (typeof value !== "string") return String(value);
  if (mayBeSecret) return `<redacted, ${value.length} characters>`;
  return JSON.stringify(value);
}

function fail(field: string, value: unknown, problem: string, fix: string, mayBeSecret = false): never {
  throw new ValidationError(`${PROPS}.${field}: ${show(value, mayBeSecret)} ${problem}. ${fix}`);
}

/** True for a cdktf token that Terraform resolves later; it cannot be checked now. */
export function isToken(value: unknown): boolean {
  return (typeof value === "string" || typeof value === "number") && Token.isUnresolved(value);
}

/** A required string that may be a token; literal values must match `pattern`. */
export function tokenOrMatch(field: string, value: unknown, pattern: RegExp, problem: string, fix: string, maxLength: number, mayBeSecret = false): string {
  if (typeof value !== "string") fail(field, value, "is not a string", fix);
  if (isToken(value)) return value;
  if (value.trim() === "") fail(field, value, "is empty", fix);
  if (value.length > maxLength || !pattern.test(value)) fail(field, value, problem, fix, mayBeSecret);
  return value;
}

export function checkRegion(value: unknown): string {
  return tokenOrMatch("region", value, REGION, "is not an AWS region name", 'Pass the region of the cluster and its secret, e.g. "eu-west-1" or a DataAwsRegion\'s name.', REGION_MAX);
}

export function checkEndpoint(value: unknown): string {
  const fix = "Pass the cluster's writer endpoint host name without scheme or port, e.g. rdsCluster.endpoint; the port goes in databasePort.";
  return tokenOrMatch("databaseEndpoint", value, HOSTNAME, "is not a host name", fix, HOSTNAME_MAX);
}

/** Port as text for the config file: a literal number, a numeric string, or a (number or string) token. */
export function checkPort(field: string, value: unknown, allowToken: boolean): string {
  const fix = `Pass a whole number from ${PORT_MIN} to ${PORT_MAX}${allowToken ? ", or a token such as rdsCluster.port" : ""}.`;
  if (allowToken && isToken(value)) return Token.asString(value);
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < PORT_MIN || n > PORT_MAX) fail(field, value, "is not a TCP port", fix);
  return String(n);
}

export function checkDatabaseName(value: unknown): string {
  const fix = "Pass the cluster's database name (letters, digits and _ , starting with a letter), e.g. rdsCluster.databaseName.";
  return tokenOrMatch("databaseName", value, IDENTIFIER, `is not a plain database name of at most ${DATABASE_NAME_MAX} characters`, fix, DATABASE_NAME_MAX);
}

export function checkUserName(value: unknown): string {
  const fix = "Pass the master user name only (e.g. rdsCluster.masterUsername); the password stays in Secrets Manager.";
  return tokenOrMatch("masterUsername", value, IDENTIFIER, `is not a user name (letters, digits and _, at most ${USER_NAME_MAX} characters)`, fix, USER_NAME_MAX, true);
}

export function checkSecretArn(value: unknown): string {
  const fix =
    "Pass the ARN of the RDS-managed master secret, e.g. rdsCluster.masterUserSecret.get(0).secretArn, never the password itself: user data is readable by anyone allowed ec2:DescribeInstanceAttribute.";
  return tokenOrMatch("secretArn", value, SECRET_ARN, "is not a Secrets Manager secret ARN", fix, SECRET_ARN_MAX, true);
}

export function checkPath(field: string, value: unknown): string {
  if (typeof value !== "string" || !ABSOLUTE_PATH.test(value) || value.includes("..")) {
    fail(field, value, "is not an absolute path", "Pass a literal absolute path of letters, digits and . _ - / (no spaces, no .., no tokens).");
  }
  return value;
}

export function checkUrl(field: string, value: unknown, httpsOnly: boolean): string {
  if (typeof value !== "string" || !HTTP_URL.test(value) || (httpsOnly && !value.startsWith("https://"))) {
    fail(field, value, `is not a literal ${httpsOnly ? "https" : "http(s)"} URL`, `Pass a URL such as ${httpsOnly ? '"https://host/path"' : '"http://169.254.169.254"'} (no tokens, no query string).`);
  }
  return value;
}

export function checkInteger(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max || isToken(value)) {
    fail(field, value, `is not a whole number from ${min} to ${max}`, `Pass a literal whole number from ${min} to ${max}.`);
  }
  return value;
}

export function checkBoolean(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") fail(field, value, "is not true or false", "Pass a literal boolean.");
  return value;
}

/**
 * Refuses props the renderer does not know: a typo would otherwise be
 * ignored silently, and a password-like prop must never reach user data.
 */
export function checkKnownProps(props: object, known: readonly string[]): void {
  for (const key of Object.keys(props)) {
    if (known.includes(key)) continue;
    const value = (props as Record<string, unknown>)[key];
    if (CREDENTIAL_NAME.test(key)) {
      fail(key, value, "looks like a credential", "Never put a password in user data (it is readable through the EC2 API and logged at boot); the app reads it from Secrets Manager, so pass secretArn instead.", true);
    }
    fail(key, value, "is not a known prop", `Use one of: ${known.join(", ")}.`);
  }
}
