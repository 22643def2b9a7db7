/**
 * This host's presence in the cluster: its host record and the endpoint records of its local
 * container ports, all attached to one store lease that a timer renews. When the host (its
 * controller) is gone, the lease expires and etcd deletes every record of it at once, so the other
 * hosts drop its endpoints. If the lease is lost while the host lives (etcd unreachable longer than
 * the TTL), the next renewal takes a new lease and publishes everything again.
 */
import type { Store } from "../store/types.js";
import { LeaseNotFoundError, withLeases, type LeasedStore, type StoreLease } from "./leased-store.js";
import { checkEndpointRecord, checkHostRecord, endpointKey, hostEndpointsPrefix, hostKey, type EndpointRecord, type HostRecord } from "./records.js";

export interface RegistryLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

export interface HostRegistryOptions {
  /** This host's name, unique in the cluster (e.g. the node name). */
  name: string;
  /** Underlay address of this host's tunnel endpoint. */
  tunnelIp: string;
  /** Seconds without renewal after which the host's records expire (default 15). */
  ttlSeconds?: number;
  logger?: RegistryLogger;
  now?: () => Date;
}

export type LocalEndpoint = Omit<EndpointRecord, "host">;

export class HostRegistry {
  private readonly store: LeasedStore;
  private readonly ttl: number;
  private readonly endpoints = new Map<string, EndpointRecord>();
  private lease: StoreLease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;
  /** A publish or withdraw failed (store unreachable): the next renewal re-syncs every record. */
  private pendingSync = false;
  private stopped = false;

  constructor(
    store: Store,
    private readonly options: HostRegistryOptions,
  ) {
    this.store = withLeases(store);
    this.ttl = options.ttlSeconds ?? 15;
    checkHostRecord(this.hostRecord());
  }

  get name(): string {
    return this.options.name;
  }

  /** The lease the records hang on (for diagnostics). */
  get currentLease(): StoreLease | undefined {
    return this.lease;
  }

  private hostRecord(): HostRecord {
    return { name: this.options.name, tunnelIp: this.options.tunnelIp, time: (this.options.now ?? (() => new Date()))().toISOString() };
  }

  /** Registers the host and starts renewing its lease. Throws (code 11) when the store is unreachable. */
  async start(): Promise<void> {
    clearTimeout(this.timer);
    this.stopped = false;
    await this.register();
    this.schedule();
  }

  /** A new lease, then the host record and every local endpoint on it. */
  private async register(): Promise<void> {
    const lease = await this.store.grantLease(this.ttl);
    await this.store.putWithLease(hostKey(this.name), this.hostRecord(), lease);
    for (const ep of this.endpoints.values()) await this.store.putWithLease(endpointKey(ep), ep, lease);
    this.lease = lease;
    this.options.logger?.info({ host: this.name, lease: lease.id, ttl: lease.ttlSeconds, endpoints: this.endpoints.size }, "host registered");
  }

  /** One registration at a time; callers that find the lease gone share it. */
  private reregister(): Promise<void> {
    this.renewing ??= this.register().finally(() => (this.renewing = undefined));
    return this.renewing;
  }

  private schedule(): void {
    if (this.stopped) return;
    const intervalMs = Math.max(500, (this.ttl * 1000) / 3);
    this.timer = setTimeout(() => void this.renew().finally(() => this.schedule()), intervalMs);
    this.timer.unref();
  }

  /** Renews the lease; a lost lease means a new registration. Failures wait for the next round. */
  private async renew(): Promise<void> {
    try {
      const lease = this.lease;
      const remaining = lease ? await this.store.keepAlive(lease) : 0;
      if (remaining <= 0 && !this.stopped) {
        this.options.logger?.warn({ host: this.name, lease: lease?.id }, "host lease lost; registering again");
        await this.reregister();
        this.pendingSync = false;
      } else if (this.pendingSync) {
        this.pendingSync = false;
        await this.syncEndpoints([...this.endpoints.values()]).catch((err: unknown) => {
          this.pendingSync = true;
          throw err;
        });
      }
    } catch (err) {
      this.options.logger?.warn({ host: this.name, err: (err as Error).message }, "host lease renewal failed; retrying");
    }
  }

  private async putEndpoint(ep: EndpointRecord): Promise<void> {
    try {
      if (this.renewing) await this.renewing;
      if (!this.lease) return await this.reregister();
      await this.store.putWithLease(endpointKey(ep), ep, this.lease);
    } catch (err) {
      if (err instanceof LeaseNotFoundError) return await this.reregister(); // publishes every endpoint, this one included
      this.pendingSync = true;
      throw err;
    }
  }

  /** Publishes (or updates) a local container port. */
  async publishEndpoint(endpoint: LocalEndpoint): Promise<EndpointRecord> {
    const ep = checkEndpointRecord({ ...endpoint, host: this.name });
    this.endpoints.set(endpointKey(ep), ep);
    await this.putEndpoint(ep);
    return ep;
  }

  /** Removes a local container port's record. Idempotent. */
  async withdrawEndpoint(network: string, mac: string): Promise<void> {
    const key = endpointKey({ host: this.name, network, mac });
    this.endpoints.delete(key);
    try {
      await this.store.delete(key);
    } catch (err) {
      this.pendingSync = true;
      throw err;
    }
  }

  /**
   * Makes this host's endpoint records exactly `endpoints` (after a controller restart: publishes
   * the current ports and deletes records of ports removed meanwhile).
   */
  async syncEndpoints(endpoints: LocalEndpoint[]): Promise<void> {
    const wanted = new Map(endpoints.map((e) => checkEndpointRecord({ ...e, host: this.name })).map((e) => [endpointKey(e), e]));
    for (const [key, ep] of wanted) {
      this.endpoints.set(key, ep);
      await this.putEndpoint(ep);
    }
    for (const key of [...this.endpoints.keys()]) if (!wanted.has(key)) this.endpoints.delete(key);
    const stored = await this.store.list(hostEndpointsPrefix(this.name));
    for (const record of stored.records) if (!wanted.has(record.key)) await this.store.delete(record.key);
  }

  /**
   * Stops renewing. The records stay until the lease expires, so a controller restarted within
   * the TTL never makes its endpoints blink on the other hosts.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.renewing?.catch(() => undefined);
  }

  /** Leaves the cluster now: revokes the lease (etcd deletes every record of this host). */
  async deregister(): Promise<void> {
    await this.stop();
    if (this.lease) await this.store.revokeLease(this.lease);
    if (!this.store.leasesExpire) {
      // Nothing expires on this backend: delete the records explicitly.
      for (const record of (await this.store.list(hostEndpointsPrefix(this.name))).records) await this.store.delete(record.key);
      await this.store.delete(hostKey(this.name));
    }
    this.lease = undefined;
  }
}
