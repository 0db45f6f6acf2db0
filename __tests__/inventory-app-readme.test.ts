/**
 * The app's README documents every key of its config file: the keys the PHP app reads
 * (AppConfig's REQUIRED and DEFAULTS in workload/inventory-app/src/config.php) must each have a row,
 * with the default the app really uses.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const readme = fs.readFileSync(path.join(ROOT, "modules/inventory-app/README.md"), "utf8");
const configPhp = fs.readFileSync(path.join(ROOT, "workload/inventory-app/src/config.php"), "utf8");

/** `'key' => value,` entries of a PHP array constant. */
function phpArray(name: string): Map<string, string> {
  const body = new RegExp(`const ${name} = \\[([\\s\\S]*?)\\n    \\];`).exec(configPhp)![1];
  return new Map([...body.matchAll(/^\s*'([a-z_]+)' => ('[^']*'|[^,]+),/gm)].map(([, key, value]) => [key, value.trim()]));
}

/** Rows of the README's "Config file keys" table: key -> default column. */
function documentedKeys(): Map<string, string> {
  const section = readme.split("## Config file keys")[1].split("\n## ")[0];
  return new Map([...section.matchAll(/^\| `([a-z_]+)` \| [^|]+ \| ([^|]+) \|/gm)].map(([, key, def]) => [key, def.trim()]));
}

test("the README's config table has a row for every key the app reads, with its real default", () => {
  const required = phpArray("REQUIRED");
  const defaults = phpArray("DEFAULTS");
  const documented = documentedKeys();
  expect(required.size).toBeGreaterThanOrEqual(5);
  expect([...documented.keys()].sort()).toEqual([...required.keys(), ...defaults.keys()].sort());
  for (const key of required.keys()) expect(documented.get(key)).toBe("required");
  for (const [key, value] of defaults) {
    const shown = documented.get(key)!;
    if (value === "''") expect(shown).toMatch(/^empty/);
    else expect(shown).toContain(value.replace(/^'|'$/g, ""));
  }
});
