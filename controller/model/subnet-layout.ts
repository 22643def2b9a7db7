/**
 * A subnet's address plan in numbers: what the validator checks and what IPAM allocates from.
 * Building it reports every inconsistency as a problem naming the field and the value.
 */
import { ProblemList } from "./errors.js";
import {
  contains,
  formatIp,
  intervalInside,
  overlaps,
  parseCidr,
  parseIp,
  parseIpOrCidr,
  type Cidr,
  type IpInterval,
} from "./ip.js";
import type { Subnet } from "./types.js";

export interface SubnetLayout {
  cidr: Cidr;
  gateway: bigint;
  /** Dynamic ranges, sorted, non-overlapping. */
  ranges: IpInterval[];
  /** Excluded intervals, sorted and merged. Includes network and broadcast for IPv4. */
  excluded: IpInterval[];
  /** Reserved address → owner key. */
  reservedBy: Map<bigint, string>;
  /** Owner key → reserved address. */
  reservationOf: Map<string, bigint>;
}

/** The gateway a subnet gets when none is given: the first address after the network address. */
export function defaultGateway(cidrText: string): string | undefined {
  const parsed = parseCidr(cidrText);
  if (!("cidr" in parsed)) return undefined;
  const { cidr } = parsed;
  return formatIp(cidr.family, cidr.first + (cidr.last > cidr.first ? 1n : 0n));
}

function mergeIntervals(list: IpInterval[]): IpInterval[] {
  const sorted = [...list].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const merged: IpInterval[] = [];
  for (const iv of sorted) {
    const last = merged[merged.length - 1];
    if (last && iv.first <= last.last + 1n) {
      if (iv.last > last.last) last.last = iv.last;
    } else merged.push({ ...iv });
  }
  return merged;
}

export function isExcluded(layout: SubnetLayout, ip: bigint): boolean {
  return layout.excluded.some((iv) => ip >= iv.first && ip <= iv.last);
}

/**
 * Checks one subnet on its own and returns its layout. Problems are added to `problems`;
 * the layout is undefined when the CIDR itself is unusable.
 */
export function buildSubnetLayout(subnet: Subnet, problems: ProblemList): SubnetLayout | undefined {
  const name = subnet.metadata.name;
  const spec = subnet.spec;
  const add = (path: string, value: unknown, message: string) => problems.add("Subnet", name, path, value, message);
  const parsed = parseCidr(spec.cidr);
  if (!("cidr" in parsed)) {
    add("spec.cidr", spec.cidr, parsed.error);
    return undefined;
  }
  const cidr = parsed.cidr;
  const maxPrefix = cidr.family === 4 ? 30 : 126;
  if (cidr.prefix > maxPrefix) {
    add("spec.cidr", spec.cidr, `is too small: the prefix must be at most /${maxPrefix}`);
    return undefined;
  }
  const sameFamilyIp = (path: string, text: string) => {
    const ip = parseIp(text);
    if (!ip) add(path, text, "is not an IP address");
    else if (ip.family !== cidr.family) add(path, text, `is IPv${ip.family} but spec.cidr ${spec.cidr} is IPv${cidr.family}`);
    else return ip;
    return undefined;
  };
  const infrastructure: IpInterval[] = [];
  if (cidr.family === 4) {
    infrastructure.push({ family: 4, first: cidr.first, last: cidr.first }, { family: 4, first: cidr.last, last: cidr.last });
  } else {
    // The subnet-router anycast address (all host bits zero) is never handed out either.
    infrastructure.push({ family: 6, first: cidr.first, last: cidr.first });
  }
  const gwText = spec.gateway ?? defaultGateway(spec.cidr) ?? "";
  let gateway = cidr.first + 1n;
  const gw = sameFamilyIp("spec.gateway", gwText);
  if (gw) {
    if (!contains(cidr, gw)) add("spec.gateway", gwText, `is outside spec.cidr ${spec.cidr}`);
    else if (infrastructure.some((iv) => contains(iv, gw))) {
      add("spec.gateway", gwText, `is the ${gw.value === cidr.first ? "network" : "broadcast"} address of ${spec.cidr}`);
    } else gateway = gw.value;
  }
  const ranges: IpInterval[] = [];
  (spec.ranges ?? []).forEach((r, i) => {
    const start = sameFamilyIp(`spec.ranges[${i}].start`, r.start);
    const end = sameFamilyIp(`spec.ranges[${i}].end`, r.end);
    if (!start || !end) return;
    if (!contains(cidr, start)) add(`spec.ranges[${i}].start`, r.start, `is outside spec.cidr ${spec.cidr}`);
    else if (!contains(cidr, end)) add(`spec.ranges[${i}].end`, r.end, `is outside spec.cidr ${spec.cidr}`);
    else if (start.value > end.value) add(`spec.ranges[${i}]`, r, "start is after end");
    else {
      const iv: IpInterval = { family: cidr.family, first: start.value, last: end.value };
      const clash = ranges.findIndex((other) => overlaps(other, iv));
      if (clash >= 0) add(`spec.ranges[${i}]`, r, `overlaps spec.ranges[${clash}]`);
      ranges.push(iv);
    }
  });
  if ((spec.ranges ?? []).length === 0) ranges.push({ family: cidr.family, first: cidr.first, last: cidr.last });
  ranges.sort((a, b) => (a.first < b.first ? -1 : 1));
  const excludedUser: IpInterval[] = [];
  (spec.exclude ?? []).forEach((text, i) => {
    const iv = parseIpOrCidr(text);
    if (!iv) add(`spec.exclude[${i}]`, text, "is not an IP address or CIDR");
    else if (iv.family !== cidr.family) add(`spec.exclude[${i}]`, text, `is IPv${iv.family} but spec.cidr ${spec.cidr} is IPv${cidr.family}`);
    else if (!intervalInside(iv, cidr)) add(`spec.exclude[${i}]`, text, `is outside spec.cidr ${spec.cidr}`);
    else excludedUser.push(iv);
  });
  const excluded = mergeIntervals([...infrastructure, ...excludedUser]);
  const layout: SubnetLayout = { cidr, gateway, ranges, excluded, reservedBy: new Map(), reservationOf: new Map() };
  (spec.reservations ?? []).forEach((r, i) => {
    const path = `spec.reservations[${i}].ip`;
    const ip = sameFamilyIp(path, r.ip);
    if (!ip) return;
    if (!contains(cidr, ip)) add(path, r.ip, `is outside spec.cidr ${spec.cidr}`);
    else if (ip.value === gateway) add(path, r.ip, "is the gateway address");
    else if (infrastructure.some((iv) => contains(iv, ip))) add(path, r.ip, "is the network or broadcast address");
    else if (excludedUser.some((iv) => contains(iv, ip))) add(path, r.ip, "is inside an excluded range (spec.exclude)");
    else if (layout.reservedBy.has(ip.value)) add(path, r.ip, `is already reserved for owner "${layout.reservedBy.get(ip.value)}"`);
    else if (layout.reservationOf.has(r.owner)) add(`spec.reservations[${i}].owner`, r.owner, "already has a reservation in this subnet");
    else {
      layout.reservedBy.set(ip.value, r.owner);
      layout.reservationOf.set(r.owner, ip.value);
    }
  });
  return layout;
}
