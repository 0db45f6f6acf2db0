/**
 * The TypeScript blocks of the READMEs a user reads (README.md and every modules/<name>/README.md),
 * and a type-check of them as a consumer project would compile them: `cdktf-aws-ha` resolved through
 * the built package's exports map (a node_modules link to this repository, so dist/ and its .d.ts),
 * the peers the project installs beside it, and the strict tsconfig `cdktf init` writes.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");

/** Info strings of a fenced block that make it TypeScript. */
const TS_LANGUAGES = new Set(["ts", "typescript"]);
/** The marker of a block that is a fragment on purpose (`ts nocompile`); keep them rare. */
export const NO_COMPILE = "nocompile";

export interface Snippet {
  /** README path relative to the repository root. */
  readonly readme: string;
  /** 1-based line of the block's first code line in the README. */
  readonly line: number;
  readonly code: string;
  /** Marked `nocompile`: shown as a fragment, not checked. */
  readonly fragment: boolean;
  /** The file the README tells the user to save the block as (`ts file=shop-stack.ts`), if any. */
  readonly file?: string;
}

/** README.md and each module README: the ones the package ships. */
export function readmes(): string[] {
  const modules = fs
    .readdirSync(path.join(ROOT, "modules"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, "modules", d.name, "README.md")))
    .map((d) => `modules/${d.name}/README.md`)
    .sort();
  return ["README.md", ...modules];
}

/** Every fenced ```ts / ```typescript block of a Markdown text. */
export function extractSnippets(readme: string, text: string): Snippet[] {
  const lines = text.split("\n");
  const out: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)\s*(.*)$/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, language, rest] = open;
    let end = i + 1;
    while (end < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[end])) end++;
    if (TS_LANGUAGES.has(language.toLowerCase())) {
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join("\n");
      const words = rest.split(/\s+/);
      const file = words.find((w) => w.startsWith("file="))?.slice("file=".length);
      out.push({ readme, line: i + 2, code, fragment: words.includes(NO_COMPILE), ...(file ? { file } : {}) });
    }
    i = end;
  }
  return out;
}

export interface SnippetDiagnostic {
  readonly readme: string;
  /** Line in the README. */
  readonly line: number;
  readonly message: string;
}

/** Packages a consumer installs beside cdktf-aws-ha (linked from this repository's node_modules). */
const CONSUMER_PACKAGES = ["cdktf", "constructs", "@cdktf/provider-aws", "@types/node", "@types/jest"];

/**
 * Type-checks the snippets, each as its own module file of one consumer project, and returns the
 * errors with their README line. dist/ must be built (npm test builds first).
 */
export function typeCheckSnippets(snippets: readonly Snippet[]): SnippetDiagnostic[] {
  if (!fs.existsSync(path.join(ROOT, "dist", "index.d.ts"))) {
    throw new Error("dist/index.d.ts is missing: run `npm run build` (npm test builds first)");
  }
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "readme-snippets-"));
  try {
    const modules = path.join(project, "node_modules");
    fs.mkdirSync(path.join(modules, "@types"), { recursive: true });
    fs.mkdirSync(path.join(modules, "@cdktf"), { recursive: true });
    fs.symlinkSync(ROOT, path.join(modules, "cdktf-aws-ha"), "dir");
    for (const name of CONSUMER_PACKAGES) fs.symlinkSync(path.join(ROOT, "node_modules", name), path.join(modules, name), "dir");

    const files = new Map<string, Snippet>();
    snippets.forEach((snippet, i) => {
      // A block saved under a name (`ts file=shop-stack.ts`) is a file other blocks import; blocks of
      // one README share a folder, so `./shop-stack` resolves to it.
      const dir = path.join(project, snippet.readme.replace(/[^\w.-]+/g, "_"));
      fs.mkdirSync(dir, { recursive: true });
      const file = path.join(dir, snippet.file ?? `snippet-${i}.ts`);
      // `export {}` makes each block a module of its own, so two blocks may both declare `app`.
      fs.writeFileSync(file, `${snippet.code}\nexport {};\n`);
      files.set(file, snippet);
    });

    // The compiler options of `cdktf init --template=typescript` (see __tests__/consumer/tsconfig.json),
    // except unused locals: a README block may name a value only to show it.
    const options: ts.CompilerOptions = {
      alwaysStrict: true,
      experimentalDecorators: true,
      lib: ["lib.es2022.d.ts"],
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      noFallthroughCasesInSwitch: true,
      noImplicitAny: true,
      noImplicitReturns: true,
      noImplicitThis: true,
      resolveJsonModule: true,
      strict: true,
      strictNullChecks: true,
      strictPropertyInitialization: true,
      target: ts.ScriptTarget.ES2022,
      types: ["node", "jest"],
      typeRoots: [path.join(modules, "@types")],
      skipLibCheck: true,
      noEmit: true,
    };
    const program = ts.createProgram([...files.keys()], options);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    return diagnostics.map((d) => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const snippet = d.file ? files.get(path.resolve(d.file.fileName)) : undefined;
      if (!d.file || !snippet) return { readme: d.file?.fileName ?? "(global)", line: 0, message: `TS${d.code}: ${message}` };
      const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
      return { readme: snippet.readme, line: snippet.line + line, message: `TS${d.code}: ${message}` };
    });
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}
