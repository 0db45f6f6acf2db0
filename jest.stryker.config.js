/**
 * The jest tests StrykerJS runs against each mutant (`npm run test:mutation`): the suites that
 * exercise the mutated code (modules/guardrails, the modules' validation files, lib/cidr.ts),
 * without the offline Terraform plans and the PHP/MariaDB/Chromium suites, which test other code
 * and would make a run take hours on a 2-core machine.
 */
const base = require("./jest.config.js");

module.exports = {
  ...base,
  testMatch: [
    "**/__tests__/guardrails-rules.test.ts",
    "**/__tests__/guardrails-secrets.test.ts",
    "**/__tests__/guardrails-report.test.ts",
    "**/__tests__/guardrails-aspect.test.ts",
    "**/__tests__/bad-input.test.ts",
    "**/__tests__/cidr.test.ts",
    "**/__tests__/ha-vpc.test.ts",
    "**/__tests__/app-tier-validation.test.ts",
    "**/__tests__/aurora-cluster-validation.test.ts",
  ],
};
