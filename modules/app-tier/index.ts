export * from "./props";
export * from "./app-tier";
export { ELB_LOG_DELIVERY_ACCOUNTS, ELB_LOG_DELIVERY_SERVICE, logDeliveryPrincipal } from "./log-delivery";
export { instanceArchitecture } from "./validation";
export { encodeUserData } from "./user-data";
