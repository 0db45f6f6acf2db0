export * from "./props";
export * from "./aurora-cluster";
export { planInstancePlacements, promotableAfterLosing, supportsPerformanceInsights } from "./placement";
export { MYSQL_80_RESERVED_WORDS, RDS_RESERVED_USERS } from "./reserved-names";
