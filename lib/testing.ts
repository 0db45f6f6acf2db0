/**
 * `cdktf-aws-ha/testing`: what a team needs in its own tests, without the modules. Today the
 * offline plan harness; test helpers added later belong here too, not in the root export.
 */
export * from "./plan-offline";
