/**
 * The jest tests StrykerJS runs against each mutant (`npm run test:mutation`): the suites that
 * exercise the mutated code (modules/guardrails, the modules' validation files, lib/cidr.ts),
 * without the offline Terraform plans and the PHP/MariaDB/Chromium/cloud-init suites, which test
 * other code and would make a run take many hours on a 2-core machine.
 * STRYKER_TESTS=cidr,ha-vpc (file names without .test.ts) narrows the list for a partial run.
 */
const base = require("./jest.config.js");

const ALL = [
  "guardrails-rules",
  "guardrails-secrets",
  "guardrails-report",
  "guardrails-aspect",
  "bad-input",
  "cidr",
  "ha-vpc",
  "ha-vpc-validation",
  "app-tier-validation",
  "aurora-cluster-validation",
];
const chosen = process.env.STRYKER_TESTS ? process.env.STRYKER_TESTS.split(",").map((s) => s.trim()) : ALL;

module.exports = {
  ...base,
  testMatch: chosen.map((name) => `**/__tests__/${name}.test.ts`),
};
