/**
 * The replicated log behind the file store. Every change is a file named by its revision,
 * created with link(2) from an fsynced temp file: link fails if the revision exists, so two
 * writers can never both take revision N, and a file is either absent or complete, also after
 * kill -9. A writer checks its condition (create-if-absent, compare-and-swap) against the state at
 * revision N-1 and then takes N; losing the race means reading the winner's change and checking
 * again. No locks, so no stale locks after a crash. Every so many entries a writer seals the log:
 * it writes a snapshot into a new generation directory and takes the next revision with a "seal"
 * entry pointing there; readers follow the seal.
 */
import { StoreError } from "../errors.js";
import { decodeEntry, encodeEntry, entryPath, parseGenerationName, pathsOf, type Entry, type Generation, type Paths } from "./layout.js";
import { exists, fsyncDir, linkExclusive, readIfExists, removeTree, unlinkQuietly, writeDurableTemp } from "./fsutil.js";
import { cleanup, confirmGeneration, currentGeneration, initialise, loadSnapshot, prepareGeneration } from "./generations.js";
import type { Replica, ReplicaRecord } from "./replica.js";

export interface FileLogOptions {
  /** Seal after this many entries in a generation (default: an eighth of the record count, 64..512). */
  sealEvery?: number;
  /** Confirmed generations kept for lagging watchers (default 2, minimum 2). */
  keepGenerations?: number;
}

/** What a writer decides after seeing the current state: a change, or a refusal with the current record. */
export type Decision = Entry | { refuse: ReplicaRecord | undefined };

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class FileLog {
  readonly paths: Paths;
  private gen!: Generation;
  private replica!: Replica;
  private readonly options: FileLogOptions;
  /** Called after each change this process commits (wakes local watchers early). */
  onCommit: () => void = () => {};
  /** The last error of a background seal; sealing is retried on later writes. */
  lastSealError: unknown;
  private sealPending = false;
  closed = false;

  constructor(dataDir: string, options: FileLogOptions = {}) {
    this.paths = pathsOf(dataDir);
    this.options = options;
    initialise(this.paths);
    this.reload();
    this.sync();
    cleanup(this.paths, this.keep());
  }

  private keep(): number {
    return Math.max(2, this.options.keepGenerations ?? 2);
  }

  private reload(): void {
    for (let attempt = 0; attempt < 100; attempt++) {
      const gen = currentGeneration(this.paths);
      const replica = loadSnapshot(gen);
      if (replica) {
        this.gen = gen;
        this.replica = replica;
        return;
      }
    }
    throw new StoreError(`file store ${this.paths.root}: generations keep vanishing while loading`);
  }

  /** Applies entries until the head. Returns false when the generation vanished (superseded). */
  private readForward(): boolean {
    for (;;) {
      const rev = this.replica.head + 1;
      const text = readIfExists(entryPath(this.gen, rev));
      if (text === undefined) return exists(this.gen.dir);
      const entry = decodeEntry(text);
      if (!entry) throw new StoreError(`file store: unreadable entry ${entryPath(this.gen, rev)}`);
      this.replica.apply(rev, entry);
      if (entry.op === "seal") {
        const next = parseGenerationName(this.paths, entry.next);
        if (!next) throw new StoreError(`file store: seal ${entryPath(this.gen, rev)} names no generation`);
        if (!confirmGeneration(next)) return false;
        this.gen = next;
      }
    }
  }

  /** Brings the replica to the head of the log: linearisable reads start here. */
  sync(): Replica {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (this.readForward()) return this.replica;
      this.reload();
    }
    throw new StoreError(`file store ${this.paths.root}: cannot reach the head of the log`);
  }

  /** The generation holding the head, for watchers. */
  generation(): Generation {
    return this.gen;
  }

  /**
   * Takes the next revision for the change `decide` returns given the state at the head.
   * Returns the revision, or the refusal.
   */
  commit(decide: (state: Replica) => Decision): { revision: number; entry: Entry } | { refuse: ReplicaRecord | undefined } {
    let temp: string | undefined;
    let tempText: string | undefined;
    try {
      for (let attempt = 0; attempt < 100_000; attempt++) {
        const decision = decide(this.sync());
        if ("refuse" in decision) return decision;
        const text = encodeEntry(decision);
        if (text !== tempText || temp === undefined) {
          if (temp !== undefined) unlinkQuietly(temp);
          temp = writeDurableTemp(this.paths.tmp, text);
          tempText = text;
        }
        const revision = this.replica.head + 1;
        const outcome = linkExclusive(temp, entryPath(this.gen, revision));
        if (outcome === "linked") {
          fsyncDir(this.gen.dir);
          this.replica.apply(revision, decision);
          this.afterCommit(revision);
          return { revision, entry: decision };
        }
        if (outcome === "source-missing") temp = undefined;
        // Under heavy contention back off a little so the winners' entries can be read.
        if (attempt >= 8) sleepSync(Math.random() * Math.min(attempt, 20));
      }
      throw new StoreError(`file store ${this.paths.root}: could not take a revision`);
    } finally {
      if (temp !== undefined) unlinkQuietly(temp);
    }
  }

  private sealThreshold(): number {
    if (this.options.sealEvery !== undefined) return Math.max(1, this.options.sealEvery);
    // A fresh process reads the snapshot plus up to this many entry files; a seal rewrites the
    // whole state. An eighth of the records keeps both costs proportional to the state size.
    return Math.min(512, Math.max(64, Math.ceil(this.replica.records.size / 8)));
  }

  private afterCommit(revision: number): void {
    this.onCommit();
    const since = revision - this.gen.base;
    const threshold = this.sealThreshold();
    // Several writers cross the threshold together; spread their attempts out.
    if (since < threshold || (since - threshold) % 8 !== 0) return;
    if (since >= 2 * threshold) {
      // The deferred seal never got its turn (a writer that does not yield): seal inline.
      this.trySeal();
      return;
    }
    if (this.sealPending) return;
    // Seal after the caller has its answer: a seal writes the whole state and should not add to
    // this write's latency. Losing it to an exit is harmless; a later writer seals.
    this.sealPending = true;
    setImmediate(() => {
      this.sealPending = false;
      if (!this.closed) this.trySeal();
    });
  }

  private trySeal(): void {
    try {
      this.seal();
    } catch (err) {
      this.lastSealError = err;
    }
  }

  /** Seals the log: a new generation with a snapshot of the head, reached by a seal entry. */
  seal(): boolean {
    const replica = this.sync();
    const base = replica.head + 1;
    const next = prepareGeneration(this.paths, base, replica);
    const temp = writeDurableTemp(this.paths.tmp, encodeEntry({ op: "seal", next: next.name }));
    let outcome;
    try {
      outcome = linkExclusive(temp, entryPath(this.gen, base));
    } finally {
      unlinkQuietly(temp);
    }
    if (outcome !== "linked") {
      removeTree(next.dir);
      return false;
    }
    fsyncDir(this.gen.dir);
    replica.apply(base, { op: "seal", next: next.name });
    confirmGeneration(next);
    this.gen = next;
    cleanup(this.paths, this.keep());
    return true;
  }
}
