/**
 * IPv4 CIDR arithmetic for subnet layout.
 *
 * Why no dependency: everything here is 32-bit integer math over at most a few dozen blocks
 * (parse, align, offset, contain, overlap). The maintained IP libraries on npm bring BigInt-based
 * IPv6 support and several dependencies to consumers of this library for ~60 lines that are fully
 * covered by `__tests__/cidr.test.ts`.
 */

/** A parsed IPv4 block. `base` is the network address as an unsigned 32-bit integer. */
export interface Ipv4Block {
  readonly base: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns undefined when the text is not a valid, aligned IPv4 CIDR block. */
export function parseCidr(text: string): Ipv4Block | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  if (base % blockSize(prefix) !== 0) return undefined; // host bits set, e.g. 10.0.0.1/16
  return { base, prefix };
}

/** Why the text is not a CIDR block, for error messages; undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  if (parseCidr(text)) return undefined;
  const match = CIDR_PATTERN.exec(text);
  if (!match) return "is not an IPv4 CIDR block like 10.0.0.0/16";
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return "has an octet above 255";
  if (Number(match[5]) > 32) return "has a prefix length above 32";
  return "has host bits set (the address is not the first of its block)";
}

/** Number of addresses in a block of the given prefix length. */
export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** Formats a block back to `a.b.c.d/n`. */
export function formatCidr(block: Ipv4Block): string {
  const b = block.base;
  return `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${block.prefix}`;
}

/** The block of `prefix` length that starts `offset` addresses into `parent`. */
export function blockAt(parent: Ipv4Block, offset: number, prefix: number): Ipv4Block {
  return { base: (parent.base + offset) >>> 0, prefix };
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.base >= outer.base &&
    inner.base + blockSize(inner.prefix) <= outer.base + blockSize(outer.prefix)
  );
}

/** True when the two blocks share any address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return a.base < b.base + blockSize(b.prefix) && b.base < a.base + blockSize(a.prefix);
}
