/** verifyIpam: what it finds, and what `repair` fixes. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifyIpam } from "../../../controller/ipam/verify.js";
import { network, subnet } from "../model/fixtures.js";
import { ipamFixture, type IpamFixture } from "./setup.js";

let fx: IpamFixture;
beforeEach(async () => {
  fx = await ipamFixture([network("n1"), network("n2"), subnet("s1", { cidr: "10.1.0.0/24" }), subnet("s2", { network: "n2", cidr: "10.2.0.0/24" })]);
  await fx.ipam.allocate({ network: "n1", containerId: "a", ifname: "eth0" });
  await fx.ipam.allocate({ network: "n1", containerId: "b", ifname: "eth0" });
});
afterEach(async () => fx.close());

const now = new Date("2030-01-02T03:04:05.000Z");
const later = new Date("2030-01-02T04:00:00.000Z");
const lease = (ip: string, containerId: string, extra: object = {}) => ({
  network: "n1", subnet: "s1", ip, containerId, ifname: "eth0", kind: "dynamic", time: "2030-01-02T03:04:05.000Z", ...extra,
});
const types = async (opts: Parameters<typeof verifyIpam>[1] = { now }) =>
  (await verifyIpam(fx.store, opts)).issues.map((i) => `${i.type} ${i.key}${i.repaired ? " repaired" : ""}`).sort();

describe("verifyIpam", () => {
  it("finds nothing wrong after normal allocations and releases", async () => {
    await fx.ipam.release("a", "eth0");
    const report = await verifyIpam(fx.store, { now });
    expect(report).toEqual({ leases: 1, attachments: 1, issues: [] });
  });

  it("an orphan lease is reported; repair deletes it only once it is older than the grace period", async () => {
    await fx.store.createIfAbsent("leases/n1/s1/10.1.0.50", lease("10.1.0.50", "crashed"));
    expect(await types({ now, repair: true })).toEqual(["orphan-lease leases/n1/s1/10.1.0.50"]);
    expect(await fx.store.get("leases/n1/s1/10.1.0.50")).toBeDefined();
    expect(await types({ now: later, repair: true })).toEqual(["orphan-lease leases/n1/s1/10.1.0.50 repaired"]);
    expect(await fx.store.get("leases/n1/s1/10.1.0.50")).toBeUndefined();
    expect(await types({ now: later })).toEqual([]);
  });

  it("an attachment listing a missing lease is repaired; one left empty is removed", async () => {
    await fx.store.delete("leases/n1/s1/10.1.0.2");
    expect(await types({ now, repair: true })).toEqual(["dangling-lease-ref attachments/a/eth0 repaired"]);
    expect(await fx.store.get("attachments/a/eth0")).toBeUndefined();
    expect(await types()).toEqual([]);
  });

  it("an attachment listing someone else's lease loses the reference", async () => {
    const att = await fx.store.get<{ leases: string[] }>("attachments/a/eth0");
    if (!att) throw new Error("missing");
    await fx.store.compareAndSwap(att.key, att.revision, { ...att.value, leases: [...att.value.leases, "leases/n1/s1/10.1.0.3"] });
    expect(await types({ now, repair: true })).toEqual([
      "address-held-twice leases/n1/s1/10.1.0.3",
      "foreign-lease-ref attachments/a/eth0 repaired",
    ]);
    expect((await fx.store.get<{ leases: string[] }>("attachments/a/eth0"))?.value.leases).toEqual(["leases/n1/s1/10.1.0.2"]);
  });

  it("reports malformed (torn) records and keys that do not match their record", async () => {
    await fx.store.createIfAbsent("leases/n1/s1/10.1.0.9", { ip: "10.1.0.9" });
    await fx.store.createIfAbsent("leases/n1/s1/10.1.0.10", lease("10.1.0.11", "x"));
    await fx.store.createIfAbsent("attachments/x/eth0", { containerId: "x" });
    expect(await types()).toEqual([
      "key-mismatch leases/n1/s1/10.1.0.10",
      "malformed-attachment attachments/x/eth0",
      "malformed-lease leases/n1/s1/10.1.0.9",
    ]);
  });

  it("reports an address held twice in one tenant, a lease outside its subnet or in an unknown subnet", async () => {
    await fx.store.createIfAbsent("leases/n2/s2/10.1.0.2", lease("10.1.0.2", "c", { network: "n2", subnet: "s2" }));
    await fx.store.createIfAbsent("leases/n1/gone/10.1.0.7", lease("10.1.0.7", "d", { subnet: "gone" }));
    const found = await types();
    expect(found).toContain("outside-subnet leases/n2/s2/10.1.0.2");
    expect(found).toContain("address-held-twice leases/n1/s1/10.1.0.2 leases/n2/s2/10.1.0.2");
    expect(found).toContain("unknown-subnet leases/n1/gone/10.1.0.7");
  });
});
