import { blockAt, cidrProblem, contains, formatCidr, overlaps, parseCidr } from "../lib/cidr";

describe("CIDR arithmetic", () => {
  test("parses and formats a block round-trip", () => {
    expect(formatCidr(parseCidr("10.0.0.0/16")!)).toBe("10.0.0.0/16");
    expect(formatCidr(parseCidr("192.168.255.240/28")!)).toBe("192.168.255.240/28");
    expect(parseCidr("255.255.255.255/32")!.base).toBe(0xffffffff);
  });

  test.each([
    ["10.0.0.0", "is not an IPv4 CIDR block"],
    ["10.0.0/16", "is not an IPv4 CIDR block"],
    ["10.0.0.256/24", "has an octet above 255"],
    ["10.0.0.0/33", "has a prefix length above 32"],
    ["10.0.0.1/16", "has host bits set"],
    ["fd00::/8", "is not an IPv4 CIDR block"],
    // The whole text must be the block: nothing before or after it.
    ["x10.0.0.0/16", "is not an IPv4 CIDR block"],
    ["110.0.0.0.0/16", "is not an IPv4 CIDR block"],
    ["10.0.0.0/16x", "is not an IPv4 CIDR block"],
    ["10.0.0.0/160", "is not an IPv4 CIDR block"],
  ])("rejects %s: %s", (text, problem) => {
    expect(parseCidr(text)).toBeUndefined();
    expect(cidrProblem(text)).toContain(problem);
  });

  test.each(["10.0.0.0/16", "10.255.255.255/32", "255.0.0.0/8", "0.0.0.0/0", "10.0.0.0/32"])("accepts %s, with no problem to report", (text) => {
    expect(parseCidr(text)).toBeDefined();
    expect(cidrProblem(text)).toBeUndefined();
  });

  test("GIVEN an octet of exactly 255 with host bits set THEN the problem is the host bits, not the octet", () => {
    expect(cidrProblem("10.0.0.255/16")).toBe("has host bits set (the address is not the first of its block)");
  });

  test("offsets stay unsigned above 128.0.0.0", () => {
    expect(formatCidr(blockAt(parseCidr("172.16.0.0/12")!, 0x8000, 20))).toBe("172.16.128.0/20");
    expect(formatCidr(blockAt(parseCidr("200.0.0.0/8")!, 0x10000, 16))).toBe("200.1.0.0/16");
  });

  test("containment and overlap", () => {
    const vpc = parseCidr("10.0.0.0/16")!;
    expect(contains(vpc, parseCidr("10.0.255.0/24")!)).toBe(true);
    expect(contains(vpc, parseCidr("10.1.0.0/24")!)).toBe(false);
    expect(contains(parseCidr("10.0.0.0/24")!, vpc)).toBe(false);
    expect(overlaps(parseCidr("10.0.0.0/20")!, parseCidr("10.0.15.0/24")!)).toBe(true);
    expect(overlaps(parseCidr("10.0.0.0/20")!, parseCidr("10.0.16.0/24")!)).toBe(false);
    // Either order, and blocks that only touch, do not overlap.
    expect(overlaps(parseCidr("10.0.16.0/24")!, parseCidr("10.0.0.0/20")!)).toBe(false);
    expect(overlaps(parseCidr("10.0.15.0/24")!, parseCidr("10.0.0.0/20")!)).toBe(true);
  });

  test("containment at the edges: the same block, the same start, a block starting before", () => {
    const vpc = parseCidr("10.0.0.0/16")!;
    expect(contains(vpc, vpc)).toBe(true);
    expect(contains(vpc, parseCidr("10.0.0.0/24")!)).toBe(true);
    expect(contains(parseCidr("10.0.1.0/24")!, parseCidr("10.0.0.0/24")!)).toBe(false);
    expect(contains(parseCidr("10.0.1.0/24")!, parseCidr("10.0.0.0/23")!)).toBe(false);
  });
});
