/** checkFileStore: the offline consistency check of a data directory. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { checkFileStore } from "../../../controller/store/file/check.js";
import { FileStore } from "../../../controller/store/file/file-store.js";
import { listGenerations } from "../../../controller/store/file/generations.js";
import { entryPath, pathsOf } from "../../../controller/store/file/layout.js";

let dir: string;
let data: string;
let store: FileStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "ovs-sdn-check-"));
  data = join(dir, "data");
  store = await FileStore.open(data, { sealEvery: 7 });
  const tick = () => new Promise<void>((r) => setImmediate(r));
  for (let i = 0; i < 30; i++) {
    await store.createIfAbsent(`k/${i}`, { i });
    await tick();
  }
  for (let i = 0; i < 30; i += 3) {
    await store.delete(`k/${i}`);
    await tick();
  }
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("checkFileStore", () => {
  it("a store written normally across seals is consistent", async () => {
    const report = checkFileStore(data);
    expect(report.problems).toEqual([]);
    expect(report.head).toBe(await store.revision());
    expect(report.records).toBe(20);
    expect(report.generations).toBe(2);
  });

  it("finds an entry written after a gap", async () => {
    const gen = listGenerations(pathsOf(data)).pop();
    if (!gen) throw new Error("no generation");
    writeFileSync(entryPath(gen, (await store.revision()) + 2), "del\tk/1");
    expect(checkFileStore(data).problems).toEqual([`${gen.name}/${String((await store.revision()) + 2).padStart(15, "0")}: entry after a gap in the revisions`]);
  });

  it("finds a snapshot that does not match the replayed log", async () => {
    const gen = listGenerations(pathsOf(data)).pop();
    if (!gen) throw new Error("no generation");
    writeFileSync(join(gen.dir, "snapshot"), `ovs-sdn-snapshot 1 base=${gen.base} records=0\n`);
    expect(checkFileStore(data).problems).toEqual([`${gen.name}: snapshot differs from the replayed log`]);
  });
});
