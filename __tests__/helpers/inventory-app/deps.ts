/**
 * Finds the system programs the inventory-app tests need. Locally a missing
 * program skips the suite with a message; under CI it fails the suite,
 * because CI installs them (.ci/install-workload-deps.sh) and a skip there
 * would hide a broken install.
 */

export { INSTALL_HINT, findProgram, isCi, missingDeps } from "./programs";
import { INSTALL_HINT, isCi, missingDeps } from "./programs";

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
