import { execFileSync } from "child_process";

/**
 * Offline-plan tests need Terraform. Locally they are skipped with a message where it is absent;
 * in CI (CI=true) a missing Terraform fails instead, so the strongest check can't vanish silently.
 */
export function terraformAvailable(): boolean {
  // Mutation runs (npm run test:mutation) mutate the guardrails, validation and cidr code, which the
  // plans do not test further; a plan costs seconds for each mutant that runs the whole group.
  if (process.env.STRYKER_SKIP_OFFLINE_PLANS === "1") return false;
  try {
    execFileSync(process.env.CDKTF_AWS_HA_TERRAFORM ?? "terraform", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    if (process.env.CI) throw new Error("terraform is not installed, and CI must run the offline plans");
    console.warn("terraform not found: skipping offline plan tests (CI runs them)");
    return false;
  }
}

/** `describe` that runs only where Terraform is installed (always in CI). */
export const describeWithTerraform = terraformAvailable() ? describe : describe.skip;

/** `test` that runs only where Terraform is installed (always in CI). */
export const testWithTerraform = terraformAvailable() ? test : test.skip;
