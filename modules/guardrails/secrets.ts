import { gunzipSync } from "zlib";
import { EMULATOR_SECRET_KEY } from "../../lib/local-endpoint";

/** What a secret-looking literal looks like. */
export enum SecretKind {
  /** An AWS access key id (`AKIA…` long-term, `ASIA…` temporary). */
  AWS_ACCESS_KEY_ID = "aws-access-key-id",
  /** A value assigned to `aws_secret_access_key` (or the provider's `secret_key`). */
  AWS_SECRET_ACCESS_KEY = "aws-secret-access-key",
  /** A literal assigned to a key ending in `password`/`passwd` (`password = "…"`, `"master_password": "…"`). */
  PASSWORD = "password",
  /** A PEM private key block (`-----BEGIN … PRIVATE KEY-----`). */
  PRIVATE_KEY = "private-key",
  /**
   * A shell command that reads a secret (`get-secret-value`, or an SSM parameter `--with-decryption`)
   * and writes it to a file: the secret then sits on the instance's disk. Found by {@link scanForSecretWrites}.
   */
  SECRET_WRITTEN_TO_DISK = "secret-written-to-disk",
}

/** One secret-looking literal. The excerpt is masked so reports and CI logs do not repeat the secret. */
export interface SecretFinding {
  readonly kind: SecretKind;
  /** 1-based line and column of the match in the scanned text. */
  readonly line: number;
  readonly column: number;
  /** The match with the secret part masked, e.g. master_password followed by `<redacted, 7 characters>`. */
  readonly excerpt: string;
}

/**
 * A value: a quoted string (with JSON-escaped quotes, as inside cdk.tf.json) or a bare word.
 * Group 2 is the quoted content, group 3 the bare word.
 */
const VALUE = String.raw`(?:(\\?["'])(.*?)\1|([^\s"'\\,;{}\[\]()]+))`;
const ASSIGN = String.raw`\\?["']?\s*[:=]\s*`;

interface Pattern {
  readonly kind: SecretKind;
  readonly regex: RegExp;
  /** For assignments: the value group must be a literal, not a reference like `${var.x}` or `$(cmd)`. */
  readonly assignment: boolean;
}

const PATTERNS: readonly Pattern[] = [
  { kind: SecretKind.AWS_ACCESS_KEY_ID, regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, assignment: false },
  { kind: SecretKind.PRIVATE_KEY, regex: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g, assignment: false },
  {
    kind: SecretKind.AWS_SECRET_ACCESS_KEY,
    regex: new RegExp(String.raw`\b(?:aws_secret_access_key|secret_key)${ASSIGN}${VALUE}`, "gi"),
    assignment: true,
  },
  {
    kind: SecretKind.PASSWORD,
    // The key is matched from the start of its run of name characters (the lookbehind) and is at
    // most 64 characters long: an unbounded `[…]*pass` backtracks quadratically over long base64
    // runs, and user data carries several kilobytes of them.
    regex: new RegExp(String.raw`(?<![A-Za-z0-9_.-])[A-Za-z0-9_.-]{0,64}?pass(?:word|wd)${ASSIGN}${VALUE}`, "gi"),
    assignment: true,
  },
];

/**
 * A literal every match of PATTERNS contains: `AKIA`/`ASIA` (access key ids), `PRIVATE KEY-----`
 * (PEM), and, in any case as those patterns are, `password`/`passwd` and `secret_key`/
 * `secret_access_key`. A text without any of them has no finding.
 */
const MAY_HOLD_SECRET = /AKIA|ASIA|PRIVATE KEY-----/;
const MAY_HOLD_SECRET_ANY_CASE = /pass(?:word|wd)|secret_(?:access_)?key/i;

/** False when `text` holds none of the words every secret pattern needs, and so no secret {@link scanForSecrets} finds. */
export function mayHoldSecret(text: string): boolean {
  return MAY_HOLD_SECRET.test(text) || MAY_HOLD_SECRET_ANY_CASE.test(text);
}

/** Values that are not secrets even after a password key: empty, references, booleans, numbers. */
function isLiteralSecret(value: string): boolean {
  if (value.trim() === "") return false;
  if (/^[$%]|\{\{/.test(value)) return false; // ${var.x}, $(cmd), $VAR, %{…}, {{ template }}
  if (/^(true|false|null|none|undefined|\d+)$/i.test(value)) return false;
  return true;
}

function mask(text: string, secret: string): string {
  if (!secret) return text;
  // Not even a prefix of the secret: reports and CI logs are read by more people than the code.
  return text.replace(secret, `<redacted, ${secret.length} characters>`);
}

/**
 * Finds secret-looking literals in a text: AWS access key ids, `aws_secret_access_key` values,
 * password assignments (`password = "…"`, `"master_password": "…"`, `password: …`) and PEM
 * private keys. References (`${…}`, `$(…)`, `$VAR`) are not literals and are not reported.
 */
export function scanForSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  // Most texts (every attribute of every resource) hold none of the words the patterns need:
  // two quick tests instead of four global scans, the password one costly on long texts.
  if (!mayHoldSecret(text)) return findings;
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern.regex)) {
      let excerpt = match[0];
      if (pattern.assignment) {
        const value = match[2] ?? match[3] ?? "";
        if (!isLiteralSecret(value)) continue;
        // The fixed key HaStack's localEndpoint sends to a local emulator is public, not a credential.
        if (pattern.kind === SecretKind.AWS_SECRET_ACCESS_KEY && value === EMULATOR_SECRET_KEY) continue;
        excerpt = mask(match[0], value);
      } else if (pattern.kind === SecretKind.AWS_ACCESS_KEY_ID) {
        excerpt = `${match[0].slice(0, 4)}…(${match[0].length} chars)`;
      }
      const before = text.slice(0, match.index);
      const line = before.split("\n").length;
      findings.push({ kind: pattern.kind, line, column: match.index! - before.lastIndexOf("\n"), excerpt });
    }
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MIN_BASE64_LENGTH = 8;
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * The text inside a base64 literal (as launch templates require for user data), gunzipped when
 * cloud-init's gzip form is used; undefined when the value is not base64 of readable text.
 */
export function decodeBase64Text(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (compact.length < MIN_BASE64_LENGTH || compact.length % 4 !== 0 || !BASE64.test(compact)) return undefined;
  let bytes = Buffer.from(compact, "base64");
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      return undefined;
    }
  }
  const text = bytes.toString("utf8");
  // Random base64 (ids, hashes) decodes to binary; only readable text is worth scanning.
  const unreadable = [...text].filter((c) => c === "\uFFFD" || (c < " " && c !== "\n" && c !== "\r" && c !== "\t")).length;
  return unreadable === 0 ? text : undefined;
}

/** Scans a text and, when it is user data (base64, or Terraform-rendered), the decoded text as well. */
export function scanTextAndDecoded(text: string): SecretFinding[] {
  const decoded = decodeUserData(text);
  return [...scanForSecrets(text), ...(decoded !== undefined ? scanForSecrets(decoded) : [])];
}

/** `${base64encode(EXPR)}`: how cdktf renders user data that holds references (see app-tier's encodeUserData). */
const TERRAFORM_BASE64ENCODE = /^\$\{base64encode\(([\s\S]*)\)\}$/;
/** What stands in for a reference in decoded user data; a `$`-value is never taken for a literal secret. */
export const REFERENCE_PLACEHOLDER_PREFIX = "${";

/**
 * The text of launch template user data as the instance will see it, so it can be scanned:
 * - a base64 literal (gzipped or not): its decoded text;
 * - a Terraform expression `${base64encode(join("", [base64decode("…"), aws_x.y.attr, "…"]))}`
 *   (cdktf's form when the text holds references): the literal parts decoded, in order, each
 *   reference kept as `${aws_x.y.attr}`.
 * Undefined for anything else (plain text is scanned as it is).
 */
export function decodeUserData(value: string): string | undefined {
  const literal = decodeBase64Text(value);
  if (literal !== undefined) return literal;
  const match = TERRAFORM_BASE64ENCODE.exec(value.trim());
  return match ? renderExpression(match[1].trim()) : undefined;
}

/** The text an HCL expression yields, with whatever is not a literal (or a join/base64decode of literals) as `${expr}`. */
function renderExpression(expr: string): string {
  const call = /^(join|base64decode)\(([\s\S]*)\)$/.exec(expr);
  if (call) {
    const args = splitTopLevel(call[2]);
    if (call[1] === "base64decode" && args.length === 1 && isHclString(args[0])) {
      return Buffer.from(unquoteHcl(args[0]), "base64").toString("utf8");
    }
    if (call[1] === "join" && args.length === 2 && isHclString(args[0]) && /^\[[\s\S]*\]$/.test(args[1])) {
      const separator = unquoteHcl(args[0]);
      return splitTopLevel(args[1].slice(1, -1)).map(renderExpression).join(separator);
    }
  }
  if (isHclString(expr)) return unquoteHcl(expr);
  return `${REFERENCE_PLACEHOLDER_PREFIX}${expr}}`;
}

function isHclString(expr: string): boolean {
  return expr.length >= 2 && expr.startsWith('"') && expr.endsWith('"') && splitTopLevel(expr).length === 1;
}

/** An HCL quoted string's content; its own `${…}` interpolations stay as they are (they are references). */
function unquoteHcl(quoted: string): string {
  return quoted
    .slice(1, -1)
    .replace(/\\(["\\nrt])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c)
    .replace(/([$%])\1\{/g, "$1{"); // $${ and %%{ are HCL's escapes of a literal ${ and %{
}

/** Splits at the commas that are outside strings, brackets and parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== "" || parts.length > 0) parts.push(last);
  return parts.filter((p) => p !== "");
}

/** Commands that print a secret: Secrets Manager's get-secret-value, SSM parameters read with decryption. */
const SECRET_READ = /\bget-secret-value\b|\bget-parameters?(?:-by-path)?\b(?=.*--with-decryption)/;
/** A redirection or tee into a file (not a file descriptor); group 1 or 2 is the file. */
const FILE_WRITE = /(?<![0-9&<>])>>?\|?\s*(?!&)["']?([^\s;&|)'"]+)|\|\s*(?:sudo\s+)?tee\b(?:\s+--?[a-z][a-z-]*)*\s+["']?([^\s;&|)'"]+)/g;
/** Files a write to is not a write to disk. */
const NOT_DISK = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;
/** `VAR=$(… get-secret-value …)`: the variable holds the secret afterwards. */
const SECRET_ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=["']?\$\((?=[^)]*(?:\bget-secret-value\b|--with-decryption))/g;

/**
 * Shell lines (scripts, cloud-init `runcmd`) that write a secret to a file: a `get-secret-value`
 * (or SSM `--with-decryption`) command redirected or tee'd into a file, or a variable assigned from
 * one and then written out. Writing to `/dev/null` or a file descriptor is fine. A secret on disk
 * outlives the process that needed it, shows up in backups and images, and can be read by anyone
 * the file's mode allows: keep it in the memory of the process that uses it.
 */
export function scanForSecretWrites(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  const tainted = new Set<string>();
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const readsSecret = SECRET_READ.test(line) || [...tainted].some((v) => new RegExp(String.raw`\$\{?${v}\b`).test(line));
    if (readsSecret) {
      for (const write of line.matchAll(FILE_WRITE)) {
        const file = write[1] ?? write[2];
        if (NOT_DISK.test(file)) continue;
        findings.push({
          kind: SecretKind.SECRET_WRITTEN_TO_DISK,
          line: index + 1,
          column: write.index! + 1,
          excerpt: `a secret is written to ${file}`,
        });
      }
    }
    for (const assignment of line.matchAll(SECRET_ASSIGNMENT)) tainted.add(assignment[1]);
  });
  return findings;
}
