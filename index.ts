/** cdktf-aws-ha: CDKTF modules for a highly available three-tier web system on AWS. */
export * from "./lib/errors";
export * from "./lib/ha-stack";
export * from "./lib/plan-offline";
export * from "./modules/ha-vpc";
export * from "./modules/app-tier";
export * from "./modules/aurora-cluster";
export * from "./modules/inventory-app";
export * from "./modules/guardrails";
export * from "./modules/cost-estimate";
export * from "./modules/monitoring";
export * from "./modules/drills";
