/**
 * HaStack's resolver fast path (lib/fast-resolve.ts) passes over values that hold no token and
 * hands everything else to cdktf: what it returns, and every error it throws, must be what
 * cdktf's own `Tokenization.resolve` gives, for plain values, tokens of every kind, the edge
 * values cdktf rejects, and random mixtures of them.
 */
import { App, DefaultTokenResolver, Fn, IResolvable, Lazy, StringConcat, TerraformStack, Token, Tokenization } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { fastResolveAvailable, resolvingWith } from "../lib/fast-resolve";

const app = new App({ outdir: "/tmp/fast-resolve-test-unused", stackTraces: false });
const stack = new TerraformStack(app, "s");
const vpc = new Vpc(stack, "Vpc", { cidrBlock: "10.0.0.0/16" });
const resolver = new DefaultTokenResolver(new StringConcat());

type Outcome = { value: unknown; json: string | undefined } | { error: string };

function outcome(fn: () => unknown): Outcome {
  try {
    const value = fn();
    return { value, json: JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? `${v}n` : v)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** cdktf's resolve and the fast path's, in the same mode. */
function bothWays(obj: unknown, preparing = false): { cdktf: Outcome; fast: Outcome } {
  const options = { scope: stack, resolver, preparing };
  return {
    cdktf: outcome(() => Tokenization.resolve(obj, options)),
    fast: outcome(() => resolvingWith({ fast: true, preparing: false }, () => Tokenization.resolve(obj, options))),
  };
}

function expectSame(obj: unknown): void {
  for (const preparing of [false, true]) {
    const { cdktf, fast } = bothWays(obj, preparing);
    expect(fast).toEqual(cdktf);
  }
}

const lazy = (value: unknown) => Lazy.anyValue({ produce: () => value });

/** Values that hold no token, including the strings and numbers closest to cdktf's token patterns. */
const PLAIN: unknown[] = [
  "",
  "plain",
  "t3.medium",
  "eu-west-1",
  "${var.not_a_token}",
  "$${escaped}",
  "1e",
  "e5",
  "name-e",
  "1e5",
  "a.e-b",
  "x|e|y",
  "-1.8881545897087626e+289",
  "TfToken",
  "${TfToken[",
  "${TfToken[TOKEN.999999999]}",
  0,
  -0,
  42,
  -1.5,
  1e300,
  -1e300,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Infinity,
  -Infinity,
  NaN,
  true,
  false,
  null,
  undefined,
  [],
  {},
];

/** Values cdktf resolves or rejects: tokens of every kind, and the values it refuses. */
const SPECIAL: (() => unknown)[] = [
  () => vpc.id,
  () => vpc.cidrBlock,
  () => `arn:${vpc.arn}/x`,
  () => Token.asString(lazy("lazy string")),
  () => Token.asNumber(lazy(7)),
  () => `n=${Token.asNumber(lazy(8))}`,
  () => Token.asList(lazy(["a", "b"])),
  () => Token.asNumberList(lazy([1, 2])),
  () => Token.asAnyMap(lazy({ k: "v" })),
  () => lazy({ nested: [vpc.id, 1, { deep: Token.asString(lazy("d")) }] }),
  () => lazy(undefined),
  () => Fn.join("-", ["a", vpc.id]),
  () => ({ [vpc.id]: "a token key" }),
  () => ({ "1e5": "a key shaped like a token number" }),
  () => ({ resolve: (): string => "an object with a resolve method" }),
  () => new Date(0),
  () => new (class Thing {
    readonly field = "a class instance";
  })(),
  () => Object.assign(Object.create(null), { noPrototype: vpc.id }),
  () => Token.STRING_MAP_TOKEN_VALUE,
  () => Token.ANY_MAP_TOKEN_VALUE,
  () => Token.NUMBER_MAP_TOKEN_VALUE,
  () => () => "a function",
  () => ({ _children: {}, _metadata: [], note: "looks like a construct" }),
  () => [Token.asString(lazy("x")), "second element"],
  () => [Token.asList(lazy(["only"]))[0], "a list token beside a string"],
  () => BigInt(5),
  () => Symbol.for("s"),
  () => JSON.parse('{"__proto__": {"polluted": "no"}, "ok": 1}'),
  () => Lazy.anyValue({
    produce: () => {
      throw new Error("the producer failed");
    },
  }),
];

describe("the resolver fast path gives what cdktf gives", () => {
  test("GIVEN this cdktf THEN the fast path is available (else HaStack silently uses cdktf alone)", () => {
    expect(fastResolveAvailable()).toBe(true);
  });

  test.each(PLAIN.map((value) => [String(value), value]))("GIVEN the plain value %s THEN the same value", (_name, value) => {
    expectSame(value);
    expectSame({ wrapped: value, list: [value, value] });
  });

  test.each(SPECIAL.map((make, i) => [i, make]))("GIVEN special value #%s THEN the same value or the same error", (_i, make) => {
    expectSame(make());
    expectSame({ a: { b: [1, make(), "c"] } });
    expectSame([make()]);
  });

  test("GIVEN a sparse array with undefined elements THEN holes and undefined are dropped as cdktf drops them", () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [1, , undefined, "x", , { u: undefined, v: 2 }];
    expectSame(sparse);
  });

  test("GIVEN nesting past cdktf's depth limit THEN the same 'circular reference' error with the same path", () => {
    let deep: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 205; i++) deep = { [`k${i % 3}`]: deep };
    const { cdktf, fast } = bothWays(deep);
    expect(cdktf).toEqual({ error: expect.stringMatching(/circular/i) });
    expect(fast).toEqual(cdktf);
    const ok: Record<string, unknown>[] = [{ leaf: vpc.id }];
    for (let i = 0; i < 150; i++) ok.unshift({ [`k${i}`]: ok[0] });
    expectSame(ok[0]);
  });

  test("GIVEN 400 random mixtures of plain values and tokens THEN the same results and errors", () => {
    let seed = 20;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
    const tree = (depth: number): unknown => {
      const r = random();
      if (depth > 4 || r < 0.35) return random() < 0.8 ? pick(PLAIN) : pick(SPECIAL)();
      if (r < 0.6) return Array.from({ length: Math.floor(random() * 4) }, () => tree(depth + 1));
      if (r < 0.65) return lazy(tree(depth + 1));
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(random() * 4); i > 0; i--) obj[random() < 0.9 ? `key${Math.floor(random() * 9)}` : String(pick(PLAIN))] = tree(depth + 1);
      return obj;
    };
    let errors = 0;
    for (let i = 0; i < 400; i++) {
      const obj = tree(0);
      const { cdktf, fast } = bothWays(obj, i % 2 === 0);
      if ("error" in cdktf) errors++;
      expect({ i, fast }).toEqual({ i, fast: cdktf });
    }
    // the mixtures exercise both outcomes
    expect(errors).toBeGreaterThan(10);
    expect(errors).toBeLessThan(390);
  });
});

describe("the fast path leaves to cdktf only what may hold a token", () => {
  /** How many strings cdktf tests for string tokens while resolving obj. */
  function stringsTested(obj: unknown, fast: boolean): number {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { TokenString } = require("cdktf/lib/tokens/private/encoding");
    const original = TokenString.forString;
    let count = 0;
    TokenString.forString = (...args: unknown[]) => {
      count++;
      return original.apply(TokenString, args);
    };
    try {
      resolvingWith({ fast, preparing: false }, () => Tokenization.resolve(obj, { scope: stack, resolver }));
    } finally {
      TokenString.forString = original;
    }
    return count;
  }

  test("GIVEN 1,000 plain strings and one token THEN cdktf tests a handful of strings, not every one", () => {
    const obj = { plain: Array.from({ length: 1000 }, (_, i) => `value-${i}`), token: vpc.id as string | IResolvable };
    expect(stringsTested(obj, false)).toBeGreaterThan(1000);
    expect(stringsTested(obj, true)).toBeLessThan(10);
  });
});
