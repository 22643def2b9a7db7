/**
 * Leases: the optional extension of the Store that host and endpoint records need so they vanish
 * when their host does. etcd implements it natively (EtcdStore); a single-host file store has no
 * other host to tell, so `withoutExpiry` gives it a lease that never expires. docs/etcd.md "Leases".
 */
import { StoreError } from "../store/errors.js";
import type { Store, StoreRecord } from "../store/types.js";

/** The lease no longer exists (expired or revoked): the keys written with it are gone. */
export class LeaseNotFoundError extends StoreError {
  constructor(readonly leaseId: string) {
    super(`store lease ${leaseId} not found (expired or revoked)`);
  }
}

export interface StoreLease {
  /** etcd's lease id (a 64-bit integer, kept as decimal text). */
  id: string;
  ttlSeconds: number;
}

export interface LeasedStore extends Store {
  /** False for a backend whose leases never expire (records stay until deleted). */
  readonly leasesExpire: boolean;
  /** A new lease: keys written with it are deleted when it expires or is revoked. */
  grantLease(ttlSeconds: number): Promise<StoreLease>;
  /** Renews the lease; resolves with the TTL granted again, or 0 when the lease is gone. */
  keepAlive(lease: StoreLease): Promise<number>;
  /** Ends the lease now, deleting its keys. A lease already gone is not an error. */
  revokeLease(lease: StoreLease): Promise<void>;
  /** Writes the key unconditionally, attached to the lease. Throws LeaseNotFoundError when it is gone. */
  putWithLease<T = unknown>(key: string, value: T, lease: StoreLease): Promise<StoreRecord<T>>;
}

export function isLeasedStore(store: Store): store is LeasedStore {
  const s = store as Partial<LeasedStore>;
  return typeof s.grantLease === "function" && typeof s.putWithLease === "function" && typeof s.keepAlive === "function";
}

/** The store itself when it has leases; otherwise a wrapper whose leases never expire. */
export function withLeases(store: Store): LeasedStore {
  return isLeasedStore(store) ? store : withoutExpiry(store);
}

/** Leases for a backend without them: records stay until deleted (a clean deregister deletes them). */
export function withoutExpiry(store: Store): LeasedStore {
  const put = async <T>(key: string, value: T): Promise<StoreRecord<T>> => {
    for (;;) {
      const current = await store.get(key);
      const written = current ? await store.compareAndSwap(key, current.revision, value) : await store.createIfAbsent(key, value);
      if (written.ok) return written.record;
    }
  };
  return {
    get: (key) => store.get(key),
    list: (prefix) => store.list(prefix),
    createIfAbsent: (key, value) => store.createIfAbsent(key, value),
    compareAndSwap: (key, rev, value) => store.compareAndSwap(key, rev, value),
    delete: (key, rev) => store.delete(key, rev),
    watch: (prefix, options) => store.watch(prefix, options),
    revision: () => store.revision(),
    close: () => store.close(),
    leasesExpire: false,
    grantLease: async (ttlSeconds) => ({ id: "0", ttlSeconds }),
    keepAlive: async (lease) => lease.ttlSeconds,
    revokeLease: async () => undefined,
    putWithLease: (key, value) => put(key, value),
  };
}
