/**
 * The store conformance suite. Every backend (file store now; etcd and Kubernetes later) calls
 * runStoreConformance from its own test file. `open()` must return a new client on the same
 * backing data, as a second process would have.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store, WatchEvent } from "../../../controller/store/types.js";

export interface StoreBackend {
  open(): Promise<Store>;
  destroy(): Promise<void>;
}

async function collect<T>(iterable: AsyncIterable<WatchEvent<T>>, count: number): Promise<WatchEvent<T>[]> {
  const events: WatchEvent<T>[] = [];
  if (count === 0) return events;
  for await (const event of iterable) {
    events.push(event);
    if (events.length >= count) break;
  }
  return events;
}

function brief(events: WatchEvent[]): string[] {
  return events.map((e) => `${e.type} ${e.key}${e.type === "put" ? ` ${JSON.stringify(e.value)}` : ""}`);
}

export function runStoreConformance(name: string, makeBackend: () => Promise<StoreBackend>): void {
  describe(`store conformance: ${name}`, () => {
    let backend: StoreBackend;
    let clients: Store[];
    let store: Store;
    const open = async () => {
      const client = await backend.open();
      clients.push(client);
      return client;
    };

    beforeEach(async () => {
      backend = await makeBackend();
      clients = [];
      store = await open();
    });
    afterEach(async () => {
      for (const client of clients) await client.close();
      await backend.destroy();
    });

    it("get of a missing key is undefined", async () => {
      expect(await store.get("nope/x")).toBeUndefined();
    });

    it("createIfAbsent creates once and then reports the existing record", async () => {
      const first = await store.createIfAbsent("a/1", { v: 1 });
      expect(first.ok).toBe(true);
      const second = await store.createIfAbsent("a/1", { v: 2 });
      expect(second.ok).toBe(false);
      if (!first.ok || second.ok) throw new Error("unreachable");
      expect(second.current).toEqual(first.record);
      expect((await store.get("a/1"))?.value).toEqual({ v: 1 });
    });

    it("every change gets a higher revision, store-wide", async () => {
      const revs: number[] = [];
      for (const key of ["r/a", "r/b", "r/c"]) {
        const res = await store.createIfAbsent(key, key);
        if (!res.ok) throw new Error("create failed");
        revs.push(res.record.revision);
      }
      const swapped = await store.compareAndSwap("r/a", revs[0] as number, "a2");
      if (!swapped.ok) throw new Error("cas failed");
      revs.push(swapped.record.revision);
      const deleted = await store.delete("r/b");
      if (!deleted.ok) throw new Error("delete failed");
      revs.push(deleted.revision);
      for (let i = 1; i < revs.length; i++) expect(revs[i]).toBeGreaterThan(revs[i - 1] as number);
      expect(await store.revision()).toBe(revs[revs.length - 1]);
      expect((await store.get("r/a"))?.revision).toBe(swapped.record.revision);
    });

    it("compareAndSwap writes only at the expected revision", async () => {
      const created = await store.createIfAbsent("c/1", 1);
      if (!created.ok) throw new Error("create failed");
      const stale = created.record.revision;
      const ok = await store.compareAndSwap("c/1", stale, 2);
      expect(ok.ok).toBe(true);
      const conflict = await store.compareAndSwap("c/1", stale, 3);
      expect(conflict.ok).toBe(false);
      if (conflict.ok) throw new Error("unreachable");
      expect(conflict.current?.value).toBe(2);
      const missing = await store.compareAndSwap("c/none", 1, 1);
      expect(missing).toEqual({ ok: false, current: undefined });
      expect((await store.get("c/1"))?.value).toBe(2);
    });

    it("delete is unconditional, or conditional on the revision; deleting nothing says so", async () => {
      const a = await store.createIfAbsent("d/a", "a");
      await store.createIfAbsent("d/b", "b");
      if (!a.ok) throw new Error("create failed");
      const wrong = await store.delete("d/a", a.record.revision + 1000);
      expect(wrong.ok).toBe(false);
      expect(await store.get("d/a")).toBeDefined();
      expect((await store.delete("d/a", a.record.revision)).ok).toBe(true);
      expect((await store.delete("d/b")).ok).toBe(true);
      expect(await store.delete("d/b")).toEqual({ ok: false, current: undefined });
      expect(await store.get("d/a")).toBeUndefined();
      const again = await store.createIfAbsent("d/a", "again");
      if (!again.ok) throw new Error("recreate failed");
      expect(again.record.revision).toBeGreaterThan(a.record.revision);
    });

    it("list returns the prefix's records sorted by key, with the store revision", async () => {
      for (const key of ["l/b", "l/a", "l/c/d", "other/x", "lx"]) await store.createIfAbsent(key, key);
      const listed = await store.list("l/");
      expect(listed.records.map((r) => r.key)).toEqual(["l/a", "l/b", "l/c/d"]);
      expect(listed.revision).toBe(await store.revision());
      for (const r of listed.records) expect(r.revision).toBeLessThanOrEqual(listed.revision);
      expect((await store.list("")).records.length).toBe(5);
      expect((await store.list("nothing/")).records).toEqual([]);
    });

    it("values round-trip as JSON; mutating a value read never changes the store", async () => {
      const value = { s: "ünïcødé ✓ \t\n\"q\"", n: -1.5, b: true, z: null, a: [1, { x: [] }], o: { deep: { er: "y" } } };
      await store.createIfAbsent("v/1", value);
      value.o.deep.er = "changed after the write";
      const read = await store.get<typeof value>("v/1");
      expect(read?.value).toEqual({ ...value, o: { deep: { er: "y" } } });
      try {
        if (read) read.value.o.deep.er = "mutated"; // a copy, or frozen (TypeError in strict mode)
      } catch (err) {
        expect(err).toBeInstanceOf(TypeError);
      }
      expect((await store.get<typeof value>("v/1"))?.value.o.deep.er).toBe("y");
      expect((await store.list<typeof value>("v/")).records[0]?.value.o.deep.er).toBe("y");
    });

    it("rejects malformed keys", async () => {
      for (const key of ["", "/lead", "trail/", "a//b", "ctl\u0001"]) {
        await expect(store.createIfAbsent(key, 1)).rejects.toThrow(/key/);
      }
    });

    it("another client sees every change", async () => {
      const other = await open();
      await store.createIfAbsent("x/1", "one");
      expect((await other.get("x/1"))?.value).toBe("one");
      const current = await other.get("x/1");
      await other.compareAndSwap("x/1", current?.revision ?? 0, "two");
      expect((await store.get("x/1"))?.value).toBe("two");
      await store.delete("x/1");
      expect(await other.get("x/1")).toBeUndefined();
      expect(await other.revision()).toBe(await store.revision());
    });

    it("watch from a list's revision delivers every later change under the prefix, in order", async () => {
      await store.createIfAbsent("w/before", 0);
      const { revision } = await store.list("w/");
      const events = collect(store.watch("w/", { fromRevision: revision + 1 }), 4);
      await store.createIfAbsent("w/a", 1);
      await store.createIfAbsent("elsewhere/a", 1);
      const b = await store.createIfAbsent("w/b", 2);
      if (!b.ok) throw new Error("create failed");
      await store.compareAndSwap("w/b", b.record.revision, 3);
      await store.delete("w/a");
      const got = await events;
      expect(brief(got)).toEqual(["put w/a 1", "put w/b 2", "put w/b 3", "delete w/a"]);
      for (let i = 1; i < got.length; i++) expect(got[i]?.revision).toBeGreaterThan(got[i - 1]?.revision as number);
    });

    it("watch without a start revision delivers changes made after the call", async () => {
      await store.createIfAbsent("n/old", 0);
      const iterable = store.watch("n/");
      await store.createIfAbsent("n/new", 1);
      expect(brief(await collect(iterable, 1))).toEqual(["put n/new 1"]);
    });

    it("watch from a past revision replays history", async () => {
      const first = await store.createIfAbsent("h/1", 1);
      await store.createIfAbsent("h/2", 2);
      await store.delete("h/1");
      if (!first.ok) throw new Error("create failed");
      const got = await collect(store.watch("h/", { fromRevision: first.record.revision }), 3);
      expect(brief(got)).toEqual(["put h/1 1", "put h/2 2", "delete h/1"]);
    });

    it("watch delivers another client's changes", async () => {
      const other = await open();
      const events = collect(store.watch("o/"), 2);
      await other.createIfAbsent("o/1", "from other");
      await other.delete("o/1");
      expect(brief(await events)).toEqual(['put o/1 "from other"', "delete o/1"]);
    });

    it("watch ends when its signal aborts", async () => {
      const controller = new AbortController();
      const events = collect(store.watch("abort/", { signal: controller.signal }), 10);
      await store.createIfAbsent("abort/1", 1);
      setTimeout(() => controller.abort(), 50);
      const got = await events;
      expect(brief(got)).toEqual(["put abort/1 1"]);
    });

    it("concurrent createIfAbsent of one key from several clients: exactly one wins", async () => {
      const others = await Promise.all([open(), open(), open(), open()]);
      const results = await Promise.all([store, ...others].map((client, i) => client.createIfAbsent("race/key", i)));
      expect(results.filter((r) => r.ok).length).toBe(1);
      const winner = results.find((r) => r.ok);
      const value = (await store.get("race/key"))?.value;
      expect(winner?.ok && winner.record.value).toBe(value);
    });

    it("concurrent compare-and-swap increments lose no update", async () => {
      const all = [store, ...(await Promise.all([open(), open(), open()]))];
      await store.createIfAbsent("counter", 0);
      const increment = async (client: Store, times: number) => {
        for (let done = 0; done < times; ) {
          const current = await client.get<number>("counter");
          if (!current) throw new Error("counter vanished");
          const res = await client.compareAndSwap("counter", current.revision, current.value + 1);
          if (res.ok) done++;
        }
      };
      await Promise.all(all.map((client) => increment(client, 25)));
      expect((await store.get("counter"))?.value).toBe(100);
    });
  });
}
