/**
 * On-disk layout of the file store (design: docs/model.md "Store"):
 *
 *   DATA/FORMAT                      marks an initialised store
 *   DATA/gen/<base>-<nonce>/         a generation: the state at revision <base> plus the changes after it
 *       snapshot                     the state at <base> (one record per line)
 *       confirmed                    present once a seal entry of the previous generation points here
 *       <rev>                        one change, created with link(2): exclusive and never torn
 *   DATA/tmp/                        files being written (fsynced, then linked into place)
 *   DATA/trash/                      superseded generations being removed
 */
import { join } from "node:path";

export const REV_DIGITS = 15;
export const SNAPSHOT_FILE = "snapshot";
export const CONFIRMED_FILE = "confirmed";
export const FORMAT_FILE = "FORMAT";
export const FORMAT_TEXT = "ovs-sdn-file-store 1\n";
export const INIT_GENERATION = `${"0".repeat(REV_DIGITS)}-init`;

export function padRevision(rev: number): string {
  return String(rev).padStart(REV_DIGITS, "0");
}

export interface Paths {
  root: string;
  gen: string;
  tmp: string;
  trash: string;
  format: string;
}

export function pathsOf(dataDir: string): Paths {
  return {
    root: dataDir,
    gen: join(dataDir, "gen"),
    tmp: join(dataDir, "tmp"),
    trash: join(dataDir, "trash"),
    format: join(dataDir, FORMAT_FILE),
  };
}

export interface Generation {
  name: string;
  /** Revision whose state the snapshot holds; entries start at base + 1. */
  base: number;
  dir: string;
}

export function parseGenerationName(paths: Paths, name: string): Generation | undefined {
  const m = /^(\d{15})-([a-z0-9]+)$/.exec(name);
  if (!m) return undefined;
  return { name, base: Number(m[1]), dir: join(paths.gen, name) };
}

export function entryPath(gen: Generation, rev: number): string {
  return join(gen.dir, padRevision(rev));
}

/** One change in the log. Values stay JSON text so reading the log never parses them. */
export type Entry =
  | { op: "put"; key: string; valueText: string }
  | { op: "del"; key: string }
  | { op: "seal"; next: string };

export function encodeEntry(entry: Entry): string {
  switch (entry.op) {
    case "put":
      return `put\t${entry.key}\t${entry.valueText}`;
    case "del":
      return `del\t${entry.key}`;
    case "seal":
      return `seal\t${entry.next}`;
  }
}

export function decodeEntry(text: string): Entry | undefined {
  const tab = text.indexOf("\t");
  if (tab < 0) return undefined;
  const op = text.slice(0, tab);
  const rest = text.slice(tab + 1);
  if (op === "del") return { op, key: rest };
  if (op === "seal") return { op, next: rest };
  if (op !== "put") return undefined;
  const tab2 = rest.indexOf("\t");
  if (tab2 < 0) return undefined;
  return { op, key: rest.slice(0, tab2), valueText: rest.slice(tab2 + 1) };
}
