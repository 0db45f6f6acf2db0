// Stands in for cdktf's tokens/private/stack-trace.js in the mutation runs only (jest.stryker.config.js).
// cdktf records a full stack trace (Error.stackTraceLimit = MAX_SAFE_INTEGER) for every token it
// creates (each resource attribute reference, Lazy, Fn call), only to print it when a token fails to
// resolve. Under jest every such trace goes through source-map-support, which maps each frame
// through the transformed files' source maps: building the guardrails' full fixture took ~250 ms
// with it and ~10 ms without (3 Dec 2026, noisy shared machine), and each rule test builds one.
// No test reads a token's creation stack; a failing token still throws, with an empty trace.
exports.captureStackTrace = function captureStackTrace() {
  return [];
};
// CDK Terrain (cdktn 0.24) creates tokens through this one instead.
exports.captureCreationStack = function captureCreationStack() {
  return [];
};
