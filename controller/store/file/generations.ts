/**
 * Generations: finding the current one, creating the first one, preparing and confirming the next
 * one when the log is sealed, and removing superseded ones. A generation directory name is never
 * reused, so a process holding a stale path gets ENOENT instead of writing into a dead log.
 */
import { closeSync, mkdirSync, openSync, readdirSync, renameSync, statSync } from "node:fs";
import { join } from "node:path";
import { StoreError } from "../errors.js";
import {
  CONFIRMED_FILE,
  FORMAT_TEXT,
  INIT_GENERATION,
  SNAPSHOT_FILE,
  padRevision,
  parseGenerationName,
  type Generation,
  type Paths,
} from "./layout.js";
import {
  ensureDir,
  errnoOf,
  exists,
  fsyncDir,
  linkExclusive,
  nonce,
  readIfExists,
  removeTree,
  unlinkQuietly,
  writeDurableTemp,
} from "./fsutil.js";
import { Replica } from "./replica.js";

/** Temp files and staging directories older than this are debris of a crashed writer. */
export const TEMP_MAX_AGE_MS = 10 * 60_000;

export interface ListedGeneration extends Generation {
  confirmed: boolean;
}

export function listGenerations(paths: Paths): ListedGeneration[] {
  const out: ListedGeneration[] = [];
  for (const name of readdirSync(paths.gen)) {
    const gen = parseGenerationName(paths, name);
    if (gen) out.push({ ...gen, confirmed: exists(join(gen.dir, CONFIRMED_FILE)) });
  }
  return out.sort((a, b) => a.base - b.base || a.name.localeCompare(b.name));
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Creates the directories and the first generation unless the store was initialised before. */
export function initialise(paths: Paths): void {
  for (const dir of [paths.root, paths.gen, paths.tmp, paths.trash]) ensureDir(dir);
  if (exists(paths.format)) return;
  const staging = join(paths.tmp, `init-${nonce()}`);
  mkdirSync(staging, { mode: 0o700 });
  const snapshot = writeDurableTemp(paths.tmp, new Replica(0).snapshotText(0));
  renameSync(snapshot, join(staging, SNAPSHOT_FILE));
  closeSync(openSync(join(staging, CONFIRMED_FILE), "wx", 0o600));
  fsyncDir(staging);
  try {
    // rename(2) of a directory onto an existing non-empty one fails: only one initialiser wins.
    renameSync(staging, join(paths.gen, INIT_GENERATION));
    fsyncDir(paths.gen);
  } catch (err) {
    if (errnoOf(err) !== "EEXIST" && errnoOf(err) !== "ENOTEMPTY") throw err;
    removeTree(staging);
  }
  const format = writeDurableTemp(paths.tmp, FORMAT_TEXT);
  linkExclusive(format, paths.format);
  unlinkQuietly(format);
  fsyncDir(paths.root);
}

/** The newest confirmed generation. Retries briefly: readdir may miss entries renamed meanwhile. */
export function currentGeneration(paths: Paths): Generation {
  for (let attempt = 0; attempt < 100; attempt++) {
    const confirmed = listGenerations(paths).filter((g) => g.confirmed);
    const newest = confirmed[confirmed.length - 1];
    if (newest) return newest;
    if (!exists(paths.format)) initialise(paths);
    else sleepSync(Math.min(1 + attempt, 20));
  }
  throw new StoreError(`file store ${paths.root}: no confirmed generation under ${paths.gen}; the store is damaged`);
}

/** The generation's snapshot, or undefined when the generation has been removed meanwhile. */
export function loadSnapshot(gen: Generation): Replica | undefined {
  const text = readIfExists(join(gen.dir, SNAPSHOT_FILE));
  if (text === undefined) return undefined;
  const replica = Replica.fromSnapshot(text);
  if (!replica || replica.head !== gen.base) throw new StoreError(`file store: malformed snapshot in ${gen.dir}`);
  return replica;
}

/** Creates the next generation (unconfirmed) holding `replica`'s state as of revision `base`. */
export function prepareGeneration(paths: Paths, base: number, replica: Replica): Generation {
  const name = `${padRevision(base)}-${nonce()}`;
  const gen = parseGenerationName(paths, name) as Generation;
  mkdirSync(gen.dir, { mode: 0o700 });
  renameSync(writeDurableTemp(paths.tmp, replica.snapshotText(base)), join(gen.dir, SNAPSHOT_FILE));
  fsyncDir(gen.dir);
  fsyncDir(paths.gen);
  return gen;
}

/** Marks a generation as reached through a seal. False when its directory no longer exists. */
export function confirmGeneration(gen: Generation): boolean {
  try {
    // An empty marker cannot be torn, so an exclusive create in place is enough.
    closeSync(openSync(join(gen.dir, CONFIRMED_FILE), "wx", 0o600));
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return false;
    if (errnoOf(err) !== "EEXIST") throw err;
    return true;
  }
  fsyncDir(gen.dir);
  return true;
}

function trash(paths: Paths, gen: Generation): void {
  try {
    renameSync(gen.dir, join(paths.trash, `${gen.name}-${nonce()}`));
  } catch (err) {
    if (errnoOf(err) !== "ENOENT") throw err;
  }
}

/**
 * Removes what no process can need: confirmed generations older than the newest `keep`, prepared
 * generations whose seal lost (their base is not above the newest confirmed base), old temp files.
 */
export function cleanup(paths: Paths, keep: number, now = Date.now()): void {
  const gens = listGenerations(paths);
  const confirmed = gens.filter((g) => g.confirmed);
  const newest = confirmed[confirmed.length - 1];
  if (!newest) return;
  for (const old of confirmed.slice(0, Math.max(0, confirmed.length - keep))) trash(paths, old);
  for (const gen of gens) {
    if (!gen.confirmed && gen.base <= newest.base && !exists(join(gen.dir, CONFIRMED_FILE))) trash(paths, gen);
  }
  for (const name of readdirSync(paths.tmp)) {
    const path = join(paths.tmp, name);
    try {
      if (now - statSync(path).mtimeMs > TEMP_MAX_AGE_MS) removeTree(path);
    } catch (err) {
      if (errnoOf(err) !== "ENOENT") throw err;
    }
  }
  for (const name of readdirSync(paths.trash)) removeTree(join(paths.trash, name));
}
