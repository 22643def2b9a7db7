import { describe, expect, it } from "vitest";
import { CniError } from "../../../plugin/cni/errors.js";
import { batchLines } from "../../../plugin/link/container.js";
import { containerMac, hostIfName, hostMac, normalizeMac } from "../../../plugin/link/names.js";
import { canonicalCidr, sanitizeIpamResult } from "../../../plugin/ipam/addresses.js";

describe("names", () => {
  it("host names are deterministic, 15 characters, distinct per attachment", () => {
    const names = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const n = hostIfName(`container-${i}`, i % 2 ? "eth0" : "net1");
      expect(n).toMatch(/^osd[0-9a-f]{12}$/);
      names.add(n);
    }
    expect(names.size).toBe(5000);
    expect(hostIfName("a", "eth0")).toBe(hostIfName("a", "eth0"));
    expect(hostIfName("a", "eth0")).not.toBe(hostIfName("a", "eth1"));
  });
  it("MACs are unicast and locally administered; host ends start with fe", () => {
    for (let i = 0; i < 200; i++) {
      const first = Number.parseInt(containerMac(`c${i}`, "eth0").slice(0, 2), 16);
      expect(first & 0x03).toBe(0x02);
      expect(hostMac(`c${i}`, "eth0")).toMatch(/^fe(:[0-9a-f]{2}){5}$/);
    }
  });
  it("normalizes requested MACs and refuses multicast or zero ones", () => {
    expect(normalizeMac("02:AA:bb:00:00:01", "mac")).toBe("02:aa:bb:00:00:01");
    for (const bad of ["01:00:5e:00:00:01", "00:00:00:00:00:00", "02:00:00:00:00", "zz:00:00:00:00:00"]) {
      expect(() => normalizeMac(bad, "mac")).toThrow(CniError);
    }
  });
});

describe("container batch", () => {
  it("sets MAC and MTU, adds addresses (IPv6 without DAD), brings the link up, then routes", () => {
    expect(
      batchLines({
        ifname: "eth0",
        mac: "02:00:00:00:00:01",
        mtu: 1400,
        ips: [{ address: "10.0.0.2/24" }, { address: "fd10::2/64" }],
        routes: [{ dst: "0.0.0.0/0", gw: "10.0.0.1" }, { dst: "10.9.0.0/16", priority: 10, table: 100 }],
      }),
    ).toEqual([
      "link set dev eth0 address 02:00:00:00:00:01 mtu 1400",
      "addr add 10.0.0.2/24 dev eth0",
      "addr add fd10::2/64 dev eth0 nodad",
      "link set dev eth0 up",
      "route add 0.0.0.0/0 via 10.0.0.1 dev eth0",
      "route add 10.9.0.0/16 dev eth0 metric 10 table 100",
    ]);
  });
});

describe("IPAM result checks", () => {
  it("canonicalises addresses", () => {
    expect(canonicalCidr("fd10:0:0::05/64")).toBe("fd10::5/64");
    expect(canonicalCidr("10.0.0.5")).toBe("10.0.0.5/32");
    expect(canonicalCidr("10.0.0.5/33")).toBeUndefined();
  });
  it("refuses anything that is not an address before it reaches ip -batch (code 6)", () => {
    for (const address of ["10.0.0.5", "10.0.0.5/24\nlink del eth0", "x/24", "10.0.0.5/24 dev lo"]) {
      expect(() => sanitizeIpamResult({ cniVersion: "1.0.0", ips: [{ address }] })).toThrow(CniError);
    }
    expect(() => sanitizeIpamResult({ cniVersion: "1.0.0", ips: [{ address: "10.0.0.5/24" }], routes: [{ dst: "0.0.0.0/0", gw: "10.0.0.1 onlink" }] })).toThrow(CniError);
    expect(sanitizeIpamResult({ cniVersion: "1.0.0", ips: [{ address: "10.0.0.5/24", gateway: "10.0.0.1" }], routes: [{ dst: "::/0" }] })).toEqual({
      cniVersion: "1.0.0",
      ips: [{ address: "10.0.0.5/24", gateway: "10.0.0.1" }],
      routes: [{ dst: "::/0" }],
    });
  });
});
