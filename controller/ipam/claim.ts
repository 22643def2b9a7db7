/**
 * Claiming one address in one subnet for one interface: a fixed address, or the next free one in
 * allocation order. The claim is the createIfAbsent of the lease record; nothing else decides.
 */
import { formatIp } from "../model/ip.js";
import { leaseKey, subnetLeasePrefix } from "../model/keys.js";
import type { Store, StoreRecord } from "../store/types.js";
import { ipValue } from "./addresses.js";
import { candidates } from "./candidates.js";
import { IpamError } from "./errors.js";
import type { SubnetView } from "./network-view.js";
import type { Target } from "./targets.js";
import type { AllocateRequest, Lease } from "./types.js";

export function heldBy(lease: Lease, req: AllocateRequest): boolean {
  return lease.containerId === req.containerId && lease.ifname === req.ifname;
}

function leaseFor(sub: SubnetView, req: AllocateRequest, ip: bigint, kind: Lease["kind"], now: Date): Lease {
  return {
    network: req.network,
    subnet: sub.def.metadata.name,
    ip: formatIp(sub.layout.cidr.family, ip),
    containerId: req.containerId,
    ifname: req.ifname,
    ...(req.owner !== undefined ? { owner: req.owner } : {}),
    kind,
    time: now.toISOString(),
  };
}

async function claimFixed(store: Store, target: Target & { fixed: NonNullable<Target["fixed"]> }, req: AllocateRequest, now: Date): Promise<StoreRecord<Lease>> {
  const lease = leaseFor(target.subnet, req, target.fixed.ip, target.fixed.kind, now);
  const res = await store.createIfAbsent(leaseKey(lease.network, lease.subnet, lease.ip), lease);
  if (res.ok) return res.record;
  // Left by an earlier attempt of this same interface that crashed: it is ours.
  if (res.current && heldBy(res.current.value, req)) return res.current;
  const holder = res.current?.value;
  const owner = holder?.owner !== undefined ? ` (owner "${holder.owner}")` : "";
  throw new IpamError("taken", `IP ${lease.ip} in subnet "${lease.subnet}" is already held by container ${holder?.containerId}/${holder?.ifname}${owner}`, lease.ip);
}

async function claimDynamic(store: Store, sub: SubnetView, req: AllocateRequest, now: Date): Promise<StoreRecord<Lease>> {
  const prefix = subnetLeasePrefix(req.network, sub.def.metadata.name);
  // Canonical address texts: no address parsing per lease, only per candidate tried.
  const taken = new Set<string>();
  /** Adds every leased address to `taken`; finds this interface's own lease and the round-robin hint. */
  const scan = async () => {
    let mine: StoreRecord<Lease> | undefined;
    let hint: StoreRecord<Lease> | undefined;
    for (const rec of (await store.list<Lease>(prefix)).records) {
      taken.add(rec.value.ip);
      if (heldBy(rec.value, req)) mine = rec;
      if (rec.value.kind === "dynamic" && (!hint || rec.revision > hint.revision)) hint = rec;
    }
    return { mine, hint };
  };
  for (;;) {
    const first = await scan();
    if (first.mine) return first.mine;
    let lost = 0;
    let skip = 0;
    for (const ip of candidates(sub.layout, first.hint ? ipValue(first.hint.value.ip) : undefined)) {
      const text = formatIp(sub.layout.cidr.family, ip);
      if (taken.has(text)) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      const lease = leaseFor(sub, req, ip, "dynamic", now);
      const res = await store.createIfAbsent(leaseKey(lease.network, lease.subnet, lease.ip), lease);
      if (res.ok) return res.record;
      // Lost a race: others are allocating right now. Learn what they took meanwhile, and stop
      // walking in lockstep with them: skip a few free addresses (they are taken after a wrap).
      taken.add(text);
      const again = await scan();
      if (again.mine) return again.mine;
      lost++;
      skip = Math.floor(Math.random() * Math.min(16, 2 * lost));
    }
    // A walk without lost races has seen every address: the subnet is full. Otherwise walk again.
    if (lost === 0) break;
    taken.clear();
  }
  throw new IpamError("full", `subnet "${sub.def.metadata.name}" (${sub.def.spec.cidr}) of network "${req.network}" has no free address left`);
}

export function claim(store: Store, target: Target, req: AllocateRequest, now: Date): Promise<StoreRecord<Lease>> {
  return target.fixed ? claimFixed(store, { ...target, fixed: target.fixed }, req, now) : claimDynamic(store, target.subnet, req, now);
}
