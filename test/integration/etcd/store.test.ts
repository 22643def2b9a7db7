/** What the conformance suite cannot say about etcd: shared watches, compaction, prefixes, outages. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CniCode } from "../../../plugin/cni/errors.js";
import { StoreCompactedError } from "../../../controller/store/errors.js";
import { EtcdStore } from "../../../controller/store/etcd/etcd-store.js";
import { EtcdUnavailableError } from "../../../controller/store/etcd/errors.js";
import type { Store, WatchEvent } from "../../../controller/store/types.js";
import { startEtcd, type EtcdCluster } from "../../helpers/etcd.js";
import { createNetns, deleteNetns, execInNetns, uniqueName } from "../../helpers/netns.js";

let etcd: EtcdCluster;
const stores: Store[] = [];

async function open(prefix: string, endpoints = etcd.endpoints, requestTimeoutMs?: number): Promise<EtcdStore> {
  const store = await EtcdStore.open({ endpoints, prefix, ...(requestTimeoutMs ? { requestTimeoutMs } : {}) });
  stores.push(store);
  return store;
}

function uniquePrefix(): string {
  return `/t-${randomBytes(4).toString("hex")}/`;
}

async function collect(iterable: AsyncIterable<WatchEvent>, count: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  for await (const event of iterable) {
    events.push(event);
    if (events.length === count) break;
  }
  return events;
}

beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  for (const s of stores) await s.close();
  await etcd?.stop();
});

describe("etcd store", () => {
  it("two clients watching see the same changes, with the revisions their writers got", async () => {
    const prefix = uniquePrefix();
    const a = await open(prefix);
    const b = await open(prefix);
    const seenByA = collect(a.watch("w/"), 4);
    const seenByB = collect(b.watch("w/"), 4);
    const revisions: number[] = [];
    const r1 = await a.createIfAbsent("w/1", "a");
    const r2 = await b.createIfAbsent("w/2", "b");
    if (!r1.ok || !r2.ok) throw new Error("create failed");
    const r3 = await b.compareAndSwap("w/1", r1.record.revision, "b");
    const r4 = await a.delete("w/2");
    if (!r3.ok || !r4.ok) throw new Error("write failed");
    revisions.push(r1.record.revision, r2.record.revision, r3.record.revision, r4.revision);
    const [eventsA, eventsB] = await Promise.all([seenByA, seenByB]);
    expect(eventsA).toEqual(eventsB);
    expect(eventsA.map((e) => e.revision)).toEqual(revisions);
    expect(eventsA.map((e) => `${e.type} ${e.key}`)).toEqual(["put w/1", "put w/2", "put w/1", "delete w/2"]);
  });

  it("a watch from before a compaction fails with StoreCompactedError (code 11); from the list revision it works", async () => {
    const store = await open(uniquePrefix());
    const first = await store.createIfAbsent("c/1", 1);
    await store.createIfAbsent("c/2", 2);
    if (!first.ok) throw new Error("create failed");
    const compactAt = await store.revision();
    const res = await fetch(`${etcd.endpoints[0]}/v3/kv/compaction`, { method: "POST", body: JSON.stringify({ revision: String(compactAt), physical: true }) });
    expect(res.status).toBe(200);

    const failure = collect(store.watch("c/", { fromRevision: first.record.revision }), 1);
    await expect(failure).rejects.toBeInstanceOf(StoreCompactedError);
    const err = (await failure.catch((e: unknown) => e)) as StoreCompactedError;
    expect(err.code).toBe(CniCode.TryAgainLater);
    expect(err.oldestRevision).toBe(compactAt);

    const listed = await store.list("c/");
    expect(listed.records.map((r) => r.key)).toEqual(["c/1", "c/2"]);
    const after = collect(store.watch("c/", { fromRevision: listed.revision + 1 }), 1);
    await store.delete("c/1");
    expect((await after).map((e) => `${e.type} ${e.key}`)).toEqual(["delete c/1"]);
  });

  it("each deployment prefix is its own key space", async () => {
    const one = await open("/deployment-one/");
    const two = await open("/deployment-one-b/");
    expect((await one.createIfAbsent("k", "one")).ok).toBe(true);
    expect((await two.createIfAbsent("k", "two")).ok).toBe(true);
    expect((await one.list("")).records.map((r) => r.value)).toEqual(["one"]);
    expect((await two.list("")).records.map((r) => r.value)).toEqual(["two"]);
    const raw = await fetch(`${etcd.endpoints[0]}/v3/kv/range`, { method: "POST", body: JSON.stringify({ key: Buffer.from("/deployment-one/k").toString("base64") }) });
    const body = (await raw.json()) as { kvs?: { value: string }[] };
    expect(Buffer.from(body.kvs?.[0]?.value ?? "", "base64").toString()).toBe('"one"');
  });

  it("no member reachable: open fails with code 11 and names the endpoints", async () => {
    const dead = "http://127.0.0.1:1"; // nothing listens on port 1
    const failure = EtcdStore.open({ endpoints: [dead, "http://127.0.0.1:9"], requestTimeoutMs: 300 });
    await expect(failure).rejects.toBeInstanceOf(EtcdUnavailableError);
    await expect(failure).rejects.toMatchObject({ code: CniCode.TryAgainLater, message: expect.stringContaining("http://127.0.0.1:1, http://127.0.0.1:9") });
  });

  it("etcd down: calls fail with 11; back: calls work and a running watch resumes without missing or repeating a change", async () => {
    const own = await startEtcd();
    try {
      const store = await open(uniquePrefix(), own.endpoints, 1000);
      const events = collect(store.watch("d/"), 3);
      await store.createIfAbsent("d/1", "before");
      await own.members[0]?.kill();
      await expect(store.createIfAbsent("d/2", "during")).rejects.toMatchObject({ code: CniCode.TryAgainLater });
      await expect(store.get("d/1")).rejects.toBeInstanceOf(EtcdUnavailableError);
      await own.members[0]?.restart();
      expect((await store.createIfAbsent("d/2", "after")).ok).toBe(true);
      expect((await store.createIfAbsent("d/3", "after")).ok).toBe(true);
      expect((await events).map((e) => `${e.type} ${e.key}`)).toEqual(["put d/1", "put d/2", "put d/3"]);
    } finally {
      await own.stop();
    }
  });
});

describe("etcd store over TLS", () => {
  it("works with the CA and a client certificate; without the certificate or the CA it fails with 11", async () => {
    const secure = await startEtcd({ tls: true });
    try {
      const tls = secure.tls as { ca: string; cert: string; key: string };
      expect(secure.endpoints[0]).toMatch(/^https:\/\//);
      const store = await EtcdStore.open({ endpoints: secure.endpoints, prefix: uniquePrefix(), tls });
      stores.push(store);
      const events = collect(store.watch("s/"), 1);
      expect((await store.createIfAbsent("s/1", "secret")).ok).toBe(true);
      expect((await store.get("s/1"))?.value).toBe("secret");
      expect((await events).map((e) => e.key)).toEqual(["s/1"]);

      const noCert = EtcdStore.open({ endpoints: secure.endpoints, tls: { ca: tls.ca }, requestTimeoutMs: 500 });
      await expect(noCert).rejects.toMatchObject({ code: CniCode.TryAgainLater });
      const noCa = EtcdStore.open({ endpoints: secure.endpoints, requestTimeoutMs: 500 });
      await expect(noCa).rejects.toMatchObject({ code: CniCode.TryAgainLater, message: expect.stringMatching(/certificate/) });
    } finally {
      await secure.stop();
    }
  });
});

describe("test helper", () => {
  it("runs etcd inside a network namespace, reachable there and stopped with it", async () => {
    const ns = uniqueName("etcd");
    await createNetns(ns);
    try {
      const inside = await startEtcd({ netns: ns });
      const script = `import json,sys,urllib.request as u
print(json.load(u.urlopen(u.Request(sys.argv[1] + "/v3/maintenance/status", data=b"{}")))["version"])`;
      try {
        expect((await execInNetns(ns, "python3", ["-c", script, inside.endpoints[0] as string])).trim()).toMatch(/^3\.\d+\.\d+$/);
        // Not from this namespace: the member listens on the namespace's own loopback.
        await expect(EtcdStore.open({ endpoints: inside.endpoints, requestTimeoutMs: 300 })).rejects.toMatchObject({ code: CniCode.TryAgainLater });
      } finally {
        await inside.stop();
      }
      expect(inside.members[0]?.running()).toBe(false);
    } finally {
      await deleteNetns(ns);
    }
  });
});
