/**
 * Follows every host and endpoint record of the cluster: one list, then one watch from the list's
 * revision, so the view is a consistent snapshot at `revision` after every change. When the watch
 * falls behind the store's history (compaction), it lists again. Records another host wrote that
 * are malformed are skipped with a warning, never trusted.
 */
import { StoreCompactedError } from "../store/errors.js";
import type { Store, StoreRecord, WatchEvent } from "../store/types.js";
import { CLUSTER_PREFIX, endpointProblems, hostProblems, parseClusterKey, type EndpointRecord, type HostRecord } from "./records.js";

export interface ClusterSnapshot {
  hosts: ReadonlyMap<string, HostRecord>;
  /** By endpoint key (cluster/endpoints/<host>/<network>/<mac>). */
  endpoints: ReadonlyMap<string, EndpointRecord>;
  revision: number;
}

export interface ClusterViewOptions {
  /** Called after the first list and after every change, with the whole view. */
  onChange?: (view: ClusterSnapshot) => void;
  logger?: { warn(obj: object, msg: string): void };
}

export class ClusterView implements ClusterSnapshot {
  readonly hosts = new Map<string, HostRecord>();
  readonly endpoints = new Map<string, EndpointRecord>();
  revision = 0;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly options: ClusterViewOptions = {},
  ) {}

  /** Lists the cluster, then follows it in the background; resolves once the first list is in. */
  async start(): Promise<void> {
    await this.load();
    this.running = this.follow();
  }

  /** Endpoints of every host but `localHost`: what a host programs towards its tunnels. */
  remoteEndpoints(localHost: string): EndpointRecord[] {
    return [...this.endpoints.values()].filter((e) => e.host !== localHost && this.hosts.has(e.host));
  }

  private async load(): Promise<void> {
    const listed = await this.store.list(CLUSTER_PREFIX);
    this.hosts.clear();
    this.endpoints.clear();
    for (const record of listed.records) this.put(record);
    this.revision = listed.revision;
    this.options.onChange?.(this);
  }

  private async follow(): Promise<void> {
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        for await (const event of this.store.watch(CLUSTER_PREFIX, { fromRevision: this.revision + 1, signal })) {
          this.apply(event);
          this.revision = event.revision;
          this.options.onChange?.(this);
        }
        return; // the store was closed
      } catch (err) {
        if (signal.aborted) return;
        if (!(err instanceof StoreCompactedError)) {
          this.options.logger?.warn({ err: (err as Error).message }, "cluster watch failed; listing again");
          await new Promise((r) => setTimeout(r, 1000));
        }
        await this.load().catch((e: unknown) => this.options.logger?.warn({ err: (e as Error).message }, "cluster list failed"));
      }
    }
  }

  private apply(event: WatchEvent): void {
    if (event.type === "put") return this.put({ key: event.key, value: event.value, revision: event.revision });
    const name = parseClusterKey(event.key);
    if (name?.kind === "host") this.hosts.delete(name.host);
    else if (name?.kind === "endpoint") this.endpoints.delete(event.key);
  }

  private put(record: StoreRecord): void {
    const problems = putRecord(this, record);
    if (problems.length > 0) this.options.logger?.warn({ key: record.key, problems }, "ignoring malformed cluster record");
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }
}

/**
 * Puts a record into the maps when it is a valid host or endpoint record; otherwise removes what
 * its key held and returns the problems. The key is the authority: a value naming another host,
 * network or MAC than its key is not trusted.
 */
function putRecord(maps: { hosts: Map<string, HostRecord>; endpoints: Map<string, EndpointRecord> }, record: StoreRecord): string[] {
  const name = parseClusterKey(record.key);
  if (!name) return [];
  const value = record.value as HostRecord & EndpointRecord;
  const problems = name.kind === "host" ? hostProblems(value) : endpointProblems(value);
  const mismatch = name.kind === "host" ? value?.name !== name.host : value?.host !== name.host || value?.network !== name.network || value?.mac !== name.mac;
  if (problems.length === 0 && mismatch) problems.push("record does not match its key");
  if (name.kind === "host") {
    if (problems.length === 0) maps.hosts.set(name.host, value);
    else maps.hosts.delete(name.host);
  } else if (problems.length === 0) maps.endpoints.set(record.key, value);
  else maps.endpoints.delete(record.key);
  return problems;
}

/** One consistent read of every host and endpoint record (malformed ones left out). */
export async function readCluster(store: Store): Promise<ClusterSnapshot> {
  const listed = await store.list(CLUSTER_PREFIX);
  const maps = { hosts: new Map<string, HostRecord>(), endpoints: new Map<string, EndpointRecord>() };
  for (const record of listed.records) putRecord(maps, record);
  return { ...maps, revision: listed.revision };
}
