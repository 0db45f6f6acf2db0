// Jest setup file: in every test file's module registry, cdktf's token creation stack traces are
// captured as always but formatted only when something reads them (scripts/synth-setup.js, as
// `npm run synth` does), so error messages are unchanged. Under jest each formatted frame also goes
// through source-map-support, which made building a full stack for a test cost ~20× more.
"use strict";
const { deferTokenStackTraces } = require("../../scripts/synth-setup");
deferTokenStackTraces();
