/**
 * A resolver that passes over values with no token in them, for HaStack's resolution pass.
 *
 * cdktf's `resolve` walks every value of a stack, and for each one builds a resolution context
 * (two objects and two closures), copies the key path and tests every string against its token
 * patterns, even where nothing can be a token: the plain strings, numbers, objects and arrays that
 * make up most of a stack, and all of it when `TerraformStack.toTerraform()` resolves the merged,
 * already-resolved JSON a second time. This walks the value itself, copies what provably holds no
 * token, and hands every other subtree to cdktf's own `resolve` at the same key path and in the
 * same mode, so what comes out (and every error, with its path) is cdktf's.
 *
 * "Provably no token", for cdktf's `resolve` (tokens/private/resolve.js), is:
 * - a string without `TfToken[` (every string, list and map token marker holds it), without the
 *   shape cdktf's number-token pattern looks for (`[-|\d.+]e[-|\d.eE+]`), and not one of the two
 *   map-token values it rejects in a string context;
 * - a number above the range cdktf's token numbers are encoded in (negative, beyond -2^960), and
 *   not the map-token number it rejects;
 * - a boolean, `undefined` or `null`;
 * - an array (of Array.prototype) or an object (of Object.prototype, or none) of such values,
 *   whose keys are such strings, with no `resolve` method and not a construct.
 * Anything else (an IResolvable, a `Lazy`, a class instance, a Date, a function) goes to cdktf.
 * Undefined values are dropped from objects and arrays, and holes from arrays, as cdktf does.
 *
 * It relies on cdktf internals, so it checks them once and stays off where they are not what it
 * expects (another cdktf release): then HaStack resolves through cdktf alone.
 */
import { IResolveContext, ITokenResolver, Token, Tokenization } from "cdktf";
import { IConstruct } from "constructs";

/** The options Tokenization.resolve takes. */
interface ResolveOptions {
  readonly scope: IConstruct;
  readonly resolver: ITokenResolver;
  readonly preparing?: boolean;
}

/** The options cdktf's private resolve takes (tokens/private/resolve.js). */
interface PrivateResolveOptions {
  scope: IConstruct;
  resolver: ITokenResolver;
  preparing: boolean;
  prefix?: string[];
  previousContext?: IResolveContext;
}

type PrivateResolve = (obj: unknown, options: PrivateResolveOptions) => unknown;

/** The part every string, list and map token marker shares: `${TfToken[`, `#{TfToken[`, `&{TfToken[`. */
const TOKEN_MARKER = "TfToken[";
/**
 * Where cdktf's number-token pattern, /[-|\d|.\+]+(e[-|\d|.|e|E|\+]+)/, can match: one of its
 * first characters, an `e`, one of its second characters. A string without this never matches it.
 */
const NUMBER_TOKEN_SHAPE = /[-|\d.+]e[-|\d.eE+]/;
/**
 * cdktf encodes token numbers as doubles whose top 16 bits are 0xfdff or 0xfbff: negative, with a
 * magnitude of at least 2^960 (~9.7e288). Any number above this bound is not one (NaN is not above
 * it, and is handed to cdktf).
 */
const TOKEN_NUMBER_BOUND = -1e280;
/** cdktf refuses to resolve deeper than this (a cyclic reference); it then throws, so we hand over. */
const MAX_DEPTH = 200;

function plainString(s: string): boolean {
  return (
    s.indexOf(TOKEN_MARKER) === -1 &&
    !NUMBER_TOKEN_SHAPE.test(s) &&
    s !== Token.STRING_MAP_TOKEN_VALUE &&
    s !== Token.ANY_MAP_TOKEN_VALUE
  );
}

function plainNumber(n: number): boolean {
  return n > TOKEN_NUMBER_BOUND && n !== Token.NUMBER_MAP_TOKEN_VALUE;
}

/** A direct array element that could make cdktf resolve the array as a list token. */
function listTokenCandidate(x: unknown): boolean {
  return (typeof x === "string" && x.indexOf(TOKEN_MARKER) !== -1) || (typeof x === "number" && !(x > TOKEN_NUMBER_BOUND));
}

/**
 * Resolves `obj` as `Tokenization.resolve(obj, options)` does, through `cdktfResolve` (cdktf's
 * private resolve) for every subtree that may hold a token.
 */
function fastResolve(cdktfResolve: PrivateResolve, obj: unknown, options: ResolveOptions): unknown {
  const base: PrivateResolveOptions = {
    scope: options.scope,
    resolver: options.resolver,
    preparing: options.preparing !== undefined ? options.preparing : false,
  };
  const path: string[] = [];
  // cdktf resolves a child with the context its parent made, which carries the parent's options
  // (none at the top): the same as resolving it directly at its key path.
  const delegate = (x: unknown) => cdktfResolve(x, path.length === 0 ? base : { ...base, prefix: [...path] });

  const walk = (x: unknown): unknown => {
    if (path.length > MAX_DEPTH) return delegate(x);
    switch (typeof x) {
      case "undefined":
        return undefined;
      case "string":
        return plainString(x) ? x : delegate(x);
      case "number":
        return plainNumber(x) ? x : delegate(x);
      case "boolean":
        return x;
      case "object":
        break;
      default:
        // functions (cdktf throws), bigint and symbol (cdktf returns them): cdktf's call
        return delegate(x);
    }
    if (x === null) return null;
    const proto = Object.getPrototypeOf(x);
    if (Array.isArray(x)) {
      if (proto !== Array.prototype || x.some(listTokenCandidate)) return delegate(x);
      const out: unknown[] = [];
      // a hole reads as undefined and is dropped, as cdktf's map + filter drop it
      for (let i = 0; i < x.length; i++) {
        path.push(`${i}`);
        const value = walk(x[i]);
        path.pop();
        if (value !== undefined) out.push(value);
      }
      return out;
    }
    if (proto !== Object.prototype && proto !== null) return delegate(x);
    const record = x as Record<string, unknown>;
    if (typeof record.resolve === "function" || (record._children !== undefined && record._metadata !== undefined)) {
      return delegate(x);
    }
    const keys = Object.keys(record);
    if (!keys.every(plainString)) return delegate(x);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      path.push(key);
      const value = walk(record[key]);
      path.pop();
      if (value !== undefined) out[key] = value;
    }
    return out;
  };
  return walk(obj);
}

let checked: PrivateResolve | null | undefined;

/**
 * cdktf's private resolve, if this cdktf is laid out as the fast path expects: the token markers
 * and the number-token encoding it reads. Checked once per process; null where it is not.
 */
function cdktfPrivateResolve(): PrivateResolve | null {
  if (checked !== undefined) return checked;
  checked = null;
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const privateResolve = require("cdktf/lib/tokens/private/resolve").resolve;
    const encoding = require("cdktf/lib/tokens/private/encoding");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const markers = [encoding.BEGIN_STRING_TOKEN_MARKER, encoding.BEGIN_LIST_TOKEN_MARKER, encoding.BEGIN_MAP_TOKEN_MARKER];
    const doubles = [0, 2 ** 48 - 1].flatMap((i) => [encoding.createTokenDouble(i, false), encoding.createTokenDouble(i, true)]);
    const numberPattern = encoding.TokenString.forNumbers;
    const layoutAsExpected =
      typeof privateResolve === "function" &&
      markers.every((m) => typeof m === "string" && m.endsWith(TOKEN_MARKER)) &&
      doubles.every((d) => typeof d === "number" && !(d > TOKEN_NUMBER_BOUND)) &&
      typeof numberPattern === "function" &&
      // the number-token pattern matches where NUMBER_TOKEN_SHAPE does, and not where it does not
      ["1e5", "-1.8881545897087626e+289", "a.e-b", "x|e|"].every((s) => numberPattern(s).test()) &&
      ["t3.medium", "eu-west-1", "1e", "e5", "name-e"].every((s) => !numberPattern(s).test()) &&
      typeof Token.STRING_MAP_TOKEN_VALUE === "string" &&
      typeof Token.ANY_MAP_TOKEN_VALUE === "string" &&
      typeof Token.NUMBER_MAP_TOKEN_VALUE === "number";
    if (layoutAsExpected) checked = privateResolve as PrivateResolve;
  } catch {
    checked = null;
  }
  return checked;
}

/**
 * Runs fn with every `Tokenization.resolve` going through the fast path (and, when `preparing`,
 * in cdktf's preparing mode, as its own prepare pass asks). Synchronous, and restored in all
 * cases. Without the fast path (`fast` false, or a cdktf it does not know) only the mode changes.
 */
export function resolvingWith<T>(how: { readonly fast: boolean; readonly preparing: boolean }, fn: () => T): T {
  const cdktfResolve = how.fast ? cdktfPrivateResolve() : null;
  if (!cdktfResolve && !how.preparing) return fn();
  const original = Tokenization.resolve;
  Tokenization.resolve = (obj, options) => {
    const effective = how.preparing ? { ...options, preparing: true } : options;
    return cdktfResolve ? fastResolve(cdktfResolve, obj, effective) : original.call(Tokenization, obj, effective);
  };
  try {
    return fn();
  } finally {
    Tokenization.resolve = original;
  }
}

/** Whether the fast path is available with the cdktf installed (for tests). */
export function fastResolveAvailable(): boolean {
  return cdktfPrivateResolve() !== null;
}
