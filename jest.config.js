/** Tests live in __tests__/ as *.test.ts; helpers beside them (__tests__/helpers) are not matched. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.test.json", diagnostics: false }],
  },
  testTimeout: 120000,
  // cdktf's token creation stack traces, formatted only when read (as `npm run synth` does).
  setupFiles: ["<rootDir>/__tests__/helpers/defer-token-traces.js"],
  globalSetup: "<rootDir>/__tests__/helpers/global-setup.js",
  globalTeardown: "<rootDir>/__tests__/helpers/global-teardown.js",
};
