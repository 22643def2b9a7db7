/** File-store specifics: generations, sealing, compaction, and debris left by crashed writers. */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreCompactedError, StoreError } from "../../../controller/store/errors.js";
import { FileStore } from "../../../controller/store/file/file-store.js";
import { listGenerations } from "../../../controller/store/file/generations.js";
import { entryPath, pathsOf } from "../../../controller/store/file/layout.js";
import type { Store, WatchEvent } from "../../../controller/store/types.js";

/** Seals run on the event-loop turn after a write. */
const tick = () => new Promise<void>((r) => setImmediate(r));

let dir: string;
let data: string;
const opened: Store[] = [];
async function open(options: Parameters<typeof FileStore.open>[1] = {}): Promise<FileStore> {
  const store = await FileStore.open(data, { watchPollMs: 50, ...options });
  opened.push(store);
  return store;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "ovs-sdn-gen-"));
  data = join(dir, "data");
});
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("file store generations", () => {
  it("reopening the data directory gives the same records and revision", async () => {
    const a = await open();
    for (let i = 0; i < 10; i++) await a.createIfAbsent(`k/${i}`, { i });
    await a.delete("k/3");
    const b = await open();
    expect((await b.list("k/")).records.map((r) => r.value)).toEqual((await a.list("k/")).records.map((r) => r.value));
    expect(await b.revision()).toBe(await a.revision());
  });

  it("seals the log, keeps two generations, and a fresh process reads snapshot plus tail", async () => {
    const a = await open({ sealEvery: 5 });
    for (let i = 0; i < 60; i++) {
      await a.createIfAbsent(`k/${i}`, i);
      await tick();
    }
    const gens = listGenerations(pathsOf(data));
    expect(gens.filter((g) => g.confirmed).length).toBe(2);
    const newest = gens[gens.length - 1];
    expect(newest?.base).toBeGreaterThan(40);
    const b = await open();
    const listed = await b.list("k/");
    expect(listed.records.length).toBe(60);
    expect(listed.revision).toBe(await a.revision());
  });

  it("a watcher follows seals into new generations and misses no change", async () => {
    const a = await open({ sealEvery: 4, keepGenerations: 100 });
    const events: WatchEvent[] = [];
    const done = (async () => {
      for await (const e of a.watch("k/", { fromRevision: 1 })) {
        events.push(e);
        if (events.length === 40) break;
      }
    })();
    const b = await open({ sealEvery: 4, keepGenerations: 100 });
    for (let i = 0; i < 40; i++) {
      await (i % 2 ? a : b).createIfAbsent(`k/${i}`, i);
      await tick();
    }
    await done;
    expect(events.map((e) => (e.type === "put" ? e.value : null))).toEqual([...Array(40).keys()]);
    expect(listGenerations(pathsOf(data)).length).toBeGreaterThan(5);
  });

  it("a watch asking for compacted history gets StoreCompactedError", async () => {
    const a = await open({ sealEvery: 2 });
    for (let i = 0; i < 20; i++) {
      await a.createIfAbsent(`k/${i}`, i);
      await tick();
    }
    const iterator = a.watch("k/", { fromRevision: 1 })[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBeInstanceOf(StoreCompactedError);
  });

  it("a client whose generation was removed meanwhile catches up on its next call", async () => {
    const stale = await open({ sealEvery: 3 });
    await stale.createIfAbsent("k/first", 0);
    const busy = await open({ sealEvery: 3 });
    for (let i = 0; i < 30; i++) {
      await busy.createIfAbsent(`k/${i}`, i);
      await tick();
    }
    const created = await stale.createIfAbsent("k/last", "x");
    expect(created.ok).toBe(true);
    expect((await stale.list("k/")).records.length).toBe(32);
    expect((await busy.get("k/last"))?.revision).toBe(created.ok ? created.record.revision : -1);
    expect(await busy.createIfAbsent("k/5", "again")).toMatchObject({ ok: false });
  });

  it("ignores and removes debris of crashed writers, keeps young temp files", async () => {
    const a = await open();
    await a.createIfAbsent("k/1", 1);
    await a.close();
    const paths = pathsOf(data);
    const oldTemp = join(paths.tmp, "12345-deadbeef");
    writeFileSync(oldTemp, "put\tk/1\t{\"torn");
    utimesSync(oldTemp, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    const youngTemp = join(paths.tmp, "12345-cafe");
    writeFileSync(youngTemp, "put\tk/2\t{");
    // A generation prepared by a writer that died before its seal entry was linked.
    const orphan = join(paths.gen, "000000000000000-0rphan");
    mkdirSync(orphan);
    writeFileSync(join(orphan, "snapshot"), "ovs-sdn-snapshot 1 base=0 rec");
    const b = await open();
    expect(existsSync(oldTemp)).toBe(false);
    expect(existsSync(youngTemp)).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    expect((await b.list("")).records.map((r) => r.key)).toEqual(["k/1"]);
    expect((await b.createIfAbsent("k/2", 2)).ok).toBe(true);
  });

  it("a seal whose writer died before confirming the new generation is followed by readers", async () => {
    const a = await open();
    await a.createIfAbsent("k/1", 1);
    expect(await a.compact()).toBe(true);
    await a.createIfAbsent("k/2", 2);
    const paths = pathsOf(data);
    const newest = listGenerations(paths).pop();
    if (!newest) throw new Error("no generation");
    unlinkSync(join(newest.dir, "confirmed"));
    const b = await open();
    expect((await b.list("k/")).records.map((r) => r.value)).toEqual([1, 2]);
    expect(existsSync(join(newest.dir, "confirmed"))).toBe(true);
  });

  it("reports an entry that is not a change as corruption instead of guessing", async () => {
    const a = await open();
    await a.createIfAbsent("k/1", 1);
    const gen = listGenerations(pathsOf(data)).pop();
    if (!gen) throw new Error("no generation");
    writeFileSync(entryPath(gen, (await a.revision()) + 1), "garbage");
    await expect(a.get("k/1")).rejects.toBeInstanceOf(StoreError);
  });

  it("data directory holds nothing but the layout", async () => {
    const a = await open();
    await a.createIfAbsent("k/1", 1);
    expect(readdirSync(data).sort()).toEqual(["FORMAT", "gen", "tmp", "trash"]);
    expect(readdirSync(pathsOf(data).tmp)).toEqual([]);
  });
});
