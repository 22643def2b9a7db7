/**
 * Consistency check and garbage collection of IPAM records. Finds malformed ("torn") records,
 * addresses held twice, leases nobody's attachment lists (left by a crash between writing a lease
 * and its attachment), attachments listing missing or foreign leases, and leases outside their
 * subnet. With `repair`, fixes what is safe: deletes orphan leases older than the grace period and
 * drops dangling references from attachments. Everything else is reported for an operator.
 */
import { isDeepStrictEqual } from "node:util";
import { canonicalIp, contains, parseCidr, parseIp } from "../model/ip.js";
import { ATTACHMENTS_PREFIX, LEASES_PREFIX, attachmentKey, definitionPrefix, leaseKey } from "../model/keys.js";
import type { Network, Subnet } from "../model/types.js";
import type { Store, StoreRecord } from "../store/types.js";
import type { AttachmentRecord, Lease } from "./types.js";

export type IpamIssueType =
  | "malformed-lease"
  | "malformed-attachment"
  | "key-mismatch"
  | "unknown-subnet"
  | "outside-subnet"
  | "address-held-twice"
  | "orphan-lease"
  | "dangling-lease-ref"
  | "foreign-lease-ref";

export interface IpamIssue {
  type: IpamIssueType;
  key: string;
  message: string;
  repaired: boolean;
}

export interface VerifyOptions {
  repair?: boolean;
  /** Orphan leases younger than this may belong to an allocation in progress (default 60 s). */
  graceMs?: number;
  now?: Date;
}

export interface VerifyReport {
  leases: number;
  attachments: number;
  issues: IpamIssue[];
}

const KINDS = new Set(["dynamic", "fixed", "reserved"]);
const isStr = (v: unknown): v is string => typeof v === "string" && v !== "";

function wellFormedLease(v: unknown): v is Lease {
  const l = v as Partial<Lease> | null;
  return !!l && isStr(l.network) && isStr(l.subnet) && isStr(l.ip) && isStr(l.containerId) && isStr(l.ifname) && KINDS.has(l.kind as string) && isStr(l.time) && (l.owner === undefined || typeof l.owner === "string");
}

function wellFormedAttachment(v: unknown): v is AttachmentRecord {
  const a = v as Partial<AttachmentRecord> | null;
  return !!a && isStr(a.containerId) && isStr(a.ifname) && isStr(a.network) && Array.isArray(a.leases) && a.leases.every(isStr) && isStr(a.time);
}

export async function verifyIpam(store: Store, options: VerifyOptions = {}): Promise<VerifyReport> {
  const now = (options.now ?? new Date()).getTime();
  const graceMs = options.graceMs ?? 60_000;
  const issues: IpamIssue[] = [];
  const issue = (type: IpamIssueType, key: string, message: string, repaired = false) => issues.push({ type, key, message, repaired });
  const leases = (await store.list<Lease>(LEASES_PREFIX)).records;
  const attachments = (await store.list<AttachmentRecord>(ATTACHMENTS_PREFIX)).records;
  const subnets = new Map((await store.list<Subnet>(definitionPrefix("Subnet"))).records.map((r) => [r.value.metadata.name, r.value]));
  const tenantOf = new Map((await store.list<Network>(definitionPrefix("Network"))).records.map((r) => [r.value.metadata.name, r.value.spec.tenant]));

  const good = new Map<string, StoreRecord<Lease>>();
  const holders = new Map<string, string[]>();
  for (const rec of leases) {
    const v = rec.value;
    if (!wellFormedLease(v)) {
      issue("malformed-lease", rec.key, `lease record is malformed: ${JSON.stringify(v)}`);
      continue;
    }
    const ip = canonicalIp(v.ip);
    if (!ip || rec.key !== leaseKey(v.network, v.subnet, ip)) {
      issue("key-mismatch", rec.key, `lease says ${v.network}/${v.subnet}/${v.ip}`);
      continue;
    }
    good.set(rec.key, rec);
    const subnet = subnets.get(v.subnet);
    const cidr = subnet ? parseCidr(subnet.spec.cidr) : undefined;
    const parsed = parseIp(ip);
    if (!subnet || subnet.spec.network !== v.network) issue("unknown-subnet", rec.key, `subnet "${v.subnet}" of network "${v.network}" does not exist`);
    else if (cidr && "cidr" in cidr && parsed && !contains(cidr.cidr, parsed)) issue("outside-subnet", rec.key, `${ip} is outside ${subnet.spec.cidr}`);
    const scope = `${tenantOf.get(v.network) ?? `network:${v.network}`} ${ip}`;
    holders.set(scope, [...(holders.get(scope) ?? []), rec.key]);
  }
  for (const [scope, keys] of holders) {
    if (keys.length > 1) issue("address-held-twice", keys.join(" "), `address ${scope.split(" ")[1]} is leased ${keys.length} times in one tenant: ${keys.join(", ")}`);
  }

  const listedBy = new Map<string, string>();
  for (const rec of attachments) {
    if (!wellFormedAttachment(rec.value)) {
      issue("malformed-attachment", rec.key, `attachment record is malformed: ${JSON.stringify(rec.value)}`);
      continue;
    }
    const att = rec.value;
    const keep: string[] = [];
    for (const key of att.leases) {
      const lease = good.get(key);
      const other = listedBy.get(key);
      if (other) issue("address-held-twice", key, `lease ${key} is listed by attachments ${other} and ${rec.key}`);
      if (!lease) issue("dangling-lease-ref", rec.key, `lists ${key}, which does not exist`, options.repair === true);
      else if (lease.value.containerId !== att.containerId || lease.value.ifname !== att.ifname) {
        issue("foreign-lease-ref", rec.key, `lists ${key}, which is held by ${lease.value.containerId}/${lease.value.ifname}`, options.repair === true);
      } else keep.push(key);
      listedBy.set(key, rec.key);
    }
    if (options.repair && !isDeepStrictEqual(keep, att.leases)) {
      if (keep.length === 0) await store.delete(rec.key, rec.revision);
      else await store.compareAndSwap(rec.key, rec.revision, { ...att, leases: keep });
    }
  }

  const attachmentByKey = new Map(attachments.map((r) => [r.key, r.value]));
  for (const [key, rec] of good) {
    const att = attachmentByKey.get(attachmentKey(rec.value.containerId, rec.value.ifname));
    if (att && wellFormedAttachment(att) && att.leases.includes(key)) continue;
    const old = now - Date.parse(rec.value.time) > graceMs;
    const repaired = options.repair === true && old && (await store.delete(key, rec.revision)).ok;
    issue("orphan-lease", key, `held by ${rec.value.containerId}/${rec.value.ifname} but no attachment lists it${old ? "" : " (young: an allocation may be in progress)"}`, repaired);
  }
  return { leases: leases.length, attachments: attachments.length, issues };
}
