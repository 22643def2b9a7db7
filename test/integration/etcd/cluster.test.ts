/**
 * A three-member etcd cluster on loopback. The member the clients talk to first is killed: writes,
 * lists, IPAM allocations and a running watch carry on through the other two without an error.
 * Then the raft leader is killed: a call made during the election may fail with code 11 (its
 * outcome unknown), and allocations retried on 11, as a CNI runtime does, all succeed.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Ipam } from "../../../controller/ipam/ipam.js";
import { verifyIpam } from "../../../controller/ipam/verify.js";
import { CniCode, CniError } from "../../../plugin/cni/errors.js";
import { DefinitionService } from "../../../controller/model/definitions.js";
import { EtcdStore } from "../../../controller/store/etcd/etcd-store.js";
import type { Store, WatchEvent } from "../../../controller/store/types.js";
import { startEtcd, type EtcdCluster } from "../../helpers/etcd.js";

let etcd: EtcdCluster;
const stores: Store[] = [];

/** The client URL of the raft leader, as the members report it (waiting out an election). */
async function leaderEndpoint(endpoints: string[]): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    for (const endpoint of endpoints) {
      const status = await fetch(`${endpoint}/v3/maintenance/status`, { method: "POST", body: "{}" })
        .then((res) => res.json() as Promise<{ header?: { member_id?: string }; leader?: string }>)
        .catch(() => undefined);
      if (status?.leader && status.header?.member_id === status.leader) return endpoint;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no member says it is the leader");
}

beforeAll(async () => {
  etcd = await startEtcd({ members: 3 });
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await etcd?.stop();
});

/** Runs `fn`, again while it fails with code 11 (try again later). */
async function retryingOn11<T>(fn: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof CniError && err.code === CniCode.TryAgainLater) || i >= attempts) throw err;
    }
  }
}

describe("three-member etcd cluster", () => {
  it("with the clients' first endpoint killed, writes, lists, allocations and a watch carry on", async () => {
    const leader = await leaderEndpoint(etcd.endpoints);
    const follower = etcd.endpoints.find((e) => e !== leader) as string;
    const endpoints = [follower, ...etcd.endpoints.filter((e) => e !== follower)];
    const prefix = `/cluster-${randomBytes(4).toString("hex")}/`;
    const open = async () => {
      const store = await EtcdStore.open({ endpoints, prefix });
      stores.push(store);
      return store;
    };
    const store = await open();
    const watcher = await open();
    await new DefinitionService(store).apply([
      { kind: "Network", metadata: { name: "n1" }, spec: { tenant: "t1" } },
      { kind: "Subnet", metadata: { name: "s1" }, spec: { network: "n1", cidr: "10.30.0.0/24" } },
    ]);
    const ipam = new Ipam(store);
    const seen: WatchEvent[] = [];
    const watching = (async () => {
      for await (const event of watcher.watch("k/")) if (seen.push(event) === 20) break;
    })();

    const ips: string[] = [];
    const allocate = async (id: string) => ips.push(...(await ipam.allocate({ network: "n1", containerId: id, ifname: "eth0" })).addresses.map((a) => a.ip));
    for (let i = 0; i < 10; i++) expect((await store.createIfAbsent(`k/${String(i).padStart(2, "0")}`, i)).ok).toBe(true);
    for (let i = 0; i < 5; i++) await allocate(`before-${i}`);

    const victim = etcd.members.find((m) => m.clientUrl === follower);
    await victim?.kill();

    for (let i = 10; i < 20; i++) expect((await store.createIfAbsent(`k/${String(i).padStart(2, "0")}`, i)).ok).toBe(true);
    for (let i = 0; i < 5; i++) await allocate(`after-${i}`);
    expect((await store.list("k/")).records.map((r) => r.value)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(ips).size).toBe(10);
    expect((await store.list("leases/n1/s1/")).records).toHaveLength(10);
    // A client started now, with the dead member still listed first, works too.
    expect((await (await open()).get("k/19"))?.value).toBe(19);

    await watching;
    expect(seen.map((e) => e.key)).toEqual(Array.from({ length: 20 }, (_, i) => `k/${String(i).padStart(2, "0")}`));
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.revision).toBeGreaterThan(seen[i - 1]?.revision as number);
  });

  it("with the leader killed, a write in the election may fail with 11 (outcome unknown); retried allocations all succeed", async () => {
    for (const m of etcd.members) if (!m.running()) await m.restart();
    const leader = await leaderEndpoint(etcd.endpoints);
    const endpoints = [leader, ...etcd.endpoints.filter((e) => e !== leader)];
    // A short budget: a write whose proposal died with the leader stalls until the budget ends.
    const store = await EtcdStore.open({ endpoints, prefix: `/leader-${randomBytes(4).toString("hex")}/`, requestTimeoutMs: 2000 });
    stores.push(store);
    await new DefinitionService(store).apply([
      { kind: "Network", metadata: { name: "n1" }, spec: { tenant: "t1" } },
      { kind: "Subnet", metadata: { name: "s1" }, spec: { network: "n1", cidr: "10.31.0.0/24" } },
    ]);
    const ipam = new Ipam(store);
    await ipam.allocate({ network: "n1", containerId: "before", ifname: "eth0" });
    await etcd.members.find((m) => m.clientUrl === leader)?.kill();

    // Right after the kill: applied, or code 11 with the key then either ours or absent. Never torn.
    const write = await store.createIfAbsent("during/election", "mine").catch((err: unknown) => err);
    if (write instanceof CniError) expect(write.code).toBe(CniCode.TryAgainLater);
    else expect(write).toMatchObject({ ok: true });
    const after = await retryingOn11(() => store.get("during/election"));
    if (after !== undefined || !(write instanceof CniError)) expect(after?.value).toBe("mine");

    const ips: string[] = [];
    for (let i = 0; i < 10; i++) {
      const allocation = await retryingOn11(() => ipam.allocate({ network: "n1", containerId: `after-${i}`, ifname: "eth0" }));
      ips.push(...allocation.addresses.map((a) => a.ip));
    }
    expect(new Set(ips).size).toBe(10);
    expect((await store.list("attachments/")).records).toHaveLength(11);
    expect((await verifyIpam(store)).issues.filter((i) => i.type !== "orphan-lease")).toEqual([]);
    expect(await leaderEndpoint(endpoints.slice(1))).not.toBe(leader);
  });
});
