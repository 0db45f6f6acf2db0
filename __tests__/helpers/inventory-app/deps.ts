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

/**
 * `test` that runs only when `missing` is undefined: otherwise it is reported as skipped (with a
 * console message naming what is missing), or under CI fails with that message. Never a test that
 * returns early and is counted as passed.
 */
export function testUnless(missing: string | undefined, title: string, body: jest.ProvidesCallback): void {
  if (missing === undefined) {
    test(title, body);
  } else if (isCi()) {
    test(title, () => {
      throw new Error(`${missing} (CI: missing dependencies fail, they do not skip)`);
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(`SKIPPED ${title}: ${missing}`);
    test.skip(title, body);
  }
}

/** Why a test needing these programs cannot run here, or undefined when they are all installed. */
export function missingPrograms(programs: readonly string[]): string | undefined {
  const missing = missingDeps(programs);
  return missing.length === 0 ? undefined : `missing ${missing.join(", ")}; ${INSTALL_HINT}`;
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
