/** DefinitionService on the file store: defaults, allocation, whole-set checks, deletes, crash recovery. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DefinitionService, type DefinitionSnapshot } from "../../../controller/model/definitions.js";
import { DEFINITIONS_TXN_KEY, definitionKey, leaseKey } from "../../../controller/model/keys.js";
import { DefinitionError } from "../../../controller/model/errors.js";
import { FileStore } from "../../../controller/store/file/file-store.js";
import type { Store } from "../../../controller/store/types.js";
import { network, policy, subnet } from "./fixtures.js";

let dir: string;
const stores: Store[] = [];
async function service(options: { sealEvery?: number } = {}): Promise<{ svc: DefinitionService; store: Store }> {
  const store = await FileStore.open(join(dir, "data"), { watchPollMs: 20, ...options });
  stores.push(store);
  return { svc: new DefinitionService(store, () => new Date("2030-01-01T00:00:00Z")), store };
}
async function rejection(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DefinitionError) return err.problems.map((x) => `${x.kind} ${x.name} ${x.path}: ${x.message}`);
    throw err;
  }
  throw new Error("expected a DefinitionError");
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ovs-sdn-defs-"));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("DefinitionService", () => {
  it("fills defaults and allocates the lowest free VLAN and VNI, which re-applies keep", async () => {
    const { svc } = await service();
    await svc.apply([network("a", { vlan: 1, vni: 1 })]);
    const out = await svc.apply([network("b"), subnet("s", { network: "b", cidr: "10.1.0.0/24" })]);
    expect(out.map((o) => `${o.kind}/${o.name} ${o.action}`)).toEqual(["Network/b created", "Subnet/s created"]);
    const b = await svc.get("Network", "b");
    expect(b?.spec).toEqual({ tenant: "t1", vlan: 2, vni: 2, mtu: 1500, interSubnet: "deny" });
    expect(b?.apiVersion).toBe("ovs-sdn.io/v1alpha1");
    expect((await svc.get("Subnet", "s"))?.spec.gateway).toBe("10.1.0.1");
    const again = await svc.apply([network("b")]);
    expect(again[0]?.action).toBe("unchanged");
    const changed = await svc.apply([network("b", { mtu: 1450 })]);
    expect(changed[0]?.action).toBe("configured");
    expect((await svc.get("Network", "b"))?.spec).toMatchObject({ vlan: 2, vni: 2, mtu: 1450 });
  });

  it("refuses a batch with any problem and stores none of it", async () => {
    const { svc } = await service();
    await svc.apply([network("n1", { vlan: 10 })]);
    const problems = await rejection(svc.apply([network("n2", { vlan: 10 }), subnet("s", { network: "n2", cidr: "10.0.0.0/24" })]));
    expect(problems).toEqual(['Network n2 spec.vlan: is already used by network "n1"']);
    expect(await svc.list("Network")).toHaveLength(1);
    expect(await svc.list("Subnet")).toHaveLength(0);
  });

  it("two clients allocating VLANs at once never collide", async () => {
    const a = await service();
    const b = await service();
    await Promise.all([
      a.svc.apply([network("x1")]),
      b.svc.apply([network("y1")]),
      a.svc.apply([network("x2")]),
      b.svc.apply([network("y2")]),
    ]);
    const vlans = (await a.svc.list("Network")).map((n) => n.spec.vlan);
    expect(new Set(vlans).size).toBe(4);
  });

  it("two clients adding overlapping subnets at once: one is refused", async () => {
    const a = await service();
    const b = await service();
    await a.svc.apply([network("n1")]);
    const results = await Promise.allSettled([
      a.svc.apply([subnet("s1", { cidr: "10.5.0.0/16" })]),
      b.svc.apply([subnet("s2", { cidr: "10.5.1.0/24" })]),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(DefinitionError);
    expect(await a.svc.list("Subnet")).toHaveLength(1);
  });

  it("refuses deletes while others refer to the definition", async () => {
    const { svc } = await service();
    await svc.apply([network("n1"), subnet("s1", { cidr: "10.1.0.0/24" }), policy("p", { rules: [{ action: "deny", to: [{ subnet: "s1" }] }] })]);
    expect(await rejection(svc.delete("Network", "n1"))).toEqual(['Network n1 metadata.name: is still used by subnet "s1"; delete the subnet first']);
    expect(await rejection(svc.delete("Subnet", "s1"))).toEqual(['Subnet s1 metadata.name: is still used by isolation policy "p"']);
    expect(await svc.delete("IsolationPolicy", "p")).toBe(true);
    expect(await svc.delete("Subnet", "s1")).toBe(true);
    expect(await svc.delete("Network", "n1")).toBe(true);
    expect(await svc.delete("Network", "n1")).toBe(false);
  });

  it("refuses to delete a subnet with leases, or to move its CIDR, naming the lease", async () => {
    const { svc, store } = await service();
    await svc.apply([network("n1"), subnet("s1", { cidr: "10.1.0.0/24" })]);
    await store.createIfAbsent(leaseKey("n1", "s1", "10.1.0.2"), { ip: "10.1.0.2", containerId: "c1", ifname: "eth0" });
    expect(await rejection(svc.delete("Subnet", "s1"))).toEqual([
      "Subnet s1 metadata.name: cannot be deleted while it has 1 lease (10.1.0.2 held by c1/eth0); release them first",
    ]);
    expect((await svc.get("Subnet", "s1"))?.metadata.deletionTimestamp).toBeUndefined();
    expect(await rejection(svc.apply([subnet("s1", { cidr: "10.1.1.0/24" })]))).toEqual([
      "Subnet s1 spec.cidr: cannot change while the subnet has 1 lease (10.1.0.2 held by c1/eth0)",
    ]);
    await store.delete(leaseKey("n1", "s1", "10.1.0.2"));
    expect(await svc.delete("Subnet", "s1")).toBe(true);
  });

  it("refuses to re-apply a subnet that is being deleted", async () => {
    const { svc, store } = await service();
    await svc.apply([network("n1"), subnet("s1", { cidr: "10.1.0.0/24" })]);
    const rec = await store.get<{ metadata: { name: string; deletionTimestamp?: string } }>(definitionKey("Subnet", "s1"));
    if (!rec) throw new Error("missing");
    await store.compareAndSwap(rec.key, rec.revision, { ...rec.value, metadata: { name: "s1", deletionTimestamp: "2030-01-01T00:00:00Z" } });
    expect(await rejection(svc.apply([subnet("s1", { cidr: "10.1.0.0/24" })]))).toEqual(["Subnet s1 metadata.name: is being deleted"]);
  });

  it("a transaction committed by a writer that died before applying it is rolled forward by the next reader", async () => {
    const { svc, store } = await service();
    await svc.apply([network("n1")]);
    const txn = await store.get<{ epoch: number }>(DEFINITIONS_TXN_KEY);
    if (!txn) throw new Error("no txn record");
    const doc = { ...network("n2"), apiVersion: "ovs-sdn.io/v1alpha1", spec: { tenant: "t1", vlan: 7, vni: 7, mtu: 1500, interSubnet: "deny" } };
    await store.compareAndSwap(DEFINITIONS_TXN_KEY, txn.revision, {
      epoch: txn.value.epoch + 1,
      changes: [{ key: definitionKey("Network", "n2"), value: doc }],
      applied: false,
      time: "2030-01-01T00:00:00Z",
    });
    const other = await service();
    expect((await other.svc.list("Network")).map((n) => n.metadata.name)).toEqual(["n1", "n2"]);
    expect((await store.get<{ applied: boolean }>(DEFINITIONS_TXN_KEY))?.value.applied).toBe(true);
  });

  it("watch yields the current set, then new snapshots as changes commit", async () => {
    const { svc } = await service();
    const writer = await service();
    await svc.apply([network("n1")]);
    const seen: DefinitionSnapshot[] = [];
    const controller = new AbortController();
    const done = (async () => {
      for await (const snap of svc.watch(controller.signal)) {
        seen.push(snap);
        // A delete of a subnet shows it marked first; snapshots may coalesce changes.
        if (seen.length > 1 && snap.set.subnets.size === 0) controller.abort();
      }
    })();
    await writer.svc.apply([subnet("s1", { cidr: "10.1.0.0/24" })]);
    await writer.svc.delete("Subnet", "s1");
    await done;
    const names = seen.map((s) => [...s.set.subnets.keys()].join());
    expect(names[0]).toBe("");
    expect(names).toContain("s1");
    expect(names[names.length - 1]).toBe("");
    expect(seen[seen.length - 1]?.set.networks.has("n1")).toBe(true);
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.revision).toBeGreaterThan(seen[i - 1]?.revision as number);
  });

  it("watch survives the store compacting the history it was about to read", async () => {
    const { svc } = await service({ sealEvery: 2 });
    const writer = await service({ sealEvery: 2 });
    const iterator = svc.watch()[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.set.networks.size).toBe(0);
    for (let i = 0; i < 12; i++) {
      await writer.svc.apply([network(`n${i}`)]);
      await new Promise<void>((r) => setImmediate(r));
    }
    const next = await iterator.next();
    expect(next.value?.set.networks.size).toBe(12);
    await iterator.return(undefined);
  });
});
