/**
 * The etcd v3 backend of the Store: the control plane shared by many hosts. Every operation is one
 * etcd request (a transaction where a condition is involved); revisions are etcd's own, so they are
 * store-wide and every record carries its mod_revision. Design: docs/etcd.md.
 */
import { LeaseNotFoundError, type LeasedStore, type StoreLease } from "../../hosts/leased-store.js";
import { StoreError, StoreKeyError } from "../errors.js";
import { isValidKey, type DeleteResult, type ListResult, type StoreRecord, type WatchEvent, type WatchOptions, type WriteResult } from "../types.js";
import type { DeleteRangeResponse, KeyValue, LeaseGrantResponse, LeaseKeepAliveMessage, RangeResponse, ResponseHeader, TxnResponse } from "./api.js";
import { decodeValue, encodeValue, int64, KeySpace } from "./codec.js";
import { EtcdRequestError, GrpcCode } from "./errors.js";
import { EtcdGateway, type GatewayOptions } from "./gateway.js";
import { watchEtcd, type WatchLogger } from "./watch.js";

export interface EtcdStoreOptions extends GatewayOptions {
  /** Prefix of every key in etcd, one per deployment (default "/ovs-sdn/"). */
  prefix?: string;
  /** Receives watch reconnections (a pino logger fits). */
  logger?: WatchLogger;
}

function checkKey(key: string): void {
  if (!isValidKey(key)) throw new StoreKeyError(key);
}

export class EtcdStore implements LeasedStore {
  readonly leasesExpire = true;
  private readonly gateway: EtcdGateway;
  private readonly keys: KeySpace;
  private readonly closing = new AbortController();
  /** The highest revision any answer reported: where a watch without a start revision begins. */
  private observed = 0;

  private constructor(private readonly options: EtcdStoreOptions) {
    this.keys = new KeySpace(options.prefix);
    this.gateway = new EtcdGateway(options);
  }

  /** Connects and reads the current revision; EtcdUnavailableError (code 11) when no member answers. */
  static async open(options: EtcdStoreOptions): Promise<EtcdStore> {
    const store = new EtcdStore(options);
    try {
      await store.revision();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  get endpoints(): readonly string[] {
    return this.gateway.endpoints;
  }

  get prefix(): string {
    return this.keys.prefix;
  }

  private header(header: ResponseHeader | undefined): number {
    const revision = int64(header?.revision);
    if (revision > this.observed) this.observed = revision;
    return revision;
  }

  private record<T>(kv: KeyValue | undefined): StoreRecord<T> | undefined {
    const key = kv && this.keys.storeKey(kv.key);
    if (!kv || key === undefined) return undefined;
    return { key, value: decodeValue(kv.value, key) as T, revision: int64(kv.mod_revision) };
  }

  private async range(body: object): Promise<RangeResponse> {
    const res = await this.gateway.call<RangeResponse>("/v3/kv/range", body, "read");
    this.header(res.header);
    return res;
  }

  private async txn<T>(body: object): Promise<{ ok: true; revision: number } | { ok: false; current: StoreRecord<T> | undefined }> {
    const res = await this.gateway.call<TxnResponse>("/v3/kv/txn", body, "write");
    const revision = this.header(res.header);
    if (res.succeeded) return { ok: true, revision };
    return { ok: false, current: this.record<T>(res.responses?.[0]?.response_range?.kvs?.[0]) };
  }

  async get<T = unknown>(key: string): Promise<StoreRecord<T> | undefined> {
    checkKey(key);
    return this.record<T>((await this.range({ key: this.keys.key(key) })).kvs?.[0]);
  }

  async list<T = unknown>(prefix: string): Promise<ListResult<T>> {
    const res = await this.range(this.keys.range(prefix));
    const records = (res.kvs ?? []).map((kv) => this.record<T>(kv)).filter((r): r is StoreRecord<T> => r !== undefined);
    return { records, revision: int64(res.header?.revision) };
  }

  async createIfAbsent<T = unknown>(key: string, value: T): Promise<WriteResult<T>> {
    checkKey(key);
    const k = this.keys.key(key);
    const v = encodeValue(value);
    const res = await this.txn<T>({
      compare: [{ target: "CREATE", key: k, result: "EQUAL", create_revision: "0" }],
      success: [{ request_put: { key: k, value: v } }],
      failure: [{ request_range: { key: k } }],
    });
    return res.ok ? { ok: true, record: { key, value: decodeValue(v, key) as T, revision: res.revision } } : res;
  }

  async compareAndSwap<T = unknown>(key: string, expectedRevision: number, value: T): Promise<WriteResult<T>> {
    checkKey(key);
    // mod_revision 0 is what etcd compares for an absent key: never let a CAS create one.
    if (!Number.isSafeInteger(expectedRevision) || expectedRevision < 1) return { ok: false, current: await this.get<T>(key) };
    const k = this.keys.key(key);
    const v = encodeValue(value);
    const res = await this.txn<T>({
      compare: [{ target: "MOD", key: k, result: "EQUAL", mod_revision: String(expectedRevision) }],
      success: [{ request_put: { key: k, value: v } }],
      failure: [{ request_range: { key: k } }],
    });
    return res.ok ? { ok: true, record: { key, value: decodeValue(v, key) as T, revision: res.revision } } : res;
  }

  async delete<T = unknown>(key: string, expectedRevision?: number): Promise<DeleteResult<T>> {
    checkKey(key);
    const k = this.keys.key(key);
    if (expectedRevision === undefined) {
      const res = await this.gateway.call<DeleteRangeResponse>("/v3/kv/deleterange", { key: k }, "write");
      const revision = this.header(res.header);
      return int64(res.deleted) > 0 ? { ok: true, revision } : { ok: false, current: undefined };
    }
    if (!Number.isSafeInteger(expectedRevision) || expectedRevision < 1) return { ok: false, current: await this.get<T>(key) };
    return this.txn<T>({
      compare: [{ target: "MOD", key: k, result: "EQUAL", mod_revision: String(expectedRevision) }],
      success: [{ request_delete_range: { key: k } }],
      failure: [{ request_range: { key: k } }],
    });
  }

  /**
   * Without `fromRevision` the watch starts after the newest revision this client has seen, which
   * is never before the call: a change made after the call (by anyone) is never missed.
   */
  watch<T = unknown>(prefix: string, options: WatchOptions = {}): AsyncIterable<WatchEvent<T>> {
    const from = options.fromRevision ?? this.observed + 1;
    const ctx = {
      gateway: this.gateway,
      keys: this.keys,
      closing: this.closing.signal,
      observe: (revision: number) => this.header({ revision: String(revision) }),
      logger: this.options.logger,
    };
    return { [Symbol.asyncIterator]: () => watchEtcd<T>(ctx, prefix, from, options.signal) };
  }

  async revision(): Promise<number> {
    const res = await this.range({ key: this.keys.key("revision"), count_only: true });
    return int64(res.header?.revision);
  }

  async grantLease(ttlSeconds: number): Promise<StoreLease> {
    if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new StoreError(`lease TTL must be a whole number of seconds >= 1 (got ${ttlSeconds})`);
    const res = await this.gateway.call<LeaseGrantResponse>("/v3/lease/grant", { TTL: String(ttlSeconds) }, "write");
    if (res.error || !res.ID) throw new StoreError(`etcd refused a lease: ${res.error ?? "no lease id"}`);
    return { id: res.ID, ttlSeconds: int64(res.TTL) };
  }

  async keepAlive(lease: StoreLease): Promise<number> {
    // Renewing twice is harmless, so a keep-alive is retried like a read.
    const res = await this.gateway.call<LeaseKeepAliveMessage>("/v3/lease/keepalive", { ID: lease.id }, "read");
    if (res.error) throw new StoreError(`etcd lease keep-alive: ${res.error.message ?? "failed"}`);
    return int64(res.result?.TTL);
  }

  async revokeLease(lease: StoreLease): Promise<void> {
    try {
      await this.gateway.call("/v3/lease/revoke", { ID: lease.id }, "read");
    } catch (err) {
      if (!(err instanceof EtcdRequestError && err.grpcCode === GrpcCode.NotFound)) throw err;
    }
  }

  async putWithLease<T = unknown>(key: string, value: T, lease: StoreLease): Promise<StoreRecord<T>> {
    checkKey(key);
    const v = encodeValue(value);
    try {
      // An unconditional put is idempotent: safe to retry on another member.
      const res = await this.gateway.call<{ header?: ResponseHeader }>("/v3/kv/put", { key: this.keys.key(key), value: v, lease: lease.id }, "read");
      return { key, value: decodeValue(v, key) as T, revision: this.header(res.header) };
    } catch (err) {
      if (err instanceof EtcdRequestError && err.grpcCode === GrpcCode.NotFound) throw new LeaseNotFoundError(lease.id);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closing.abort();
    this.gateway.close();
  }
}
