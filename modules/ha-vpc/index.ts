export * from "./props";
export * from "./endpoints";
export * from "./ha-vpc";
export { azSlot, AZ_SLOTS } from "./layout";
