/** IPv6: /64 without enumeration, /120 to exhaustion, canonical address text. */
import { afterEach, describe, expect, it } from "vitest";
import { network, subnet } from "../model/fixtures.js";
import { ipamError, ipamFixture, type IpamFixture } from "./setup.js";

let fx: IpamFixture;
afterEach(async () => fx.close());
const req = (containerId: string, extra: object = {}) => ({ network: "n1", containerId, ifname: "eth0", ...extra });
const ip = async (containerId: string, extra: object = {}) => (await fx.ipam.allocate(req(containerId, extra))).addresses.map((a) => a.ip);

describe("IPv6", () => {
  it("a /64 starts after the gateway", async () => {
    fx = await ipamFixture([network("n1"), subnet("s6", { cidr: "fd10:1::/64" })]);
    expect(await ip("a")).toEqual(["fd10:1::2"]);
    expect(await ip("b")).toEqual(["fd10:1::3"]);
  });

  it("a /64 whose first half is excluded allocates from the second half at once (no enumeration)", async () => {
    fx = await ipamFixture([network("n1"), subnet("s6", { cidr: "fd10:1::/64", exclude: ["fd10:1::/65"] })]);
    expect(await ip("a")).toEqual(["fd10:1:0:0:8000::"]);
  });

  it("a /64 continues after a fixed address far away only for fixed requests, not dynamic ones", async () => {
    fx = await ipamFixture([network("n1"), subnet("s6", { cidr: "fd10:1::/64" })]);
    expect(await ip("a", { ips: ["fd10:1::ffff:ffff:ffff:fffe"] })).toEqual(["fd10:1::ffff:ffff:ffff:fffe"]);
    expect(await ip("b")).toEqual(["fd10:1::2"]);
  });

  it("a dynamic range at the end of a /64 wraps to its start", async () => {
    fx = await ipamFixture([
      network("n1"),
      subnet("s6", { cidr: "fd10:1::/64", ranges: [{ start: "fd10:1::ffff:ffff:ffff:fffe", end: "fd10:1::ffff:ffff:ffff:ffff" }, { start: "fd10:1::100", end: "fd10:1::100" }] }),
    ]);
    expect(await ip("a")).toEqual(["fd10:1::100"]);
    expect(await ip("b")).toEqual(["fd10:1::ffff:ffff:ffff:fffe"]);
    expect(await ip("c")).toEqual(["fd10:1::ffff:ffff:ffff:ffff"]);
    expect((await ipamError(fx.ipam.allocate(req("d")))).reason).toBe("full");
  });

  it("a /120 has 254 addresses (no broadcast in IPv6; ::0 and the gateway are skipped), then is full", async () => {
    fx = await ipamFixture([network("n1"), subnet("s6", { cidr: "fd10:1::/120" })]);
    const all = new Set<string>();
    for (let i = 0; i < 254; i++) for (const a of await ip(`c${i}`)) all.add(a);
    expect(all.size).toBe(254);
    expect(all.has("fd10:1::ff")).toBe(true);
    expect(all.has("fd10:1::1")).toBe(false);
    expect(all.has("fd10:1::")).toBe(false);
    const err = await ipamError(fx.ipam.allocate(req("c254")));
    expect(err.message).toBe('subnet "s6" (fd10:1::/120) of network "n1" has no free address left');
  });

  it("addresses are compared in canonical form", async () => {
    fx = await ipamFixture([network("n1"), subnet("s6", { cidr: "fd10:1::/64" })]);
    expect(await ip("a", { ips: ["FD10:1:0::0005"] })).toEqual(["fd10:1::5"]);
    const err = await ipamError(fx.ipam.allocate(req("b", { ips: ["fd10:1::5"] })));
    expect([err.reason, err.address]).toEqual(["taken", "fd10:1::5"]);
  });
});
