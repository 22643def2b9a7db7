/**
 * Host and endpoint records on etcd: a host that stops renewing its lease disappears with all its
 * endpoints; one that keeps renewing stays; a lost lease is replaced and everything republished.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterView } from "../../../controller/hosts/cluster-view.js";
import { HostRegistry } from "../../../controller/hosts/host-registry.js";
import { ENDPOINTS_PREFIX, HOSTS_PREFIX } from "../../../controller/hosts/records.js";
import { EtcdStore } from "../../../controller/store/etcd/etcd-store.js";
import { startEtcd, type EtcdCluster } from "../../helpers/etcd.js";

let etcd: EtcdCluster;
const cleanups: (() => Promise<void>)[] = [];

/** Two clients (two "hosts") on one fresh key prefix, plus a view from a third. */
async function world() {
  const prefix = `/hosts-${randomBytes(4).toString("hex")}/`;
  const open = async () => {
    const store = await EtcdStore.open({ endpoints: etcd.endpoints, prefix });
    cleanups.push(() => store.close());
    return store;
  };
  const [storeA, storeB, observer] = [await open(), await open(), await open()];
  const view = new ClusterView(observer);
  cleanups.push(() => view.stop());
  await view.start();
  return { storeA, storeB, observer, view };
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await etcd?.stop();
});

describe("host registry on etcd", () => {
  it("a host that stops renewing expires with its endpoints; the other host and the views see it go", async () => {
    const { storeA, storeB, observer, view } = await world();
    const a = new HostRegistry(storeA, { name: "host-a", tunnelIp: "10.99.0.1", ttlSeconds: 2 });
    const b = new HostRegistry(storeB, { name: "host-b", tunnelIp: "10.99.0.2", ttlSeconds: 2 });
    cleanups.push(() => b.stop());
    await a.start();
    await b.start();
    await a.publishEndpoint({ network: "blue", mac: "02:00:00:00:0A:01", ips: ["10.1.0.5"], vni: 100 });
    await a.publishEndpoint({ network: "blue", mac: "02:00:00:00:0a:02", ips: ["10.1.0.6", "fd10::6"], vni: 100 });
    await b.publishEndpoint({ network: "blue", mac: "02:00:00:00:0b:01", ips: ["10.1.0.7"], vni: 100 });
    await waitFor("the view to see both hosts and three endpoints", () => view.hosts.size === 2 && view.endpoints.size === 3);
    expect(view.hosts.get("host-a")).toMatchObject({ name: "host-a", tunnelIp: "10.99.0.1" });
    expect(view.remoteEndpoints("host-b").map((e) => e.mac).sort()).toEqual(["02:00:00:00:0a:01", "02:00:00:00:0a:02"]);

    await a.stop(); // host-a is gone: nobody renews its lease any more
    await waitFor("host-a's records to expire", () => !view.hosts.has("host-a"));
    expect([...view.hosts.keys()]).toEqual(["host-b"]);
    expect([...view.endpoints.values()].map((e) => e.host)).toEqual(["host-b"]);
    expect((await observer.list(ENDPOINTS_PREFIX)).records.map((r) => r.key)).toEqual([`${ENDPOINTS_PREFIX}host-b/blue/02:00:00:00:0b:01`]);
  });

  it("keep-alive keeps the records past several TTLs", async () => {
    const { storeA, observer } = await world();
    const a = new HostRegistry(storeA, { name: "host-a", tunnelIp: "10.99.0.1", ttlSeconds: 2 });
    cleanups.push(() => a.stop());
    await a.start();
    await a.publishEndpoint({ network: "red", mac: "02:00:00:00:0c:01", ips: ["10.2.0.5"] });
    const lease = a.currentLease;
    const before = (await observer.list("cluster/")).records;
    await sleep(5000); // 2.5 TTLs
    const after = (await observer.list("cluster/")).records;
    expect(after).toEqual(before); // same records, same revisions: nothing expired and came back
    expect(a.currentLease).toEqual(lease);
  });

  it("a lost lease (revoked behind the host's back) is replaced and every record published again", async () => {
    const { storeA, observer } = await world();
    const a = new HostRegistry(storeA, { name: "host-a", tunnelIp: "10.99.0.1", ttlSeconds: 2 });
    cleanups.push(() => a.stop());
    await a.start();
    await a.publishEndpoint({ network: "red", mac: "02:00:00:00:0d:01", ips: ["10.2.0.9"] });
    const lost = a.currentLease;
    if (!lost) throw new Error("no lease");
    await observer.revokeLease(lost);
    expect((await observer.list("cluster/")).records).toEqual([]);
    await waitFor("host-a to register again", async () => (await observer.list("cluster/")).records.length === 2);
    expect(a.currentLease?.id).not.toBe(lost.id);
    expect((await observer.get(`${HOSTS_PREFIX}host-a`))?.value).toMatchObject({ tunnelIp: "10.99.0.1" });
  });

  it("deregister removes the host at once; syncEndpoints leaves exactly the given endpoints", async () => {
    const { storeA, observer } = await world();
    const a = new HostRegistry(storeA, { name: "host-a", tunnelIp: "fd10::1", ttlSeconds: 30 });
    await a.start();
    await a.publishEndpoint({ network: "n1", mac: "02:00:00:00:0e:01", ips: ["10.3.0.1"] });
    await a.publishEndpoint({ network: "n1", mac: "02:00:00:00:0e:02", ips: ["10.3.0.2"] });
    await a.syncEndpoints([
      { network: "n1", mac: "02:00:00:00:0e:02", ips: ["10.3.0.2"] },
      { network: "n2", mac: "02:00:00:00:0e:03", ips: ["10.4.0.3"] },
    ]);
    expect((await observer.list(ENDPOINTS_PREFIX)).records.map((r) => r.key)).toEqual([`${ENDPOINTS_PREFIX}host-a/n1/02:00:00:00:0e:02`, `${ENDPOINTS_PREFIX}host-a/n2/02:00:00:00:0e:03`]);
    await a.withdrawEndpoint("n2", "02:00:00:00:0E:03");
    expect((await observer.list(ENDPOINTS_PREFIX)).records).toHaveLength(1);
    await a.deregister();
    expect((await observer.list("cluster/")).records).toEqual([]);
  });

  it("rejects records that would be unusable", async () => {
    const { storeA } = await world();
    expect(() => new HostRegistry(storeA, { name: "host/a", tunnelIp: "10.0.0.1" })).toThrow(/name "host\/a"/);
    expect(() => new HostRegistry(storeA, { name: "host-a", tunnelIp: "not-an-ip" })).toThrow(/tunnelIp "not-an-ip"/);
    const a = new HostRegistry(storeA, { name: "host-a", tunnelIp: "10.0.0.1" });
    await expect(a.publishEndpoint({ network: "n1", mac: "02:00:00:00:00", ips: ["10.0.0.2"] })).rejects.toThrow(/mac/);
    await expect(a.publishEndpoint({ network: "n1", mac: "02:00:00:00:00:01", ips: ["10.0.0.300"] })).rejects.toThrow(/ips/);
  });
});
