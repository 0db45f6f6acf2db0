/**
 * The jest tests StrykerJS runs against each mutant (`npm run test:mutation`, scripts/mutation.ts):
 * the suites that exercise the mutated code (modules/guardrails, the modules' validation files,
 * lib/cidr.ts), without the offline Terraform plans (the plan suites are not listed, and
 * STRYKER_SKIP_OFFLINE_PLANS=1 skips the one plan of guardrails-stacks.test.ts) and the
 * PHP/MariaDB/Chromium/cloud-init suites, which test other code and would make a run take many
 * hours on a 2-core machine.
 * scripts/mutation.ts sets, per group of mutated files:
 *   STRYKER_TESTS=cidr,ha-vpc       test files (names without .test.ts); all of ALL when unset;
 *   STRYKER_TEST_NAMES=<regex>      a jest test-name pattern (e.g. one rule family's rows of
 *                                   guardrails-rules.test.ts); all tests when unset or empty.
 * cdktf's token stack traces are replaced by an empty one (see the helper) — they cost ~95 % of
 * building a test stack under jest and no test reads them.
 */
const base = require("./jest.config.js");

const ALL = [
  "guardrails-rules",
  "guardrails-secrets",
  "guardrails-report",
  "guardrails-report-endpoints",
  "guardrails-aspect",
  "bad-input",
  "cidr",
  "ha-vpc",
  "ha-vpc-validation",
  "app-tier-validation",
  "aurora-cluster-validation",
  "monitoring",
  "drills",
];
const chosen = process.env.STRYKER_TESTS ? process.env.STRYKER_TESTS.split(",").map((s) => s.trim()) : ALL;

module.exports = {
  ...base,
  testMatch: chosen.map((name) => `**/__tests__/${name}.test.ts`),
  ...(process.env.STRYKER_TEST_NAMES ? { testNamePattern: process.env.STRYKER_TEST_NAMES } : {}),
  // No capture at all here (the stub below), so not the deferring set-up file either.
  setupFiles: [],
  moduleNameMapper: {
    // cdktf/lib/tokens/private/stack-trace.js, as lazy.js, intrinsic.js and the dynamic blocks require it.
    "^(\\./|\\.\\./)*(tokens/)?(private/)?stack-trace$": "<rootDir>/__tests__/helpers/stryker/no-token-stack-trace.js",
  },
};
