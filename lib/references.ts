/**
 * Following references in synthesized Terraform JSON, where a resource points at another through
 * an interpolation such as `${aws_subnet.Network_us-east-1a_PrivateSubnet_8EA1C219.id}`. One
 * reader for the diagram (lib/diagram.ts) and the guardrails (modules/guardrails).
 */

/** Interpolations, and resource addresses inside them (not `data.` sources, not attributes). */
const INTERPOLATION = /\$\{([^}]*)\}/g;
const ADDRESS = /(?<![\w.])(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)/g;

/** Every resource address referenced anywhere in a value, in order of appearance, optionally of given types. */
export function referencedAddresses(value: unknown, types?: readonly string[]): string[] {
  const found: string[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") {
      for (const [, expression] of v.matchAll(INTERPOLATION)) {
        for (const [, type, name] of expression.matchAll(ADDRESS)) {
          if (!types || types.includes(type)) found.push(`${type}.${name}`);
        }
      }
    } else if (Array.isArray(v)) {
      v.forEach(visit);
    } else if (v !== null && typeof v === "object") {
      Object.values(v).forEach(visit);
    }
  };
  visit(value);
  return [...new Set(found)];
}
