/**
 * Finds the system programs the inventory-app tests need. Locally a missing
 * program skips the suite with a message; under CI=true it fails the suite,
 * because CI installs them (.ci/install-workload-deps.sh) and a skip there
 * would hide a broken install.
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

export const isCi = (): boolean => /^(1|true|yes)$/i.test(process.env.CI ?? "");

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

/**
 * `describe` that runs only when the dependencies are there: otherwise it
 * skips with a console message, or under CI=true fails with one.
 */
export function describeWithDeps(title: string, programs: readonly string[], phpExtensions: readonly string[], body: () => void): void {
  const missing = missingDeps(programs, phpExtensions);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const message = `${title}: missing ${missing.join(", ")}; ${INSTALL_HINT}`;
  if (isCi()) {
    describe(title, () => {
      test("has its dependencies installed (CI=true: missing ones fail, they do not skip)", () => {
        throw new Error(message);
      });
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED ${message}`);
    describe.skip(title, body);
  }
}
