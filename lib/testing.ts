/**
 * `cdktf-aws-ha/testing`: what a team needs in its own tests, without the modules: the offline
 * plan harness, and the round trip on a local AWS emulator (`deployLocal`) with its gap list and
 * emulator helpers. Test helpers added later belong here too, not in the root export.
 */
export * from "./plan-offline";
export * from "./deploy-local";
export * from "./emulator-gaps";
export * from "./local-emulator";
