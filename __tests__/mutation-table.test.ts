/**
 * The README's mutation-score table (`npm run test:mutation`, scripts/mutation.ts): built from the
 * groups' reports, and, for a file whose report is not in the checkout, from the table already in the
 * README, marked, so a fresh clone or a partial run never turns a measured row into "not yet scored".
 */
import { Counts, empty, rowsOf, scopeFiles, scoreTable, tidyReasons } from "../scripts/mutation";

const counts = (c: Partial<Counts>): Counts => ({ ...empty(), ...c });

/** Every file in scope measured: 10 killed each, except where given. */
function allMeasured(except: Record<string, Counts | undefined> = {}): Map<string, Counts> {
  const measured = new Map<string, Counts>();
  for (const file of scopeFiles()) {
    const c = file in except ? except[file] : counts({ killed: 10 });
    if (c) measured.set(file, c);
  }
  return measured;
}

const lineOf = (table: string, label: string) => table.split("\n").find((l) => l.startsWith(`| ${label} |`));

describe("mutation score table", () => {
  test("GIVEN every file measured THEN each file and folder has its row and score, and no row is marked as earlier", async () => {
    const table = await scoreTable(
      "",
      allMeasured({ "lib/cidr.ts": counts({ killed: 70, timeout: 3, survived: 3, typeErrors: 17 }) }),
    );
    expect(lineOf(table, "`lib/cidr.ts`")).toBe("| `lib/cidr.ts` | 76 | 73 | 3 | 0 | 96.1 % | 17 | 0 |");
    expect(lineOf(table, "**`lib/`**")).toBe("| **`lib/`** | 76 | 73 | 3 | 0 | 96.1 % | 17 | 0 |");
    const files = scopeFiles().length;
    expect(lineOf(table, "**all scored files**")).toBe(
      `| **all scored files** | ${(files - 1) * 10 + 76} | ${(files - 1) * 10 + 73} | 3 | 0 | ${(((files - 1) * 10 + 73) / ((files - 1) * 10 + 76) * 100).toFixed(1)} % | 17 | 0 |`,
    );
    expect(table).not.toContain("‡");
  });

  test("GIVEN a file with no report WHEN the README's table has its row THEN that row is kept, marked, and counted in its folder and the total", async () => {
    const previous = await scoreTable(
      "",
      allMeasured({ "modules/guardrails/secrets.ts": counts({ killed: 275, survived: 31, noCoverage: 2, typeErrors: 57, crashes: 9 }) }),
    );
    const table = await scoreTable(previous, allMeasured({ "modules/guardrails/secrets.ts": undefined }));
    expect(lineOf(table, "`modules/guardrails/secrets.ts` ‡")).toBe("| `modules/guardrails/secrets.ts` ‡ | 308 | 275 | 31 | 2 | 89.3 % | 57 | 9 |");
    expect(lineOf(table, "**`modules/guardrails/`**")).toBe(lineOf(previous, "**`modules/guardrails/`**"));
    expect(lineOf(table, "**all scored files**")).toBe(lineOf(previous, "**all scored files**"));
    expect(table).toContain("‡ from an earlier run whose report");
    // Read again (a second partial run): the marked row keeps its numbers and its mark.
    expect(await scoreTable(table, allMeasured({ "modules/guardrails/secrets.ts": undefined }))).toBe(table);
    // Once its group has a report again, the report's numbers replace the row and the mark goes.
    const refreshed = await scoreTable(table, allMeasured({ "modules/guardrails/secrets.ts": counts({ killed: 300, survived: 8 }) }));
    expect(lineOf(refreshed, "`modules/guardrails/secrets.ts`")).toBe("| `modules/guardrails/secrets.ts` | 308 | 300 | 8 | 0 | 97.4 % | 0 | 0 |");
    expect(refreshed).not.toContain("‡");
  });

  test("GIVEN rows of the table THEN rowsOf reads detected, survived, no coverage, type errors and crashes, and skips folder and other lines", async () => {
    const rows = rowsOf(
      [
        "| folder / file | mutants | killed | survived | no coverage | score | type errors | suite crashes |",
        "| **`lib/`** | 76 | 73 | 3 | 0 | 96.1 % | 17 | 0 |",
        "| `lib/cidr.ts` | 76 | 73 | 3 | 0 | 96.1 % | 17 | 0 |",
        "| `modules/guardrails/guardrails.ts` ‡ | 114 | 105 | 8 | 1 | 92.1 % | 52 | 10 |",
        "| `modules/guardrails/rule-helpers.ts` | not yet scored (224 mutants, type errors included) | | | | | | |",
      ].join("\n"),
    );
    expect([...rows.keys()]).toEqual(["lib/cidr.ts", "modules/guardrails/guardrails.ts"]);
    expect(rows.get("modules/guardrails/guardrails.ts")).toEqual(counts({ killed: 105, survived: 8, noCoverage: 1, typeErrors: 52, crashes: 10 }));
  });
});

describe("committed reports", () => {
  test("GIVEN Stryker's reasons with stack traces and this machine's paths THEN the report keeps each reason's first line, paths relative", () => {
    const root = "/home/ci/my.project";
    const report = {
      files: {
        "modules/guardrails/aspect.ts": {
          mutants: [
            {
              status: "RuntimeError",
              statusReason: `Error: Only root constructs may have an empty ID at ${root}/.stryker-tmp/core/sandbox-AbC12/modules/guardrails/aspect.ts:96:25\n    at new Node (${root}/node_modules/constructs/src/construct.ts:80:13)`,
            },
            { status: "CompileError", statusReason: "modules/guardrails/aspect.ts(33,19): error TS2564: Property 'packs' has no initializer" },
            { status: "Killed", statusReason: `expect(received).toEqual(expected) in ${root}/__tests__/x.test.ts\n\n- Expected` },
            { status: "Survived" },
            { status: "Killed", statusReason: "/home/ci/myXproject/lib/a.ts stays: only this checkout's path is taken out" },
          ],
        },
      },
    };
    expect(tidyReasons(report, root).files["modules/guardrails/aspect.ts"].mutants).toEqual([
      { status: "RuntimeError", statusReason: "Error: Only root constructs may have an empty ID at modules/guardrails/aspect.ts:96:25" },
      { status: "CompileError", statusReason: "modules/guardrails/aspect.ts(33,19): error TS2564: Property 'packs' has no initializer" },
      { status: "Killed", statusReason: "expect(received).toEqual(expected) in __tests__/x.test.ts" },
      { status: "Survived" },
      { status: "Killed", statusReason: "/home/ci/myXproject/lib/a.ts stays: only this checkout's path is taken out" },
    ]);
  });
});
