import { IConstruct } from "constructs";

/**
 * The one error class of the library: bad input, found at synth time before Terraform sees it.
 *
 * Messages name the field, the value and the fix, e.g.
 * `HaVpc: azs (["us-east-1a"]) has 1 AZ; pass 2 to 6 AZs, or set allowSingleAz: true`.
 * When a construct is given, its path is prefixed so the message says where.
 */
export class ValidationError extends Error {
  constructor(message: string, scope?: IConstruct) {
    super(scope ? `[${scope.node.path}] ${message}` : message);
    this.name = "ValidationError";
  }
}

/** Renders a user value for an error message: strings quoted, arrays and objects as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  return JSON.stringify(value);
}
