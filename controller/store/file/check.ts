/**
 * Offline consistency check of a file store directory: every generation's snapshot and entries
 * parse, revisions are contiguous, seals chain the generations, and replaying the log from the
 * oldest snapshot reproduces every newer snapshot. Also counts debris left by crashed writers
 * (removed by the next open, or by `cleanup`).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CONFIRMED_FILE, SNAPSHOT_FILE, decodeEntry, entryPath, pathsOf, type Generation } from "./layout.js";
import { exists, readIfExists } from "./fsutil.js";
import { listGenerations } from "./generations.js";
import { Replica } from "./replica.js";

export interface FileStoreReport {
  generations: number;
  entries: number;
  head: number;
  records: number;
  problems: string[];
  debris: { tempFiles: number; unconfirmedGenerations: number };
}

function sameState(a: Replica, b: Replica): boolean {
  if (a.records.size !== b.records.size) return false;
  for (const [key, rec] of a.records) {
    const other = b.records.get(key);
    if (!other || other.revision !== rec.revision || other.text !== rec.text) return false;
  }
  return true;
}

export function checkFileStore(dataDir: string): FileStoreReport {
  const paths = pathsOf(dataDir);
  const problems: string[] = [];
  const all = listGenerations(paths);
  const confirmed = all.filter((g) => g.confirmed);
  const report: FileStoreReport = {
    generations: confirmed.length,
    entries: 0,
    head: 0,
    records: 0,
    problems,
    debris: { tempFiles: exists(paths.tmp) ? readdirSync(paths.tmp).length : 0, unconfirmedGenerations: all.length - confirmed.length },
  };
  let replica: Replica | undefined;
  let gen: Generation | undefined = confirmed[0];
  while (gen) {
    const snapshot = Replica.fromSnapshot(readIfExists(join(gen.dir, SNAPSHOT_FILE)) ?? "");
    if (!snapshot || snapshot.head !== gen.base) problems.push(`${gen.name}: snapshot missing or malformed`);
    else if (!replica) replica = snapshot;
    else if (replica.head !== gen.base || !sameState(replica, snapshot)) problems.push(`${gen.name}: snapshot differs from the replayed log`);
    if (!replica) break;
    let next: Generation | undefined;
    for (let rev = gen.base + 1; ; rev++) {
      const text = readIfExists(entryPath(gen, rev));
      if (text === undefined) break;
      const entry = decodeEntry(text);
      if (!entry) {
        problems.push(`${gen.name}/${rev}: unreadable entry`);
        break;
      }
      replica.apply(rev, entry);
      report.entries++;
      if (entry.op === "seal") {
        next = all.find((g) => g.name === entry.next);
        if (!next) problems.push(`${gen.name}/${rev}: seal names missing generation ${entry.next}`);
        else if (!exists(join(next.dir, CONFIRMED_FILE))) problems.push(`${next.name}: reached by a seal but not confirmed`);
        break;
      }
    }
    const last = replica.head;
    for (const name of readdirSync(gen.dir)) {
      if (/^\d+$/.test(name) && Number(name) > last) problems.push(`${gen.name}/${name}: entry after a gap in the revisions`);
    }
    gen = next;
  }
  report.head = replica?.head ?? 0;
  report.records = replica?.records.size ?? 0;
  if (confirmed.length === 0) problems.push("no confirmed generation");
  return report;
}
