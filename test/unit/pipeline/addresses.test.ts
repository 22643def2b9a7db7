import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { cidrContains, cidrsOverlap, formatAddress, gatewayMac, linkLocalFromMac, normalizeMac, parseAddress, parseCidr } from "../../../controller/pipeline/addresses.js";

describe("addresses", () => {
  it("canonicalises IPv6 as RFC 5952 and strips prefix lengths", () => {
    expect(parseAddress("FD10:0:0:0:0:0:0:0005/64")?.text).toBe("fd10::5");
    expect(parseAddress("2001:db8:0:0:1:0:0:1")?.text).toBe("2001:db8::1:0:0:1");
    expect(parseAddress("::ffff:10.0.0.1")?.text).toBe("::ffff:a00:1");
    expect(parseAddress("10.1.0.5/24")).toMatchObject({ family: 4, text: "10.1.0.5" });
    expect(parseAddress("10.1.0.256")).toBeUndefined();
    expect(parseAddress("fe80::1%eth0")).toBeUndefined();
  });

  it("round-trips any IPv6 value through its canonical text", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        expect(parseAddress(formatAddress(6, value))?.value).toBe(value);
      }),
    );
  });

  it("parses CIDRs to their network address and checks containment and overlap", () => {
    const cidr = parseCidr("10.1.0.77/24")!;
    expect(cidr.text).toBe("10.1.0.0/24");
    expect(cidrContains(cidr, parseAddress("10.1.0.200")!)).toBe(true);
    expect(cidrContains(cidr, parseAddress("10.1.1.1")!)).toBe(false);
    expect(cidrContains(cidr, parseAddress("fd10::1")!)).toBe(false);
    expect(cidrsOverlap(cidr, parseCidr("10.1.0.128/25")!)).toBe(true);
    expect(cidrsOverlap(cidr, parseCidr("10.2.0.0/24")!)).toBe(false);
    expect(parseCidr("fd10:1::/64")?.text).toBe("fd10:1::/64");
    for (const bad of ["10.1.0.0", "10.1.0.0/33", "10.1.0.0/24/1", "x/8", "fd10::/129"]) expect(parseCidr(bad)).toBeUndefined();
  });

  it("derives the EUI-64 link-local address Linux uses", () => {
    expect(linkLocalFromMac("02:00:00:00:01:11")).toBe("fe80::ff:fe00:111");
    expect(linkLocalFromMac("52:54:00:12:34:56")).toBe("fe80::5054:ff:fe12:3456");
  });

  it("derives distinct locally administered unicast gateway MACs from subnet ids", () => {
    expect(gatewayMac(1)).toBe("0a:5d:00:00:00:01");
    expect(gatewayMac(0xdeadbeef)).toBe("0a:5d:de:ad:be:ef");
  });

  it("accepts only unicast, non-zero MACs", () => {
    expect(normalizeMac("02:AA:00:00:00:01")).toBe("02:aa:00:00:00:01");
    expect(normalizeMac("01:00:5e:00:00:01")).toBeUndefined();
    expect(normalizeMac("00:00:00:00:00:00")).toBeUndefined();
    expect(normalizeMac("02:00:00:00:01")).toBeUndefined();
  });
});
