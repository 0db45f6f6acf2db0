/**
 * The READMEs are part of the product: what a team copies from them compiles against the built
 * package, what they point at ships in the package, and what the package exports is documented.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { NO_COMPILE, extractSnippets, readmes, typeCheckSnippets } from "./helpers/readme-snippets";

const ROOT = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const READMES = readmes();
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
/** Fragments are allowed, marked `ts nocompile`, but kept rare. */
const MAX_FRAGMENTS = 2;

let packed: Set<string>;

beforeAll(() => {
  // `npm pack` builds first (prepack), so dist/ is current both for the list and for the type-check.
  const out = execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  packed = new Set((JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0].files.map((f) => f.path));
});

describe("README TypeScript blocks compile against the built package, as a consumer imports it", () => {
  const snippets = READMES.flatMap((file) => extractSnippets(file, read(file)));

  test("every ```ts block of README.md and the module READMEs type-checks (strict, cdktf init's tsconfig)", () => {
    const checked = snippets.filter((s) => !s.fragment);
    expect(checked.length).toBeGreaterThan(READMES.length); // the extractor found the blocks
    const errors = typeCheckSnippets(checked).map((d) => `${d.readme}:${d.line}: ${d.message}`);
    expect(errors).toEqual([]);
  });

  test(`blocks that are fragments on purpose are marked \`ts ${NO_COMPILE}\`, and there are at most ${MAX_FRAGMENTS}`, () => {
    expect(snippets.filter((s) => s.fragment).map((s) => `${s.readme}:${s.line}`).length).toBeLessThanOrEqual(MAX_FRAGMENTS);
  });

  test("the checker catches a block that does not compile, and an import the package does not export, at their README lines", () => {
    const text = ["# x", "", "```ts", 'import { HaStack } from "cdktf-aws-ha";', "", 'new HaStack(app, "s", { region: "eu-west-1" });', "```", ""].join("\n");
    const deep = '```typescript\nimport { subnetLayout } from "cdktf-aws-ha/dist/modules/ha-vpc/layout";\n```\n';
    const errors = typeCheckSnippets([...extractSnippets("FAKE.md", text), ...extractSnippets("DEEP.md", deep)]);
    expect(errors.map((e) => `${e.readme}:${e.line}`).sort()).toEqual(["DEEP.md:2", "FAKE.md:6", "FAKE.md:6"]);
    expect(errors.map((e) => e.message).join("\n")).toMatch(/Cannot find name 'app'[\s\S]*environment/);
  });
});

describe("a new project can follow the README from an empty directory", () => {
  const readme = read("README.md");
  const setup = [...readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]).find((b) => b.startsWith("npm init -y")) ?? "";
  /** Package names the setup block installs (versions stripped). */
  const installed = new Set(
    setup
      .split("\n")
      .filter((l) => /^npm install\b/.test(l))
      .flatMap((l) => l.replace(/#.*$/, "").trim().split(/\s+/).slice(2))
      .filter((a) => !a.startsWith("-"))
      .map((a) => a.replace(/^(@?[^@]+)@.*$/, "$1")),
  );
  const files = Object.fromEntries([...readme.matchAll(/^```\w+ file=(\S+)\n([\s\S]*?)^```$/gm)].map((m) => [m[1], m[2]]));

  test("its setup installs the library, the peers, and cdktf-cli so that `npx cdktf synth` works", () => {
    expect([...installed]).toEqual(expect.arrayContaining([pkg.name, ...Object.keys(pkg.peerDependencies), "cdktf-cli", "typescript"]));
  });

  test("its files (cdktf.json, tsconfig, jest config, stack, app, test) need nothing the setup does not install", () => {
    expect(Object.keys(files).sort()).toEqual(["cdktf.json", "jest.config.js", "main.ts", "shop-stack.test.ts", "shop-stack.ts", "tsconfig.json"]);
    const imported = Object.values(files).flatMap((code) => [...code.matchAll(/from "([^".][^"]*)"/g)].map((m) => m[1]));
    const packages = imported.filter((s) => !s.startsWith("node:") && !["fs", "path", "os"].includes(s)).map((s) => s.match(/^(@[^/]+\/[^/]+|[^/]+)/)![1]);
    expect(packages.filter((p) => !installed.has(p))).toEqual([]);
    // The app command's runner, and the jest preset and types.
    const app = JSON.parse(files["cdktf.json"]).app as string;
    expect(installed.has(app.replace(/^npx\s+/, "").split(/\s+/)[0])).toBe(true);
    expect(["jest", "ts-jest", "@types/jest", "@types/node"].filter((p) => !installed.has(p))).toEqual([]);
  });

  test("it says how to install an unpublished build: pack, then install the tarball", () => {
    expect(readme).toMatch(/npm pack/);
    expect(readme).toMatch(/npm install \S+\.tgz/);
  });

  test("it recommends an app command with measured figures, and cdktf.json uses it", () => {
    const section = readme.slice(readme.indexOf("### Which app command"), readme.indexOf("\n### ", readme.indexOf("### Which app command") + 1));
    const app = JSON.parse(files["cdktf.json"]).app as string;
    expect(section).toContain(`Recommended: **\`${app}\`**`);
    const rows = section.split("\n").filter((l) => /^\| `[^`]+` \|.*\d+(\.\d+)? s/.test(l));
    expect(rows.length).toBeGreaterThanOrEqual(4); // ts-node, ts-node --transpile-only, tsx, compiled
    expect(rows.some((r) => r.includes(`\`${app}\``))).toBe(true);
  });
});

/** Markdown links `[text](target)` of a text, with their line. */
function links(text: string): Array<{ target: string; line: number }> {
  const out: Array<{ target: string; line: number }> = [];
  text.split("\n").forEach((l, i) => {
    for (const m of l.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) out.push({ target: m[1], line: i + 1 });
  });
  return out;
}

/** Code spans that name a source file or a folder (`log-delivery.ts`, `stacks/outputs.ts`, `rules/`), with their line; not outputs such as `ha-report.md`. */
function citedFiles(text: string): Array<{ target: string; line: number }> {
  const out: Array<{ target: string; line: number }> = [];
  const prose = text.replace(/^(`{3,}|~{3,})[\s\S]*?^\1\s*$/gm, (block) => block.replace(/[^\n]/g, " "));
  prose.split("\n").forEach((l, i) => {
    for (const m of l.matchAll(/`([^`\s]+)`/g)) {
      const span = m[1];
      if (span.startsWith("/") || /^[a-z]+:/.test(span) || span.includes("*")) continue; // a path on the instance, a URL, a glob
      if (/^[\w@.-]+(\/[\w@.-]+)*(\.(ts|js|php|sh)|\/)$/.test(span)) out.push({ target: span, line: i + 1 });
    }
  });
  return out;
}

/** Where `target`, as a README at `readme` cites it, is in the package: beside the README, or from the package root. */
function shipped(readme: string, target: string): boolean {
  const clean = target.replace(/[#?].*$/, "");
  const candidates = [path.posix.normalize(path.posix.join(path.posix.dirname(readme), clean)), path.posix.normalize(clean)];
  return candidates.some((c) => {
    const p = c.replace(/\/$/, "");
    return packed.has(p) || packed.has(`${p}/README.md`) || [...packed].some((f) => f.startsWith(`${p}/`));
  });
}

describe("shipped READMEs point only at files the package ships", () => {
  test.each(READMES)("every relative link in %s resolves to a packed file", (readme) => {
    expect(packed.has(readme)).toBe(true);
    const broken = links(read(readme))
      .filter(({ target }) => !/^([a-z]+:|#)/.test(target))
      .filter(({ target }) => !shipped(readme, target))
      .map(({ target, line }) => `${readme}:${line}: ${target}`);
    expect(broken).toEqual([]);
  });

  // The repository's test suites are named (`*.test.ts`) to say what is tested; nothing else unshipped is cited.
  test.each(READMES.filter((r) => r.startsWith("modules/")))("every file %s cites in a code span ships", (readme) => {
    const missing = citedFiles(read(readme))
      .filter(({ target }) => !/\.test\.ts$/.test(target))
      .filter(({ target }) => !shipped(readme, target))
      .map(({ target, line }) => `${readme}:${line}: ${target}`);
    expect(missing).toEqual([]);
  });

  test("the checks catch a link and a citation of unshipped files", () => {
    const text = "See [the outputs](../../stacks/outputs.ts) and `log-delivery.ts`; [the app](../../workload/inventory-app).";
    expect(links(text).filter(({ target }) => !shipped("modules/app-tier/README.md", target)).map((l) => l.target)).toEqual(["../../stacks/outputs.ts"]);
    expect(citedFiles(text).filter(({ target }) => !shipped("modules/app-tier/README.md", target)).map((l) => l.target)).toEqual(["log-delivery.ts"]);
  });
});

describe("every export is documented", () => {
  /** Subpaths whose runtime exports README.md or the module's README must name (a `PREFIX_*` row covers its constants). */
  const DOCUMENTED: Record<string, string> = {
    "./inventory-app": "modules/inventory-app/README.md",
    "./testing": "README.md",
    "./diagram": "README.md",
  };

  test.each(Object.keys(DOCUMENTED))("each runtime export of cdktf-aws-ha%s is named in its README", (subpath) => {
    const exported = Object.keys(require(path.join(ROOT, (pkg.exports[subpath] as { default: string }).default)));
    const doc = read(DOCUMENTED[subpath]);
    const prefixes = [...doc.matchAll(/`([A-Z][A-Z0-9]*_)\*`/g)].map((m) => m[1]);
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.filter((name) => !new RegExp(`\\b${name}\\b`).test(doc) && !prefixes.some((p) => name.startsWith(p)))).toEqual([]);
  });

  test("the inventory app's bundling internals are not exported, from its subpath or the root", () => {
    const internals = ["findPackageRoot", "readAppFiles", "stripPhp", "tarFiles"];
    for (const target of [pkg.exports["./inventory-app"].default, pkg.exports["."].default]) {
      const mod = require(path.join(ROOT, target));
      expect(internals.filter((name) => name in mod)).toEqual([]);
    }
  });
});
