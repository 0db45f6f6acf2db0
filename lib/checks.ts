import { Construct } from "constructs";
import { Token } from "cdktf";
import { show } from "./errors";

/**
 * Runtime checks shared by every module, for what TypeScript cannot guarantee: JavaScript callers,
 * `as any`, JSON config and environment variables pass strings for booleans, a string for a list,
 * a plain object for a construct, or an enum value in the wrong case. Each check fails through the
 * module's own `fail` (so the message carries the module and the construct path) naming the field,
 * the value and the fix.
 */
export type Fail = (message: string) => never;

/** An AWS region name: `us-east-1`, `us-gov-west-1`, `cn-north-1`, `us-iso-east-1`, `eu-isoe-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** Why a value is not a region name, for messages; undefined when it is one (or a token). */
export function regionProblem(value: unknown): string | undefined {
  if (typeof value === "string" && Token.isUnresolved(value)) return undefined;
  if (typeof value !== "string") return `is ${describeType(value)}, not a region name`;
  if (!REGION_PATTERN.test(value)) return "is not an AWS region name";
  return undefined;
}

/**
 * Why a value is not an S3 bucket name AWS accepts (general purpose buckets: 3–63 lower-case
 * letters, digits, dots and hyphens, starting and ending with a letter or digit, no `..`, not an
 * IP address, no reserved prefix or suffix); undefined when it is one.
 */
export function bucketNameProblem(value: unknown): string | undefined {
  if (typeof value === "string" && Token.isUnresolved(value)) return undefined;
  if (typeof value !== "string") return `is ${describeType(value)}, not a bucket name`;
  if (value === "") return "is empty";
  if (/^(s3|https?):\/\//i.test(value) || value.startsWith("arn:")) return "is a URL or ARN, not a bare bucket name";
  if (value.length < 3 || value.length > 63) return `has ${value.length} characters; a bucket name has 3 to 63`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(value)) {
    return "is not a bucket name (lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit)";
  }
  if (value.includes("..")) return "has two dots in a row, which bucket names may not";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return "is formatted as an IP address, which bucket names may not be";
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(value) || /(-s3alias|--ol-s3|--x-s3)$/.test(value)) {
    return "uses a prefix or suffix S3 reserves";
  }
  return undefined;
}

/** "a string", "a number", "an array", "null", … for messages about a wrong type. */
export function describeType(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const type = typeof value;
  return type === "object" ? "an object" : `a ${type}`;
}

/** The runtime checks, bound to a module's `fail`. */
export interface Checks {
  /** An optional boolean: `undefined`, `true` or `false`; `"false"` and `1` fail. */
  optionalBoolean(value: unknown, field: string): boolean | undefined;
  /**
   * One of the allowed values (an enum's `Object.values`). A value that matches one but for case
   * is named as the likely intent ("did you mean StackIntent.PRODUCTION?").
   */
  oneOf<T extends string>(value: unknown, allowed: Readonly<Record<string, T>> | readonly T[], field: string, typeName: string): T;
  /** A list (a string is refused whole, not read character by character). */
  list<T = unknown>(value: unknown, field: string, example: string): readonly T[];
  /** An optional list. */
  optionalList<T = unknown>(value: unknown, field: string, example: string): readonly T[] | undefined;
  /** A plain object of settings (not a string, list or construct). */
  record<T extends object>(value: unknown, field: string, example: string): T;
  /** An optional plain object of settings. */
  optionalRecord<T extends object>(value: unknown, field: string, example: string): T | undefined;
  /** An instance of a construct class, e.g. `vpc` must be an HaVpc. */
  instanceOf<T>(value: unknown, type: abstract new (...args: any[]) => T, field: string, fix: string): T;
  /** A string (a token is accepted as is). */
  string(value: unknown, field: string, fix: string): string;
}

/** Runtime checks that fail through `fail`; see {@link Checks}. */
export function checks(fail: Fail): Checks {
  function list<T>(value: unknown, field: string, example: string): readonly T[] {
    if (Array.isArray(value)) return value;
    const split =
      typeof value === "string" ? `; a string is not split, so write it as a list, e.g. ${example}` : `; pass a list, e.g. ${example}`;
    return fail(`${field} (${show(value)}) is ${describeType(value)}, not a list${split}`);
  }
  function optionalRecord<T extends object>(value: unknown, field: string, example: string): T | undefined {
    if (value === undefined) return undefined;
    // Any object but a list or a construct: settings objects may come from classes or Object.create.
    if (value !== null && typeof value === "object" && !Array.isArray(value) && !Construct.isConstruct(value)) return value as T;
    return fail(`${field} (${show(value)}) is ${describeType(value)}, not an object of settings; pass e.g. ${example}`);
  }
  return {
    optionalBoolean(value, field) {
      if (value === undefined || typeof value === "boolean") return value;
      const hint = value === "true" || value === "false" ? `; write ${field}: ${value}, without quotes` : `; pass true or false`;
      return fail(`${field} (${show(value)}) is ${describeType(value)}, not a boolean${hint}`);
    },
    oneOf(value, allowed, field, typeName) {
      const values = (Array.isArray(allowed) ? allowed : Object.values(allowed)) as readonly string[];
      const keys = Array.isArray(allowed) ? undefined : Object.keys(allowed);
      if (typeof value === "string" && values.includes(value)) return value as never;
      const spelled = (v: string) => {
        const i = values.indexOf(v);
        return keys ? `${typeName}.${keys[i]} (${show(v)})` : show(v);
      };
      const near =
        typeof value === "string"
          ? values.find((v) => v.toLowerCase() === value.toLowerCase() || keys?.[values.indexOf(v)].toLowerCase() === value.toLowerCase())
          : undefined;
      const hint = near !== undefined ? `; did you mean ${spelled(near)}? Values are case-sensitive` : `; use ${values.map(spelled).join(" or ")}`;
      return fail(`${field} (${show(value)}) is not ${/^[AEIOU]/i.test(typeName) ? "an" : "a"} ${typeName}${hint}`);
    },
    list,
    optionalList(value, field, example) {
      return value === undefined ? undefined : list(value, field, example);
    },
    record(value, field, example) {
      if (value === undefined) return fail(`${field} (undefined) are missing; pass e.g. ${example}`);
      return optionalRecord(value, field, example)!;
    },
    optionalRecord,
    instanceOf(value, type, field, fix) {
      if (value instanceof type) return value;
      return fail(`${field} (${show(value)}) is ${describeType(value)}, not an instance of ${type.name}; ${fix}`);
    },
    string(value, field, fix) {
      if (typeof value === "string") return value;
      return fail(`${field} (${show(value)}) is ${describeType(value)}, not a string; ${fix}`);
    },
  };
}
