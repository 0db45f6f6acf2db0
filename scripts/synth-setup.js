// Process set-up for this project's synth commands (`npm run synth` / the cdktf app command, and
// the bench's synth-copies): things that make synth cheaper without changing a byte of its output.
// Plain JavaScript, loaded before cdktf creates its first token. CDKTF_AWS_HA_SLOW_SYNTH=1 turns
// every optimisation off (the byte-identity test in __tests__/synth-fast-path.test.ts compares both).
"use strict";

/** True when the synth optimisations are on (the default). */
function synthOptimisationsOn() {
  return process.env.CDKTF_AWS_HA_SLOW_SYNTH !== "1";
}

/**
 * cdktf records where each token was created (Intrinsic, Lazy, ComplexResolvable, …) as a full
 * stack trace, formatted into strings at once, only to print it if resolving that token fails
 * ("Object creation stack: …"). Formatting a few thousand traces is a measurable part of a synth.
 * This keeps the capture (so the frames are the same ones) and formats them only when something
 * reads `creationStack`: the error messages stay exactly what they were.
 */
function deferTokenStackTraces() {
  const stackTrace = require("cdktf/lib/tokens/private/stack-trace");
  const original = stackTrace.captureStackTrace;
  if (typeof original !== "function" || original.deferred) return;
  const deferred = function captureStackTrace(below) {
    const holder = { stack: "" };
    const previousLimit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = Number.MAX_SAFE_INTEGER;
      Error.captureStackTrace(holder, below || deferred);
    } finally {
      Error.stackTraceLimit = previousLimit;
    }
    // Same lines as cdktf's own captureStackTrace, produced on first use.
    const lines = [];
    let formatted = false;
    const format = () => {
      if (!formatted) {
        formatted = true;
        if (holder.stack) lines.push(...holder.stack.split("\n").slice(1).map((s) => s.replace(/^\s*at\s+/, "")));
      }
      return lines;
    };
    return new Proxy(lines, {
      get: (_target, key) => Reflect.get(format(), key),
      has: (_target, key) => Reflect.has(format(), key),
      ownKeys: () => Reflect.ownKeys(format()),
      getOwnPropertyDescriptor: (_target, key) => Reflect.getOwnPropertyDescriptor(format(), key),
      set: (_target, key, value) => Reflect.set(format(), key, value),
    });
  };
  deferred.deferred = true;
  stackTrace.captureStackTrace = deferred;
  // CDK Terrain (cdktn 0.24) creates tokens through captureCreationStack, which calls the module's
  // own captureStackTrace directly (so the line above does not reach it) and returns [] when
  // CDKTN_DISABLE_CREATION_STACK is true or 1. The same function, deferred; cdktf 0.21 has none.
  if (typeof stackTrace.captureCreationStack === "function") {
    const creation = function captureCreationStack() {
      const flag = process.env.CDKTN_DISABLE_CREATION_STACK;
      if (flag === "true" || flag === "1") return [];
      return deferred(creation);
    };
    stackTrace.captureCreationStack = creation;
  }
}

/** Applies the optimisations for this process; call before loading the app. */
function setUpSynth() {
  if (!synthOptimisationsOn()) return;
  deferTokenStackTraces();
}

module.exports = { setUpSynth, synthOptimisationsOn, deferTokenStackTraces };
