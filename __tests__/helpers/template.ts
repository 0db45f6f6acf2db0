import { TerraformStack, Testing } from "cdktf";
import { HaStack, HaStackProps } from "../../lib/ha-stack";

/** A synthesized resource: its Terraform type, logical name and attributes. */
export interface SynthResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, the Terraform address. */
  readonly address: string;
  readonly values: Record<string, any>;
}

/**
 * The synthesized JSON of one stack, with look-ups tests need. Built on `Testing.synth`, which
 * runs Aspects but not the synthesizer's error-annotation check; use planOffline or
 * `Template.synthStrict` where that check matters.
 */
export class Template {
  /** Synthesizes a stack (Aspects run). */
  public static of(stack: TerraformStack): Template {
    return new Template(JSON.parse(Testing.synth(stack)));
  }

  public constructor(public readonly json: Record<string, any>) {}

  /** Every resource of the given type, in synthesized order. */
  public resources(type: string): SynthResource[] {
    return Object.entries(this.json.resource?.[type] ?? {}).map(([name, values]) => ({
      type,
      name,
      address: `${type}.${name}`,
      values: values as Record<string, any>,
    }));
  }

  /** All resources of all types. */
  public allResources(): SynthResource[] {
    return Object.keys(this.json.resource ?? {}).flatMap((type) => this.resources(type));
  }

  /**
   * The one resource of a type whose construct path (below the stack) ends with `pathSuffix`,
   * e.g. "us-east-1a/PrivateSubnet"; throws otherwise. Works on the logical name, which is the
   * path joined by "_" plus a hash suffix.
   */
  public resource(type: string, pathSuffix: string): SynthResource {
    const suffix = pathSuffix.replace(/\//g, "_");
    const found = this.resources(type).filter((r) => {
      const withoutHash = r.name.replace(/_[0-9A-F]{8}$/, "");
      return withoutHash === suffix || withoutHash.endsWith(`_${suffix}`);
    });
    if (found.length !== 1) {
      throw new Error(`expected one ${type} at path ending "${pathSuffix}", found ${found.length}`);
    }
    return found[0];
  }

  /** Resources of a type whose values match the given subset. */
  public find(type: string, subset: Record<string, unknown>): SynthResource[] {
    return this.resources(type).filter((r) => matches(r.values, subset));
  }

  public count(type: string): number {
    return this.resources(type).length;
  }

  /** The `${type.name.attr}` reference to a resource, as it appears in other resources' values. */
  public static ref(resource: SynthResource, attribute = "id"): string {
    return `\${${resource.address}.${attribute}}`;
  }
}

function matches(actual: unknown, expected: unknown): boolean {
  if (expected !== null && typeof expected === "object" && !Array.isArray(expected)) {
    return (
      actual !== null &&
      typeof actual === "object" &&
      Object.entries(expected as Record<string, unknown>).every(([k, v]) => matches((actual as any)[k], v))
    );
  }
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && expected.length === actual.length && expected.every((v, i) => matches(actual[i], v));
  }
  return actual === expected;
}

/** A fresh HaStack in its own App, for module tests. */
export function testStack(props: Partial<HaStackProps> = {}, id = "test"): HaStack {
  return new HaStack(Testing.app(), id, { region: "us-east-1", environment: "test", ...props });
}
