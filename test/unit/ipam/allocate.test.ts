/** Dynamic allocation: order, ranges, exclusions, exhaustion, release, several subnets, rollback. */
import { afterEach, describe, expect, it } from "vitest";
import { network, subnet } from "../model/fixtures.js";
import { ipamError, ipamFixture, type IpamFixture } from "./setup.js";

let fx: IpamFixture;
afterEach(async () => fx.close());

const ips = (alloc: { addresses: Array<{ ip: string }> }) => alloc.addresses.map((a) => a.ip);
const req = (containerId: string, extra: object = {}) => ({ network: "n1", containerId, ifname: "eth0", ...extra });

describe("IPAM allocation", () => {
  it("hands out addresses in order after the gateway, continuing after the last one", async () => {
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/24" })]);
    expect(ips(await fx.ipam.allocate(req("a")))).toEqual(["10.1.0.2"]);
    expect(ips(await fx.ipam.allocate(req("b")))).toEqual(["10.1.0.3"]);
    expect(ips(await fx.ipam.allocate(req("c")))).toEqual(["10.1.0.4"]);
    expect(await fx.ipam.release("b", "eth0")).toEqual(["10.1.0.3"]);
    // A released address is not reused at once (stale ARP and conntrack entries); the walk wraps later.
    expect(ips(await fx.ipam.allocate(req("d")))).toEqual(["10.1.0.5"]);
  });

  it("wraps around to free addresses at the start of the range", async () => {
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/29" })]);
    for (const id of ["a", "b", "c", "d", "e"]) await fx.ipam.allocate(req(id));
    await fx.ipam.release("b", "eth0");
    expect(ips(await fx.ipam.allocate(req("f")))).toEqual(["10.1.0.3"]);
  });

  it("skips excluded addresses and CIDRs and other owners' reservations", async () => {
    fx = await ipamFixture([
      network("n1"),
      subnet("s1", { cidr: "10.1.0.0/24", exclude: ["10.1.0.2", "10.1.0.4/30"], reservations: [{ owner: "ns/x", ip: "10.1.0.8" }] }),
    ]);
    const got = [];
    for (const id of ["a", "b", "c"]) got.push(...ips(await fx.ipam.allocate(req(id))));
    expect(got).toEqual(["10.1.0.3", "10.1.0.9", "10.1.0.10"]);
  });

  it("allocates only from the ranges, and says when the subnet is full", async () => {
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/24", ranges: [{ start: "10.1.0.100", end: "10.1.0.101" }] })]);
    expect(ips(await fx.ipam.allocate(req("a")))).toEqual(["10.1.0.100"]);
    expect(ips(await fx.ipam.allocate(req("b")))).toEqual(["10.1.0.101"]);
    const err = await ipamError(fx.ipam.allocate(req("c")));
    expect(err.reason).toBe("full");
    expect(err.code).toBe(102);
    expect(err.message).toBe('subnet "s1" (10.1.0.0/24) of network "n1" has no free address left');
  });

  it("a /30 has exactly one address for containers", async () => {
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/30" })]);
    expect(ips(await fx.ipam.allocate(req("a")))).toEqual(["10.1.0.2"]);
    expect((await ipamError(fx.ipam.allocate(req("b")))).reason).toBe("full");
  });

  it("leases carry network, subnet, owner, container, ifname, kind and time", async () => {
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/24" })]);
    await fx.ipam.allocate(req("c1", { owner: "ns/pod", ifname: "net1" }));
    expect(await fx.ipam.leases({ network: "n1" })).toEqual([
      { network: "n1", subnet: "s1", ip: "10.1.0.2", containerId: "c1", ifname: "net1", owner: "ns/pod", kind: "dynamic", time: "2030-01-02T03:04:05.000Z" },
    ]);
    expect(await fx.ipam.attachments()).toEqual([
      { containerId: "c1", ifname: "net1", network: "n1", owner: "ns/pod", leases: ["leases/n1/s1/10.1.0.2"], time: "2030-01-02T03:04:05.000Z" },
    ]);
  });

  it("the result carries prefix, gateway, routes and DNS", async () => {
    fx = await ipamFixture([
      network("n1"),
      subnet("s1", { cidr: "10.1.0.0/24", routes: [{ dst: "10.9.0.0/16" }], dns: { nameservers: ["10.1.0.53"], search: ["svc.local"] } }),
    ]);
    const alloc = await fx.ipam.allocate(req("a"));
    expect(alloc.addresses).toEqual([
      {
        network: "n1",
        subnet: "s1",
        family: 4,
        ip: "10.1.0.2",
        prefixLength: 24,
        address: "10.1.0.2/24",
        gateway: "10.1.0.1",
        kind: "dynamic",
        routes: [{ dst: "10.9.0.0/16", gw: "10.1.0.1" }],
        dns: { nameservers: ["10.1.0.53"], search: ["svc.local"] },
      },
    ]);
  });

  it("allocating the same interface again returns the same addresses", async () => {
    fx = await ipamFixture([network("n1"), network("n2"), subnet("s1", { cidr: "10.1.0.0/24" }), subnet("s2", { network: "n2", cidr: "10.2.0.0/24" })]);
    const first = await fx.ipam.allocate(req("a"));
    expect(await fx.ipam.allocate(req("a"))).toEqual(first);
    expect(await fx.ipam.leases()).toHaveLength(1);
    const err = await ipamError(fx.ipam.allocate({ network: "n2", containerId: "a", ifname: "eth0" }));
    expect(err.message).toBe('a/eth0 is already attached to network "n1"');
  });

  it("release is idempotent and frees leases a crashed allocate left without an attachment", async () => {
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/24" })]);
    await fx.ipam.allocate(req("a"));
    expect(await fx.ipam.release("a", "eth0")).toEqual(["10.1.0.2"]);
    expect(await fx.ipam.release("a", "eth0")).toEqual([]);
    expect(await fx.ipam.release("never", "eth0")).toEqual([]);
    await fx.store.createIfAbsent("leases/n1/s1/10.1.0.77", {
      network: "n1", subnet: "s1", ip: "10.1.0.77", containerId: "crashed", ifname: "eth0", kind: "dynamic", time: "2030-01-01T00:00:00.000Z",
    });
    expect(await fx.ipam.release("crashed", "eth0")).toEqual(["10.1.0.77"]);
    expect(await fx.ipam.leases()).toEqual([]);
    expect(await fx.ipam.attachments()).toEqual([]);
  });

  it("dual stack: one IPv4 and one IPv6 address by default", async () => {
    fx = await ipamFixture([network("n1"), subnet("v4", { cidr: "10.1.0.0/24" }), subnet("v6", { cidr: "fd10:1::/64" })]);
    expect(ips(await fx.ipam.allocate(req("a")))).toEqual(["10.1.0.2", "fd10:1::2"]);
  });

  it("several named subnets of one family; without names that is ambiguous", async () => {
    fx = await ipamFixture([network("n1"), subnet("web", { cidr: "10.1.0.0/24" }), subnet("db", { cidr: "10.2.0.0/24" })]);
    expect(ips(await fx.ipam.allocate(req("a", { subnets: ["db", "web"] })))).toEqual(["10.2.0.2", "10.1.0.2"]);
    expect(ips(await fx.ipam.allocate(req("b", { subnets: ["web"] })))).toEqual(["10.1.0.3"]);
    const err = await ipamError(fx.ipam.allocate(req("c")));
    expect(err.reason).toBe("ambiguous-subnet");
    expect(err.message).toBe('network "n1" has several IPv4 subnets (db, web); name the subnet in the request');
  });

  it("names unknown networks and subnets", async () => {
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/24" })]);
    expect((await ipamError(fx.ipam.allocate({ network: "nx", containerId: "a", ifname: "eth0" }))).message).toBe('network "nx" is not defined');
    expect((await ipamError(fx.ipam.allocate(req("a", { subnets: ["sx"] })))).message).toBe('subnet "sx" is not a subnet of network "n1"');
    expect((await ipamError(fx.ipam.allocate({ network: "n1", containerId: "a/b", ifname: "eth0" }))).reason).toBe("invalid-request");
  });

  it("rolls back: when the second subnet is full, the first address is released", async () => {
    fx = await ipamFixture([
      network("n1"),
      subnet("v4", { cidr: "10.1.0.0/24" }),
      subnet("v6", { cidr: "fd10:1::/120", ranges: [{ start: "fd10:1::10", end: "fd10:1::10" }] }),
    ]);
    expect(ips(await fx.ipam.allocate(req("a")))).toEqual(["10.1.0.2", "fd10:1::10"]);
    expect((await ipamError(fx.ipam.allocate(req("b")))).reason).toBe("full");
    expect((await fx.ipam.leases()).map((l) => `${l.containerId} ${l.ip}`)).toEqual(["a 10.1.0.2", "a fd10:1::10"]);
    expect(await fx.ipam.attachments()).toHaveLength(1);
  });

  it("allocates nothing in a subnet that is being deleted", async () => {
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/24" })]);
    const rec = await fx.store.get<{ metadata: object }>("definitions/subnets/s1");
    if (!rec) throw new Error("missing");
    await fx.store.compareAndSwap(rec.key, rec.revision, { ...rec.value, metadata: { name: "s1", deletionTimestamp: "2030-01-01T00:00:00Z" } });
    expect((await ipamError(fx.ipam.allocate(req("a")))).message).toBe('network "n1" has no subnets');
  });
});

describe("IPAM after a release that crashed half-way", () => {
  it("allocating the interface again finishes the release and allocates afresh", async () => {
    fx = await ipamFixture([network("n1"), subnet("v4", { cidr: "10.1.0.0/24" }), subnet("v6", { cidr: "fd10:1::/64" })]);
    await fx.ipam.allocate(req("a"));
    await fx.store.delete("leases/n1/v4/10.1.0.2"); // the release died after its first delete
    expect(ips(await fx.ipam.allocate(req("a")))).toEqual(["10.1.0.2", "fd10:1::2"]);
    expect((await fx.ipam.leases()).map((l) => `${l.containerId} ${l.ip}`)).toEqual(["a 10.1.0.2", "a fd10:1::2"]);
    expect(await fx.ipam.attachments()).toHaveLength(1);
  });
});
