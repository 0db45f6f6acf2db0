// Preloaded (node --require) by __tests__/synth-fast-path.test.ts into `npm run synth`: counts the
// module files the process loads and the stack traces V8 formats, and writes both as JSON to the
// file named by COUNT_LOAD_OUT when the process exits.
"use strict";
const fs = require("fs");
let formatted = 0;
Error.prepareStackTrace = (error, frames) => {
  formatted++;
  return `${error}\n${frames.map((f) => `    at ${f}`).join("\n")}`;
};
process.on("exit", () => {
  const modules = Object.keys(require.cache).filter((f) => !f.endsWith("count-load.js")).length;
  fs.writeFileSync(process.env.COUNT_LOAD_OUT, JSON.stringify({ modules, formatted }));
});
