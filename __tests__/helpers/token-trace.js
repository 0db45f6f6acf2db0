// Child process for __tests__/synth-fast-path.test.ts: the process set-up of `npm run synth`
// (scripts/synth-setup.js), then a token whose resolution fails. Prints JSON: how many stack
// traces were formatted while creating 200 tokens, and the error message cdktf gives.
"use strict";
const os = require("os");
const fs = require("fs");
const path = require("path");
require("../../scripts/synth-setup").setUpSynth();
const { App, Lazy, TerraformOutput, TerraformStack } = require("cdktf");

// Count trace formatting while tokens are created (V8 calls prepareStackTrace to format one).
let formatted = 0;
const previous = Error.prepareStackTrace;
Error.prepareStackTrace = (error, frames) => {
  formatted++;
  return `${error}\n${frames.map((f) => `    at ${f}`).join("\n")}`;
};
const tokens = [];
for (let i = 0; i < 200; i++) tokens.push(Lazy.stringValue({ produce: () => `v${i}` }));
Error.prepareStackTrace = previous;

function failingOutput(stack) {
  return new TerraformOutput(stack, "broken", {
    value: Lazy.stringValue({
      produce: () => {
        throw new Error("the producer failed");
      },
    }),
  });
}
const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "token-trace-")), stackTraces: false });
failingOutput(new TerraformStack(app, "s"));
let message = "(no error)";
try {
  app.synth();
} catch (error) {
  message = error.message;
}
fs.rmSync(app.outdir, { recursive: true, force: true });
console.log(JSON.stringify({ formatted, message }));
