/**
 * The embedded file store: the default backend, one data directory per host, shared by any number
 * of controller, CLI and plugin processes. Design and crash-safety argument: docs/model.md "Store".
 */
import { StoreError, StoreKeyError } from "../errors.js";
import { isValidKey, type DeleteResult, type ListResult, type Store, type StoreRecord, type WatchEvent, type WatchOptions, type WriteResult } from "../types.js";
import { FileLog, type FileLogOptions } from "./file-log.js";
import type { ReplicaRecord } from "./replica.js";
import { watchLog } from "./watch.js";

export interface FileStoreOptions extends FileLogOptions {
  /** Fallback poll interval of watches in ms (default 200); inotify usually wakes them sooner. */
  watchPollMs?: number;
}

function checkKey(key: string): void {
  if (!isValidKey(key)) throw new StoreKeyError(key);
}

function toText(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new StoreError("store values must be JSON-serialisable (got undefined)");
  return text;
}

function deepFreeze(value: unknown): unknown {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Values are parsed once and shared, frozen: a caller mutating one gets a TypeError, never a changed store. */
function valueOf(rec: ReplicaRecord): unknown {
  if (!("parsed" in rec)) rec.parsed = deepFreeze(JSON.parse(rec.text));
  return rec.parsed;
}

function toRecord<T>(key: string, rec: ReplicaRecord | undefined): StoreRecord<T> | undefined {
  return rec ? { key, value: valueOf(rec) as T, revision: rec.revision } : undefined;
}

export class FileStore implements Store {
  private readonly log: FileLog;
  private readonly wakers = new Set<() => void>();
  private closed = false;
  private readonly pollMs: number;

  private constructor(dataDir: string, options: FileStoreOptions) {
    this.log = new FileLog(dataDir, options);
    this.log.onCommit = () => this.wakeAll();
    this.pollMs = options.watchPollMs ?? 200;
  }

  /** Opens (and initialises when empty) the store in `dataDir`. */
  static async open(dataDir: string, options: FileStoreOptions = {}): Promise<FileStore> {
    try {
      return new FileStore(dataDir, options);
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError(`cannot open file store ${dataDir}: ${(err as Error).message}`, { cause: err });
    }
  }

  get dataDir(): string {
    return this.log.paths.root;
  }

  private wakeAll(): void {
    for (const wake of this.wakers) wake();
  }

  private use<R>(what: string, fn: () => R): R {
    if (this.closed) throw new StoreError("file store is closed");
    try {
      return fn();
    } catch (err) {
      if (err instanceof StoreError || err instanceof StoreKeyError) throw err;
      throw new StoreError(`file store ${what}: ${(err as Error).message}`, { cause: err });
    }
  }

  async get<T = unknown>(key: string): Promise<StoreRecord<T> | undefined> {
    checkKey(key);
    return this.use("get", () => toRecord<T>(key, this.log.sync().records.get(key)));
  }

  async list<T = unknown>(prefix: string): Promise<ListResult<T>> {
    return this.use("list", () => {
      const replica = this.log.sync();
      const records: StoreRecord<T>[] = [];
      for (const [key, rec] of replica.records) {
        if (key.startsWith(prefix)) records.push(toRecord<T>(key, rec) as StoreRecord<T>);
      }
      records.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      return { records, revision: replica.head };
    });
  }

  async createIfAbsent<T = unknown>(key: string, value: T): Promise<WriteResult<T>> {
    checkKey(key);
    const valueText = toText(value);
    return this.use("createIfAbsent", () => {
      const result = this.log.commit((state) => {
        const current = state.records.get(key);
        return current ? { refuse: current } : { op: "put", key, valueText };
      });
      if ("refuse" in result) return { ok: false, current: toRecord<T>(key, result.refuse) };
      return { ok: true, record: { key, value: deepFreeze(JSON.parse(valueText)) as T, revision: result.revision } };
    });
  }

  async compareAndSwap<T = unknown>(key: string, expectedRevision: number, value: T): Promise<WriteResult<T>> {
    checkKey(key);
    const valueText = toText(value);
    return this.use("compareAndSwap", () => {
      const result = this.log.commit((state) => {
        const current = state.records.get(key);
        return current?.revision === expectedRevision ? { op: "put", key, valueText } : { refuse: current };
      });
      if ("refuse" in result) return { ok: false, current: toRecord<T>(key, result.refuse) };
      return { ok: true, record: { key, value: deepFreeze(JSON.parse(valueText)) as T, revision: result.revision } };
    });
  }

  async delete<T = unknown>(key: string, expectedRevision?: number): Promise<DeleteResult<T>> {
    checkKey(key);
    return this.use("delete", () => {
      const result = this.log.commit((state) => {
        const current = state.records.get(key);
        if (!current || (expectedRevision !== undefined && current.revision !== expectedRevision)) return { refuse: current };
        return { op: "del", key };
      });
      if ("refuse" in result) return { ok: false, current: toRecord<T>(key, result.refuse) };
      return { ok: true, revision: result.revision };
    });
  }

  watch<T = unknown>(prefix: string, options: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    // "Changes after the call": fix the start now, not when iteration begins.
    const from = options.fromRevision ?? this.use("watch", () => this.log.sync().head + 1);
    const ctx = {
      paths: this.log.paths,
      subscribe: (wake: () => void) => {
        this.wakers.add(wake);
        return () => this.wakers.delete(wake);
      },
      isClosed: () => this.closed,
      pollMs: this.pollMs,
    };
    return { [Symbol.asyncIterator]: () => watchLog<T>(ctx, prefix, from, options.signal) };
  }

  async revision(): Promise<number> {
    return this.use("revision", () => this.log.sync().head);
  }

  /** Seals the log now (normally automatic); exposed for tests and `gc`. */
  async compact(): Promise<boolean> {
    return this.use("compact", () => this.log.seal());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.log.closed = true;
    this.wakeAll();
  }
}
