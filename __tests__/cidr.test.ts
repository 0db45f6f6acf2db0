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
  ])("rejects %s: %s", (text, problem) => {
    expect(parseCidr(text)).toBeUndefined();
    expect(cidrProblem(text)).toContain(problem);
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
  });
});
