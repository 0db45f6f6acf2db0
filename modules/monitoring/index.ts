export * from "./props";
export * from "./monitoring";
export { AURORA_MYSQL_MAX_CONNECTIONS, defaultMaxConnections } from "./max-connections";
