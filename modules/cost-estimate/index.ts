export * from "./assumptions";
export * from "./estimate";
export * from "./prices";
export * from "./compare";
export * from "./render";
export * from "./report";
