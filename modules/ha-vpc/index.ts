export * from "./props";
export * from "./ha-vpc";
export { azSlot, AZ_SLOTS } from "./layout";
