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

/** Scans a text and, when it is base64 of readable text (user data), the decoded text as well. */
export function scanTextAndDecoded(text: string): SecretFinding[] {
  const decoded = decodeBase64Text(text);
  return [...scanForSecrets(text), ...(decoded !== undefined ? scanForSecrets(decoded) : [])];
}
