/**
 * The one narrow storage interface every backend implements (file store now; etcd and Kubernetes
 * later). Semantics follow etcd: one store-wide revision that increases with every change; each
 * record carries the revision of the change that last wrote it. Backends must pass
 * test/unit/store/conformance.ts.
 */

/** JSON-serialisable value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface StoreRecord<T = unknown> {
  key: string;
  /** Treat as immutable: a backend may share it between readers (the file store freezes it). */
  value: T;
  /** Revision of the change that last wrote this record (etcd's mod_revision). */
  revision: number;
}

export interface ListResult<T = unknown> {
  /** Sorted by key. */
  records: StoreRecord<T>[];
  /** The store revision the list reflects: watch from `revision + 1` to miss nothing. */
  revision: number;
}

export type WriteResult<T = unknown> =
  | { ok: true; record: StoreRecord<T> }
  /** The condition failed; `current` is the record as it is now (undefined when absent). */
  | { ok: false; current: StoreRecord<T> | undefined };

export type DeleteResult<T = unknown> =
  | { ok: true; revision: number }
  | { ok: false; current: StoreRecord<T> | undefined };

export type WatchEvent<T = unknown> =
  | { type: "put"; key: string; value: T; revision: number }
  | { type: "delete"; key: string; revision: number };

export interface WatchOptions {
  /**
   * First revision to deliver (inclusive). Default: changes after the call. A revision older than
   * the backend's history throws StoreCompactedError; re-list and watch from the list's revision.
   */
  fromRevision?: number;
  /** Ends the iteration. */
  signal?: AbortSignal;
}

export interface Store {
  get<T = unknown>(key: string): Promise<StoreRecord<T> | undefined>;
  /** Every record whose key starts with `prefix` ("" lists everything). */
  list<T = unknown>(prefix: string): Promise<ListResult<T>>;
  /** Writes only when the key does not exist. */
  createIfAbsent<T = unknown>(key: string, value: T): Promise<WriteResult<T>>;
  /** Writes only when the key exists with exactly `expectedRevision`. */
  compareAndSwap<T = unknown>(key: string, expectedRevision: number, value: T): Promise<WriteResult<T>>;
  /**
   * Deletes the key; with `expectedRevision` only when the record has that revision.
   * Deleting an absent key gives `{ok: false, current: undefined}`.
   */
  delete<T = unknown>(key: string, expectedRevision?: number): Promise<DeleteResult<T>>;
  /** Every change under `prefix`, in revision order, including other processes' changes. */
  watch<T = unknown>(prefix: string, options?: WatchOptions): AsyncIterable<WatchEvent<T>>;
  /** The current store revision. */
  revision(): Promise<number>;
  close(): Promise<void>;
}

/** Keys are "/"-separated paths: no empty segment, no leading or trailing "/", printable. */
export function isValidKey(key: string): boolean {
  return (
    typeof key === "string" &&
    key.length > 0 &&
    key.length <= 1024 &&
    !key.startsWith("/") &&
    !key.endsWith("/") &&
    !key.includes("//") &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(key)
  );
}
