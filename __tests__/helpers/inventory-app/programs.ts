/**
 * Finds the system programs the inventory-app tests and `npm run bench:app` need (no jest here,
 * so the benchmark compiles with the library's tsconfig).
 */
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";

/** sbin folders are not on every PATH, but mariadbd lives in /usr/sbin on Debian. */
const EXTRA_DIRS = ["/usr/sbin", "/usr/local/sbin", "/sbin"];
export const INSTALL_HINT = "run `bash .ci/install-workload-deps.sh` (as root) to install it";

export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), ...EXTRA_DIRS].filter(Boolean);
  for (const dir of dirs) {
    const full = path.join(dir, name);
    try {
      fs.accessSync(full, fs.constants.X_OK);
      return full;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * True under CI. CI systems set CI differently (GitHub and GitLab "true", others "1", "yes", a
 * build number or a name), so any value but empty and the explicit no-forms counts: a missing
 * program must never turn into a silent skip on a CI machine.
 */
export const isCi = (env: NodeJS.ProcessEnv = process.env): boolean => {
  const value = (env.CI ?? "").trim().toLowerCase();
  return value !== "" && !["0", "false", "no", "off"].includes(value);
};

/** Programs by name plus PHP extensions; returns what is missing, with the reason. */
export function missingDeps(programs: readonly string[], phpExtensions: readonly string[] = []): string[] {
  const missing = programs.filter((p) => !findProgram(p)).map((p) => `program "${p}"`);
  const php = findProgram("php");
  if (php && phpExtensions.length > 0) {
    const loaded = spawnSync(php, ["-m"], { encoding: "utf8" }).stdout.toLowerCase().split("\n").map((l) => l.trim());
    missing.push(...phpExtensions.filter((e) => !loaded.includes(e)).map((e) => `PHP extension "${e}"`));
  }
  return missing;
}
