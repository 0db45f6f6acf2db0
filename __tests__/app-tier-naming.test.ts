import { Token } from "cdktf";
import { ValidationError } from "../lib/errors";
import { AWS_NAME_RULES, checkName, nameProblem, sanitizeName, shortHash, withSuffix } from "../lib/naming";

const alb = AWS_NAME_RULES.loadBalancer;

describe("naming helper: the names AWS limits", () => {
  test("an ALB name of letters, digits and inner hyphens up to 32 characters is accepted", () => {
    expect(nameProblem(alb, "lab-app")).toBeUndefined();
    expect(nameProblem(alb, "A".repeat(32))).toBeUndefined();
  });

  test.each([
    ["", /is empty/],
    ["a".repeat(33), /has 33 characters; an ALB name allows at most 32/],
    ["lab_app", /characters other than letters, digits and hyphens/],
    ["-lab", /starts with a hyphen/],
    ["lab-", /ends with a hyphen/],
    ["internal-app", /starts with "internal-", which AWS reserves/],
    ["Internal-app", /reserves/],
  ])("the ALB name %j is refused: %s", (name, problem) => {
    expect(nameProblem(alb, name)).toMatch(problem);
  });

  test("a prefix may end with a hyphen, since AWS appends a unique suffix", () => {
    expect(nameProblem(AWS_NAME_RULES.bucketPrefix, "lab-app-alb-logs-")).toBeUndefined();
    expect(nameProblem(AWS_NAME_RULES.bucketPrefix, "Lab-app-")).toMatch(/lower-case/);
    expect(nameProblem(AWS_NAME_RULES.iamNamePrefix, "x".repeat(39))).toMatch(/at most 38/);
  });

  test("a token is not judged at synth", () => {
    expect(nameProblem(alb, Token.asString({ Ref: "x" }))).toBeUndefined();
  });

  test("checkName throws a ValidationError naming module, field, value and the rule", () => {
    const name = "a".repeat(40);
    expect(() => checkName(alb, name, "AppTier", "name")).toThrow(ValidationError);
    expect(() => checkName(alb, name, "AppTier", "name")).toThrow(
      `AppTier: name ("${name}") has 40 characters; an ALB name allows at most 32`,
    );
  });

  test("sanitizeName turns free text into an accepted name and keeps long texts distinct", () => {
    expect(sanitizeName(alb, "My Stack/App__1")).toBe("My-Stack-App-1");
    expect(sanitizeName(alb, "--x--")).toBe("x");
    expect(sanitizeName(alb, "internal-thing")).toBe("n-internal-thing");
    expect(sanitizeName(AWS_NAME_RULES.bucketPrefix, "Lab-App")).toBe("lab-app");
    const a = sanitizeName(alb, `${"very-long-stack-name-".repeat(3)}a`);
    const b = sanitizeName(alb, `${"very-long-stack-name-".repeat(3)}b`);
    for (const n of [a, b]) expect(nameProblem(alb, n)).toBeUndefined();
    expect(a).not.toBe(b);
  });

  test("withSuffix shortens the base so base + suffix fits, leaving no double hyphen", () => {
    const name = withSuffix(AWS_NAME_RULES.targetGroup, "abcdefghij-klmnopqrstu-xyz-0123", "-12345678");
    expect(name.length).toBeLessThanOrEqual(32);
    // Cut at 23 characters the base would end in "-"; the helper drops it rather than emit "--".
    expect(name).toBe("abcdefghij-klmnopqrstu-12345678");
    expect(nameProblem(AWS_NAME_RULES.targetGroup, name)).toBeUndefined();
  });

  test("shortHash is stable and changes with any part", () => {
    expect(shortHash("a", 80)).toBe(shortHash("a", 80));
    expect(shortHash("a", 80)).toMatch(/^[0-9a-f]{8}$/);
    expect(shortHash("a", 80)).not.toBe(shortHash("a", 8080));
  });
});
