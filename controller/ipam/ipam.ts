/**
 * IP address management on top of the store. An address is held by exactly one lease record,
 * leases/<network>/<subnet>/<ip>, created with createIfAbsent: uniqueness never depends on a
 * process's memory. An attachment record lists a container interface's leases; it is written last,
 * so a crash leaves at most leases without an attachment, which release() and gc() clean up.
 */
import { ATTACHMENTS_PREFIX, LEASES_PREFIX, attachmentKey, subnetLeasePrefix } from "../model/keys.js";
import type { Store, StoreRecord } from "../store/types.js";
import { allocatedAddress, ipValue } from "./addresses.js";
import { claim, heldBy } from "./claim.js";
import { IpamError } from "./errors.js";
import { loadNetworkView, subnetStillValid, type NetworkView, type SubnetView } from "./network-view.js";
import { resolveTargets } from "./targets.js";
import type { AllocateRequest, Allocation, AttachmentRecord, Lease, LeaseFilter } from "./types.js";

const NAME_PART = /^[^/\s]{1,253}$/;

export class Ipam {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Allocates one address per target subnet, or returns the existing allocation of this interface. */
  async allocate(req: AllocateRequest): Promise<Allocation> {
    if (!NAME_PART.test(req.containerId) || !NAME_PART.test(req.ifname)) {
      throw new IpamError("invalid-request", `containerId and ifname must be non-empty and contain no "/" or spaces`);
    }
    const view = await loadNetworkView(this.store, req.network);
    const existing = await this.existingAllocation(view, req);
    if (existing) return existing;
    const targets = resolveTargets(view, req);
    const created: StoreRecord<Lease>[] = [];
    try {
      for (const target of targets) created.push(await claim(this.store, target, req, this.now()));
      for (const target of targets) {
        if (!(await subnetStillValid(this.store, target.subnet))) {
          throw new IpamError("terminating", `subnet "${target.subnet.def.metadata.name}" changed or is being deleted; try again`);
        }
      }
      const record: AttachmentRecord = {
        containerId: req.containerId,
        ifname: req.ifname,
        network: req.network,
        leases: created.map((l) => l.key),
        time: this.now().toISOString(),
        ...(req.owner !== undefined ? { owner: req.owner } : {}),
      };
      const written = await this.store.createIfAbsent(attachmentKey(req.containerId, req.ifname), record);
      if (!written.ok) {
        // The same interface was allocated concurrently: keep the winner's addresses.
        await this.rollback(created);
        const winner = await this.existingAllocation(view, req);
        if (winner) return winner;
        throw new IpamError("conflict", `${req.containerId}/${req.ifname} was allocated concurrently; try again`);
      }
      return this.toAllocation(view, req, created.map((l) => l.value));
    } catch (err) {
      await this.rollback(created);
      throw err;
    }
  }

  private async rollback(created: StoreRecord<Lease>[]): Promise<void> {
    for (const rec of created.splice(0)) await this.store.delete(rec.key, rec.revision);
  }

  private async existingAllocation(view: NetworkView, req: AllocateRequest): Promise<Allocation | undefined> {
    const att = await this.store.get<AttachmentRecord>(attachmentKey(req.containerId, req.ifname));
    if (!att) return undefined;
    if (att.value.network !== req.network) {
      throw new IpamError("conflict", `${req.containerId}/${req.ifname} is already attached to network "${att.value.network}"`);
    }
    const leases: Lease[] = [];
    for (const key of att.value.leases) {
      const lease = await this.store.get<Lease>(key);
      if (lease && heldBy(lease.value, req)) leases.push(lease.value);
    }
    if (leases.length !== att.value.leases.length) {
      // Left by a release that crashed half-way: finish it, then allocate afresh.
      await this.release(req.containerId, req.ifname);
      return undefined;
    }
    for (const text of req.ips ?? []) {
      const wanted = ipValue(text.split("/")[0] ?? "");
      if (!leases.some((l) => ipValue(l.ip) === wanted)) {
        throw new IpamError("conflict", `${req.containerId}/${req.ifname} already holds ${leases.map((l) => l.ip).join(", ")}, not ${text}; release it first`, text);
      }
    }
    return this.toAllocation(view, req, leases);
  }

  private toAllocation(view: NetworkView, req: AllocateRequest, leases: Lease[]): Allocation {
    const addresses = leases.map((lease) => {
      const sub: SubnetView | undefined = view.subnets.find((s) => s.def.metadata.name === lease.subnet);
      if (!sub) throw new IpamError("terminating", `subnet "${lease.subnet}" of ${lease.ip} is being deleted`, lease.ip);
      return allocatedAddress(sub, lease);
    });
    return { network: req.network, containerId: req.containerId, ifname: req.ifname, ...(req.owner !== undefined ? { owner: req.owner } : {}), addresses };
  }

  /**
   * Releases every address of a container interface. Idempotent: releasing again, or releasing
   * something never allocated, returns an empty list. Without an attachment record (an allocate
   * that crashed before writing it) it looks through all leases for ones this interface holds.
   */
  async release(containerId: string, ifname: string): Promise<string[]> {
    const att = await this.store.get<AttachmentRecord>(attachmentKey(containerId, ifname));
    const candidates: StoreRecord<Lease>[] = [];
    if (att) {
      for (const key of att.value.leases) {
        const rec = await this.store.get<Lease>(key);
        if (rec) candidates.push(rec);
      }
    } else {
      candidates.push(...(await this.store.list<Lease>(LEASES_PREFIX)).records);
    }
    const released: string[] = [];
    for (const rec of candidates) {
      if (rec.value.containerId !== containerId || rec.value.ifname !== ifname) continue;
      if ((await this.store.delete(rec.key, rec.revision)).ok) released.push(rec.value.ip);
    }
    if (att) await this.store.delete(att.key, att.revision);
    return released;
  }

  async leases(filter: LeaseFilter = {}): Promise<Lease[]> {
    const prefix = filter.network ? (filter.subnet ? subnetLeasePrefix(filter.network, filter.subnet) : `${LEASES_PREFIX}${filter.network}/`) : LEASES_PREFIX;
    return (await this.store.list<Lease>(prefix)).records
      .map((r) => r.value)
      .filter(
        (l) =>
          (filter.subnet === undefined || l.subnet === filter.subnet) &&
          (filter.containerId === undefined || l.containerId === filter.containerId) &&
          (filter.ifname === undefined || l.ifname === filter.ifname) &&
          (filter.owner === undefined || l.owner === filter.owner),
      );
  }

  async attachments(): Promise<AttachmentRecord[]> {
    return (await this.store.list<AttachmentRecord>(ATTACHMENTS_PREFIX)).records.map((r) => r.value);
  }
}
