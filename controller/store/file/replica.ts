/**
 * A process's in-memory copy of the store: the snapshot of a generation plus every entry after it.
 * Values are kept as JSON text so that get/list hand out fresh objects (no aliasing) and loading
 * a snapshot parses no values.
 */
import type { Entry } from "./layout.js";

export interface ReplicaRecord {
  text: string;
  revision: number;
  /** The parsed value, deep-frozen, once someone read it: list() parses nothing twice. */
  parsed?: unknown;
}

const SNAPSHOT_MAGIC = "ovs-sdn-snapshot 1";

export class Replica {
  readonly records = new Map<string, ReplicaRecord>();
  head: number;

  constructor(head: number) {
    this.head = head;
  }

  apply(rev: number, entry: Entry): void {
    if (rev !== this.head + 1) throw new Error(`replica at ${this.head} cannot apply revision ${rev}`);
    if (entry.op === "put") this.records.set(entry.key, { text: entry.valueText, revision: rev });
    else if (entry.op === "del") this.records.delete(entry.key);
    this.head = rev;
  }

  /** The snapshot text of the current state, labelled with `base` (the seal's revision). */
  snapshotText(base: number): string {
    const lines = [`${SNAPSHOT_MAGIC} base=${base} records=${this.records.size}`];
    for (const [key, rec] of this.records) lines.push(`${rec.revision}\t${key}\t${rec.text}`);
    return `${lines.join("\n")}\n`;
  }

  /** Parses a snapshot; undefined when it is malformed (which the writer's rename makes impossible). */
  static fromSnapshot(text: string): Replica | undefined {
    const lines = text.split("\n");
    const header = /^ovs-sdn-snapshot 1 base=(\d+) records=(\d+)$/.exec(lines[0] ?? "");
    if (!header) return undefined;
    const replica = new Replica(Number(header[1]));
    const count = Number(header[2]);
    for (let i = 1; i <= count; i++) {
      const line = lines[i] ?? "";
      const t1 = line.indexOf("\t");
      const t2 = line.indexOf("\t", t1 + 1);
      if (t1 < 0 || t2 < 0) return undefined;
      replica.records.set(line.slice(t1 + 1, t2), { revision: Number(line.slice(0, t1)), text: line.slice(t2 + 1) });
    }
    return lines.length === count + 2 && lines[count + 1] === "" ? replica : undefined;
  }
}
