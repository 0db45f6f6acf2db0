import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/*
 * What `npm publish` would ship, checked without installing anything. The slower proof — install
 * the packed tarball in a clean project and build, synthesize and plan a stack from it — is
 * `npm run test:consumer` (scripts/consumer-test.js).
 */

// semver is a pinned devDependency; it has no type package here,
// so the three functions used are typed by hand.
const semver: {
  satisfies(version: string, range: string): boolean;
  valid(version: string): string | null;
  validRange(range: string): string | null;
} = require("semver");

const ROOT = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const MODULES = fs
  .readdirSync(path.join(ROOT, "modules"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();
/** Packages whose single copy must be the consumer's: a second `constructs` breaks every scope check. */
const PEERS = ["cdktf", "constructs", "@cdktf/provider-aws"];
/** Everything a user needs, and nothing else: compiled library code with types, and docs. */
const ALLOWED = [
  /^dist\/index\.(js|d\.ts)$/,
  /^dist\/(lib|modules)\/.+\.(js|d\.ts)$/,
  /^modules\/[^/]+\/README\.md$/,
  /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
  // The inventory app's PHP sources: renderInventoryUserData reads them at synth.
  /^workload\/inventory-app\/(public|src)\/[a-z]+\.php$/,
];

/** A devDependency's real package and exact version: "0.21.0", or an npm alias "npm:cdktn@0.24.0". */
function devDependency(name: string): { name: string; version: string } {
  const spec: string = pkg.devDependencies?.[name] ?? "";
  const alias = spec.match(/^npm:(@?[^@]+)@(.+)$/);
  return alias ? { name: alias[1], version: alias[2] } : { name, version: spec };
}

let packed: string[] = [];

beforeAll(() => {
  // --dry-run still runs `prepack` (tsc), so dist/ is current when the list is taken.
  const out = execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  packed = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path).sort();
});

describe("the npm package ships what users need", () => {
  test("the root entry, every module's JavaScript and types, module READMEs, README, LICENSE and CHANGELOG", () => {
    const needed = [
      "package.json",
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
      "dist/index.js",
      "dist/index.d.ts",
      ...MODULES.flatMap((m) => [`dist/modules/${m}/index.js`, `dist/modules/${m}/index.d.ts`, `modules/${m}/README.md`]),
      ...fs.readdirSync(path.join(ROOT, "workload", "inventory-app"), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => path.relative(ROOT, path.join(d.parentPath ?? (d as any).path, d.name))),
    ];
    expect(needed.filter((f) => !packed.includes(f))).toEqual([]);
  });

  test("and nothing else: no TypeScript sources, tests, scripts, stacks, app entry, build info or synth output", () => {
    expect(packed.filter((f) => !ALLOWED.some((pattern) => pattern.test(f)))).toEqual([]);
    expect(packed.filter((f) => /__tests__|\.tsbuildinfo|cdktf\.out|^dist\/(scripts|stacks|main)|(?<!\.d)\.ts$/.test(f))).toEqual([]);
  });

  test("and no stale build output: every packed dist file has its source", () => {
    const withoutSource = packed
      .filter((f) => f.startsWith("dist/"))
      .map((f) => f.replace(/^dist\//, "").replace(/(\.d\.ts|\.js)$/, ".ts"))
      .filter((source) => !fs.existsSync(path.join(ROOT, source)));
    expect(withoutSource).toEqual([]);
  });
});

describe("the exports map", () => {
  test.each(MODULES)("module folder modules/%s/ has its subpath export, types first, with a node10 types fallback", (m) => {
    const target = { types: `./dist/modules/${m}/index.d.ts`, default: `./dist/modules/${m}/index.js` };
    if (!pkg.exports?.[`./${m}`]) {
      throw new Error(`package.json exports has no "./${m}": add "./${m}": ${JSON.stringify(target)} and typesVersions["*"]["${m}"]`);
    }
    expect(Object.entries(pkg.exports[`./${m}`])).toEqual(Object.entries(target));
    expect(pkg.typesVersions?.["*"]?.[m]).toEqual([`dist/modules/${m}/index.d.ts`]);
  });

  test("has the root, one subpath per module, testing, diagram and package.json, and no subpath without a source", () => {
    expect(Object.keys(pkg.exports).sort()).toEqual([".", "./diagram", "./package.json", "./testing", ...MODULES.map((m) => `./${m}`)].sort());
    expect(Object.keys(pkg.typesVersions["*"]).sort()).toEqual(["diagram", "testing", ...MODULES].sort());
  });

  test("points only at packed files, and main/types agree with the root export", () => {
    const targets = Object.values(pkg.exports as Record<string, string | Record<string, string>>).flatMap((t) =>
      typeof t === "string" ? [t] : Object.values(t),
    );
    const typesFallbacks = Object.values(pkg.typesVersions["*"] as Record<string, string[]>).flat();
    const missing = [...targets, ...typesFallbacks, pkg.main, pkg.types].map((t: string) => t.replace(/^\.\//, "")).filter((t) => !packed.includes(t));
    expect(missing).toEqual([]);
    expect(pkg.exports["."]).toEqual({ types: `./${pkg.types}`, default: `./${pkg.main}` });
  });

  test("the root entry re-exports every module, so one import gives every construct", () => {
    const root = require(path.join(ROOT, "dist", "index.js"));
    for (const m of MODULES) {
      const mod = require(path.join(ROOT, "dist", "modules", m, "index.js"));
      const notAtRoot = Object.keys(mod).filter((name) => root[name] !== mod[name]);
      if (notAtRoot.length) throw new Error(`index.ts does not re-export ${notAtRoot.join(", ")} of modules/${m}: add export * from "./modules/${m}"`);
    }
    expect(MODULES.length).toBeGreaterThan(0);
  });
});

describe("dependencies", () => {
  test.each(PEERS)("%s is a peer dependency whose range covers the exact devDependency version we test with", (name) => {
    const range = pkg.peerDependencies?.[name];
    // Two flavours: "0.21.0" (cdktf itself) or "npm:cdktn@0.24.0" (CDK Terrain under the cdktf
    // name, as .ci/cdktn.sh and the README's "Use it on CDK Terrain" install it).
    const { name: real, version: pinned } = devDependency(name);
    expect(pkg.dependencies?.[name]).toBeUndefined();
    expect(semver.validRange(range)).not.toBeNull();
    expect(semver.valid(pinned)).toBe(pinned); // exact, not a range
    expect(semver.satisfies(pinned, range)).toBe(true);
    const installed = JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8"));
    expect({ name: installed.name, version: installed.version }).toEqual({ name: real, version: pinned });
  });

  test("the cdktf peer admits both flavours: cdktf 0.21 and CDK Terrain (cdktn) 0.24 under the cdktf name; constructs what both accept", () => {
    expect(devDependency("cdktf").name).toMatch(/^(cdktf|cdktn)$/);
    expect(semver.satisfies("0.21.0", pkg.peerDependencies.cdktf)).toBe(true);
    expect(semver.satisfies("0.24.0", pkg.peerDependencies.cdktf)).toBe(true);
    // cdktn 0.24 requires constructs >=10.6.0 <10.8.0; cdktf 0.21 requires ^10.4.2.
    expect(["10.6.0", "10.7.2"].filter((v) => !semver.satisfies(v, pkg.peerDependencies.constructs))).toEqual([]);
    expect(["10.5.1", "10.8.0"].filter((v) => semver.satisfies(v, pkg.peerDependencies.constructs))).toEqual([]);
  });

  test("peer ranges stop before untested majors: provider-aws 21 (AWS provider 6), cdktf 0.22, constructs 11", () => {
    expect(semver.satisfies("21.0.0", pkg.peerDependencies["@cdktf/provider-aws"])).toBe(false);
    expect(semver.satisfies("19.99.0", pkg.peerDependencies["@cdktf/provider-aws"])).toBe(false);
    expect(semver.satisfies("0.22.0", pkg.peerDependencies.cdktf)).toBe(false);
    expect(semver.satisfies("0.25.0", pkg.peerDependencies.cdktf)).toBe(false);
    expect(semver.satisfies("0.20.0", pkg.peerDependencies.cdktf)).toBe(false);
    expect(semver.satisfies("11.0.0", pkg.peerDependencies.constructs)).toBe(false);
  });

  test("runtime dependencies are pinned exactly", () => {
    const ranged = Object.entries(pkg.dependencies ?? {}).filter(([, version]) => semver.valid(version as string) !== version);
    expect(ranged).toEqual([]);
  });
});

describe("installing runs nothing of ours", () => {
  // npm 11 holds install scripts (preinstall, install, postinstall, prepare) for the user's approval;
  // the package is built before it is packed instead, so installing it needs no approval.
  test("no install-time lifecycle script; prepack builds dist/ for npm pack and npm publish", () => {
    const installScripts = ["preinstall", "install", "postinstall", "prepare"].filter((name) => pkg.scripts?.[name] !== undefined);
    expect(installScripts).toEqual([]);
  });
});

describe("release metadata", () => {
  test("the version is semantic and the CHANGELOG has its section, keep-a-changelog style", () => {
    expect(semver.valid(pkg.version)).toBe(pkg.version);
    const changelog = fs.readFileSync(path.join(ROOT, "CHANGELOG.md"), "utf8");
    expect(changelog).toMatch(/keepachangelog\.com/);
    expect(changelog).toMatch(new RegExp(`^## \\[${pkg.version.replace(/\./g, "\\.")}\\] - (Unreleased|\\d{4}-\\d{2}-\\d{2})$`, "m"));
  });

  test("LICENSE is the Apache 2.0 text that package.json declares", () => {
    expect(pkg.license).toBe("Apache-2.0");
    const license = fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8");
    expect(license).toMatch(/Apache License\s+Version 2\.0, January 2004/);
    expect(license).toMatch(/END OF TERMS AND CONDITIONS/);
  });

  // npm builds a git dependency through prepack as well (pacote runs it before packing the clone).
  test("building stays a plain tsc run, also on install from git (prepack)", () => {
    expect(pkg.scripts.prepack).toBe("tsc -p tsconfig.json");
    expect(pkg.private).not.toBe(true);
  });
});
