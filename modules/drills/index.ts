export * from "./props";
export * from "./drills";
export { predictAzLoss } from "./prediction";
