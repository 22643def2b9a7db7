/**
 * Host and endpoint records without etcd: key parsing, validation, and the registry and cluster
 * view on the file store (whose leases never expire: a single host has nobody to expire for).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ClusterView, readCluster } from "../../../controller/hosts/cluster-view.js";
import { HostRegistry } from "../../../controller/hosts/host-registry.js";
import { isLeasedStore, withLeases } from "../../../controller/hosts/leased-store.js";
import { endpointKey, endpointProblems, hostProblems, parseClusterKey } from "../../../controller/hosts/records.js";
import { StoreCompactedError } from "../../../controller/store/errors.js";
import { FileStore } from "../../../controller/store/file/file-store.js";
import type { Store } from "../../../controller/store/types.js";

describe("cluster keys and records", () => {
  it("parses host and endpoint keys; anything else is not a cluster key", () => {
    expect(parseClusterKey("cluster/hosts/node-1")).toEqual({ kind: "host", host: "node-1" });
    expect(parseClusterKey(endpointKey({ host: "node-1", network: "blue", mac: "02:00:00:00:00:0A" }))).toEqual({ kind: "endpoint", host: "node-1", network: "blue", mac: "02:00:00:00:00:0a" });
    for (const key of ["cluster/hosts/", "cluster/hosts/a/b", "cluster/endpoints/h/n", "cluster/endpoints/h/n/not-a-mac", "cluster/endpoints/h/n/02:00:00:00:00:01/x", "leases/n/s/10.0.0.1"]) {
      expect(parseClusterKey(key), key).toBeUndefined();
    }
  });

  it("validates records and names the field and value", () => {
    expect(hostProblems({ name: "h1", tunnelIp: "fd10::1", time: "2025-01-01T00:00:00.000Z" })).toEqual([]);
    expect(hostProblems({ name: "h 1", tunnelIp: "10.0.0.256", time: "yesterday" })).toEqual([
      'host record: name "h 1" is not a host name',
      'host record: tunnelIp "10.0.0.256" is not an IP address',
      'host record: time "yesterday" is not an ISO time',
    ]);
    expect(endpointProblems({ host: "h1", network: "n1", mac: "02:00:00:00:00:01", ips: ["10.0.0.1", "fd10::1"], vni: 5000 })).toEqual([]);
    expect(endpointProblems({ host: "h1", network: "n/1", mac: "02:00:00:00:00:0A", ips: "10.0.0.1", vni: 0 })).toEqual([
      'endpoint record: network "n/1" is not a network name',
      'endpoint record: mac "02:00:00:00:00:0A" is not a lower-case MAC address',
      'endpoint record: ips "10.0.0.1" must be a list of IP addresses',
      "endpoint record: vni 0 must be 1..16777215",
    ]);
    expect(endpointProblems(null)).toEqual(["endpoint record: not an object"]);
  });
});

describe("host registry and cluster view on the file store", () => {
  let dir: string;
  let store: FileStore;
  let view: ClusterView | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "ovs-sdn-hosts-"));
    store = await FileStore.open(join(dir, "data"), { watchPollMs: 20 });
  });
  afterEach(async () => {
    await view?.stop();
    view = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const waitFor = async (what: string, condition: () => boolean) => {
    for (const deadline = Date.now() + 5000; !condition(); await new Promise((r) => setTimeout(r, 10))) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    }
  };

  it("the file store gets leases that never expire; deregister deletes the records itself", async () => {
    expect(isLeasedStore(store)).toBe(false);
    expect(withLeases(store).leasesExpire).toBe(false);
    const registry = new HostRegistry(store, { name: "solo", tunnelIp: "10.9.0.1", ttlSeconds: 1, now: () => new Date("2025-01-01T00:00:00Z") });
    await registry.start();
    await registry.publishEndpoint({ network: "n1", mac: "02:00:00:00:00:01", ips: ["10.1.0.2"] });
    await registry.publishEndpoint({ network: "n1", mac: "02:00:00:00:00:01", ips: ["10.1.0.3"] }); // an update
    expect((await store.list("cluster/")).records.map((r) => [r.key, r.value])).toEqual([
      ["cluster/endpoints/solo/n1/02:00:00:00:00:01", { network: "n1", mac: "02:00:00:00:00:01", ips: ["10.1.0.3"], host: "solo" }],
      ["cluster/hosts/solo", { name: "solo", tunnelIp: "10.9.0.1", time: "2025-01-01T00:00:00.000Z" }],
    ]);
    await registry.deregister();
    expect((await store.list("cluster/")).records).toEqual([]);
  });

  it("the view follows puts and deletes, skips malformed records and drops one a malformed write replaced", async () => {
    const registry = new HostRegistry(store, { name: "h1", tunnelIp: "10.9.0.1" });
    await registry.start();
    view = new ClusterView(store);
    await view.start();
    expect([...view.hosts.keys()]).toEqual(["h1"]);
    await registry.publishEndpoint({ network: "n1", mac: "02:00:00:00:00:01", ips: ["10.1.0.2"] });
    await waitFor("the endpoint", () => view?.endpoints.size === 1);
    expect(view.remoteEndpoints("h1")).toEqual([]);
    expect(view.remoteEndpoints("h2").map((e) => e.ips)).toEqual([["10.1.0.2"]]);

    const key = "cluster/endpoints/h1/n1/02:00:00:00:00:01";
    const current = await store.get(key);
    await store.compareAndSwap(key, current?.revision ?? 0, { host: "h1", network: "n1", mac: "02:00:00:00:00:02", ips: [] }); // names another MAC than its key
    await store.createIfAbsent("cluster/hosts/h9", { name: "h9" });
    const mark = await store.createIfAbsent("cluster/hosts/h3", { name: "h3", tunnelIp: "10.9.0.3", time: new Date().toISOString() });
    await waitFor("the last write", () => view?.revision === (mark.ok ? mark.record.revision : -1));
    expect(view.endpoints.size).toBe(0);
    expect([...view.hosts.keys()].sort()).toEqual(["h1", "h3"]);
    const once = await readCluster(store);
    expect([[...once.hosts.keys()].sort(), once.endpoints.size, once.revision]).toEqual([["h1", "h3"], 0, view.revision]);
    await registry.stop();
  });

  it("the view lists again when its watch reports compacted history", async () => {
    let failOnce = true;
    const compacting: Store = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === "watch" && failOnce) {
          failOnce = false;
          return () => ({
            [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new StoreCompactedError(1, 5)) }),
          });
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    view = new ClusterView(compacting);
    await view.start();
    const registry = new HostRegistry(store, { name: "late", tunnelIp: "10.9.0.7" });
    await registry.start();
    await waitFor("the host written after the compaction", () => view?.hosts.has("late") === true);
    expect(failOnce).toBe(false);
    await registry.stop();
  });
});
