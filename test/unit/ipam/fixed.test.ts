/** Fixed IPs (CNI_ARGS IP=, runtimeConfig ips) and reservations by owner key. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { network, subnet } from "../model/fixtures.js";
import { ipamError, ipamFixture, type IpamFixture } from "./setup.js";

let fx: IpamFixture;
beforeEach(async () => {
  fx = await ipamFixture([
    network("n1"),
    subnet("s1", {
      cidr: "10.1.0.0/24",
      exclude: ["10.1.0.200/29"],
      ranges: [{ start: "10.1.0.10", end: "10.1.0.99" }],
      reservations: [{ owner: "db/primary", ip: "10.1.0.150" }],
    }),
    subnet("s6", { cidr: "fd10:1::/64" }),
  ]);
});
afterEach(async () => fx.close());

const req = (containerId: string, extra: object = {}) => ({ network: "n1", containerId, ifname: "eth0", ...extra });
const ips = (alloc: { addresses: Array<{ ip: string; kind: string }> }) => alloc.addresses.map((a) => `${a.ip} ${a.kind}`);

describe("fixed IPs", () => {
  it("gives a requested address, also outside the dynamic ranges, with or without prefix", async () => {
    expect(ips(await fx.ipam.allocate(req("a", { ips: ["10.1.0.120"] })))).toEqual(["10.1.0.120 fixed", "fd10:1::2 dynamic"]);
    expect(ips(await fx.ipam.allocate(req("b", { ips: ["10.1.0.121/24", "fd10:1::99/64"] })))).toEqual(["10.1.0.121 fixed", "fd10:1::99 fixed"]);
  });

  it("refuses an address held by another container, naming the holder", async () => {
    await fx.ipam.allocate(req("a", { ips: ["10.1.0.120"], owner: "web/a" }));
    const err = await ipamError(fx.ipam.allocate(req("b", { ips: ["10.1.0.120"] })));
    expect(err.reason).toBe("taken");
    expect(err.address).toBe("10.1.0.120");
    expect(err.message).toBe('IP 10.1.0.120 in subnet "s1" is already held by container a/eth0 (owner "web/a")');
    expect((await fx.ipam.leases({ containerId: "b" })).length).toBe(0);
  });

  it("refuses a dynamic address already handed out when requested as fixed", async () => {
    await fx.ipam.allocate(req("a"));
    expect((await ipamError(fx.ipam.allocate(req("b", { ips: ["10.1.0.10"] })))).reason).toBe("taken");
  });

  it.each([
    ["10.9.0.1", "outside", 'requested IP 10.9.0.1 is outside every subnet of network "n1"'],
    ["10.1.0.1", "gateway", 'requested IP 10.1.0.1 is the gateway of subnet "s1"'],
    ["10.1.0.0", "excluded", 'requested IP 10.1.0.0 is excluded in subnet "s1" (network, broadcast or spec.exclude)'],
    ["10.1.0.255", "excluded", 'requested IP 10.1.0.255 is excluded in subnet "s1" (network, broadcast or spec.exclude)'],
    ["10.1.0.203", "excluded", 'requested IP 10.1.0.203 is excluded in subnet "s1" (network, broadcast or spec.exclude)'],
    ["10.1.0.150", "reserved", 'requested IP 10.1.0.150 is reserved for owner "db/primary" in subnet "s1"'],
    ["10.1.0.20/16", "invalid-request", 'requested IP 10.1.0.20/16 has prefix /16 but subnet "s1" is 10.1.0.0/24'],
    ["ten", "invalid-request", 'requested IP "ten" is not an IP address'],
  ])("refuses %s (%s)", async (ip, reason, message) => {
    const err = await ipamError(fx.ipam.allocate(req("a", { ips: [ip] })));
    expect([err.reason, err.message]).toEqual([reason, message]);
  });

  it("refuses two fixed addresses in one subnet, and an address in a subnet the request does not name", async () => {
    expect((await ipamError(fx.ipam.allocate(req("a", { ips: ["10.1.0.120", "10.1.0.121"] })))).reason).toBe("invalid-request");
    const err = await ipamError(fx.ipam.allocate(req("a", { subnets: ["s6"], ips: ["10.1.0.120"] })));
    expect(err.message).toBe('requested IP 10.1.0.120 is in subnet "s1", which the request does not name');
  });

  it("an interface that already holds other addresses must release them first", async () => {
    await fx.ipam.allocate(req("a", { ips: ["10.1.0.120"] }));
    expect(ips(await fx.ipam.allocate(req("a", { ips: ["10.1.0.120"] })))).toEqual(["10.1.0.120 fixed", "fd10:1::2 dynamic"]);
    expect((await ipamError(fx.ipam.allocate(req("a", { ips: ["10.1.0.121"] })))).reason).toBe("conflict");
  });

  it("adopts a fixed address a crashed attempt of the same interface left behind", async () => {
    await fx.store.createIfAbsent("leases/n1/s1/10.1.0.120", {
      network: "n1", subnet: "s1", ip: "10.1.0.120", containerId: "a", ifname: "eth0", kind: "fixed", time: "2030-01-01T00:00:00.000Z",
    });
    expect(ips(await fx.ipam.allocate(req("a", { ips: ["10.1.0.120"] })))).toEqual(["10.1.0.120 fixed", "fd10:1::2 dynamic"]);
  });
});

describe("reservations", () => {
  it("the owner gets its reserved address, again after coming back as a new container", async () => {
    expect(ips(await fx.ipam.allocate(req("c1", { owner: "db/primary" })))).toEqual(["10.1.0.150 reserved", "fd10:1::2 dynamic"]);
    await fx.ipam.release("c1", "eth0");
    // The round-robin hint comes from the leases that exist: with none left, the walk restarts.
    expect(ips(await fx.ipam.allocate(req("c2", { owner: "db/primary" })))).toEqual(["10.1.0.150 reserved", "fd10:1::2 dynamic"]);
  });

  it("the owner may also request its reserved address explicitly", async () => {
    expect(ips(await fx.ipam.allocate(req("c1", { owner: "db/primary", ips: ["10.1.0.150"] })))).toEqual(["10.1.0.150 reserved", "fd10:1::2 dynamic"]);
  });

  it("while the previous container still holds it, the new one is told who holds it", async () => {
    await fx.ipam.allocate(req("c1", { owner: "db/primary" }));
    const err = await ipamError(fx.ipam.allocate(req("c2", { owner: "db/primary" })));
    expect(err.message).toBe('IP 10.1.0.150 in subnet "s1" is already held by container c1/eth0 (owner "db/primary")');
  });

  it("dynamic allocation never hands out a reserved address", async () => {
    await fx.close();
    fx = await ipamFixture([network("n1"), subnet("s1", { cidr: "10.1.0.0/29", reservations: [{ owner: "x", ip: "10.1.0.3" }] })]);
    const got = [];
    for (const id of ["a", "b", "c", "d"]) got.push(...(await fx.ipam.allocate(req(id))).addresses.map((a) => a.ip));
    expect(got).toEqual(["10.1.0.2", "10.1.0.4", "10.1.0.5", "10.1.0.6"]);
    expect((await ipamError(fx.ipam.allocate(req("e")))).reason).toBe("full");
  });
});
