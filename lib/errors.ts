import { IConstruct } from "constructs";
import { scanForSecrets } from "../modules/guardrails/secrets";

/**
 * The one error class of the library: bad input, found at synth time before Terraform sees it.
 *
 * Messages name the field, the value and the fix, e.g.
 * `HaVpc: azs (["us-east-1a"]) has 1 AZ; pass 2 to 6 AZs, or set allowSingleAz: true`.
 * When a construct is given, its path is prefixed so the message says where.
 */
export class ValidationError extends Error {
  constructor(message: string, scope?: IConstruct) {
    super(scope ? `[${scope.node.path}] ${message}` : message);
    this.name = "ValidationError";
  }
}

/**
 * Shapes of credentials beyond what the guardrails' secret scan looks for in synthesized JSON:
 * a bare AWS secret access key (40 base64 characters), GitHub, Slack and Stripe-style tokens, a
 * JWT, and a URL carrying `user:password@`. A value of any of these shapes is never echoed.
 */
const SECRET_SHAPES: readonly RegExp[] = [
  /^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[A-Za-z0-9/+]{40}$/,
  /\bgh[pousr]_[A-Za-z0-9]{20,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
  /\b[sr]k_(live|test)_[A-Za-z0-9]{10,}/,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./,
  /:\/\/[^/\s:@]+:[^/\s@]+@/,
  /\b(password|passwd|pwd|secret|token)\s*[:=]\s*\S/i,
];

/** True when a string looks like a credential, so messages must not repeat it. */
export function looksSecret(text: string): boolean {
  return SECRET_SHAPES.some((shape) => shape.test(text)) || scanForSecrets(text).length > 0;
}

/** How a redacted value reads in a message: its length only, never a prefix. */
export function redacted(text: string): string {
  return `<redacted, ${text.length} characters>`;
}

/** Deepest nesting rendered; deeper parts read `…`, so a cyclic or huge object cannot hang a message. */
const MAX_SHOW_DEPTH = 4;

/**
 * Renders a user value for an error message: strings quoted, arrays and objects as JSON,
 * `NaN` and `Infinity` by name (JSON would print `null`), functions, symbols and constructs by
 * what they are, and any string that looks like a credential as `<redacted, N characters>`.
 */
export function show(value: unknown, depth = 0): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return looksSecret(value) ? redacted(value) : JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : String(value);
    case "bigint":
      return `${value}n`;
    case "boolean":
      return String(value);
    case "function":
      return `<function ${value.name || "anonymous"}>`;
    case "symbol":
      return value.toString();
  }
  if (depth >= MAX_SHOW_DEPTH) return "…";
  if (Array.isArray(value)) return `[${value.map((v) => show(v, depth + 1)).join(",")}]`;
  const node = (value as { node?: { path?: unknown } }).node;
  if (node && typeof node.path === "string") {
    return `<${(value as object).constructor?.name ?? "construct"} ${node.path || "(root)"}>`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as object).constructor?.name;
    if (name && name !== "Object") return `<${name}>`;
  }
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}:${show(v, depth + 1)}`);
  return `{${entries.join(",")}}`;
}
