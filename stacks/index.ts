export * from "./config";
export * from "./dev";
export * from "./lab";
