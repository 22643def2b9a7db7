/**
 * Which subnets an attachment takes addresses from, and which of those addresses are fixed:
 * explicit `subnets`, fixed `ips` (each picks the subnet containing it), reservations matching the
 * owner key, and otherwise the network's only IPv4 and only IPv6 subnet.
 */
import { contains, formatIp, parseIp } from "../model/ip.js";
import { isExcluded } from "../model/subnet-layout.js";
import { IpamError } from "./errors.js";
import type { NetworkView, SubnetView } from "./network-view.js";
import type { AllocateRequest, LeaseKind } from "./types.js";

export interface Target {
  subnet: SubnetView;
  /** Set for fixed and reserved addresses; dynamic otherwise. */
  fixed?: { ip: bigint; kind: Exclude<LeaseKind, "dynamic"> };
}

function parseRequestedIp(text: string): { ip: ReturnType<typeof parseIp>; prefix: number | undefined } {
  const slash = text.indexOf("/");
  if (slash < 0) return { ip: parseIp(text), prefix: undefined };
  const prefix = /^\d{1,3}$/.test(text.slice(slash + 1)) ? Number(text.slice(slash + 1)) : Number.NaN;
  return { ip: parseIp(text.slice(0, slash)), prefix };
}

function fixedTarget(view: NetworkView, text: string, allowed: SubnetView[], owner: string | undefined): Target {
  const { ip, prefix } = parseRequestedIp(text);
  if (!ip || Number.isNaN(prefix)) throw new IpamError("invalid-request", `requested IP "${text}" is not an IP address`, text);
  const shown = formatIp(ip.family, ip.value);
  const subnet = view.subnets.find((s) => contains(s.layout.cidr, ip));
  const netName = view.network.metadata.name;
  if (!subnet) throw new IpamError("outside", `requested IP ${shown} is outside every subnet of network "${netName}"`, shown);
  const name = subnet.def.metadata.name;
  if (!allowed.includes(subnet)) throw new IpamError("outside", `requested IP ${shown} is in subnet "${name}", which the request does not name`, shown);
  if (prefix !== undefined && prefix !== subnet.layout.cidr.prefix) {
    throw new IpamError("invalid-request", `requested IP ${text} has prefix /${prefix} but subnet "${name}" is ${subnet.def.spec.cidr}`, shown);
  }
  const { layout } = subnet;
  if (ip.value === layout.gateway) throw new IpamError("gateway", `requested IP ${shown} is the gateway of subnet "${name}"`, shown);
  if (isExcluded(layout, ip.value)) {
    throw new IpamError("excluded", `requested IP ${shown} is excluded in subnet "${name}" (network, broadcast or spec.exclude)`, shown);
  }
  const reservedFor = layout.reservedBy.get(ip.value);
  if (reservedFor !== undefined && reservedFor !== owner) {
    throw new IpamError("reserved", `requested IP ${shown} is reserved for owner "${reservedFor}" in subnet "${name}"`, shown);
  }
  return { subnet, fixed: { ip: ip.value, kind: reservedFor !== undefined ? "reserved" : "fixed" } };
}

export function resolveTargets(view: NetworkView, req: AllocateRequest): Target[] {
  const netName = view.network.metadata.name;
  const named = (req.subnets ?? []).map((name) => {
    const found = view.subnets.find((s) => s.def.metadata.name === name);
    if (!found) throw new IpamError("unknown-subnet", `subnet "${name}" is not a subnet of network "${netName}"`);
    return found;
  });
  const allowed = named.length > 0 ? named : view.subnets;
  const targets: Target[] = [];
  const add = (t: Target) => {
    const clash = targets.find((o) => o.subnet === t.subnet);
    if (clash?.fixed && t.fixed && clash.fixed.ip !== t.fixed.ip) {
      const name = t.subnet.def.metadata.name;
      throw new IpamError("invalid-request", `two fixed IPs requested in subnet "${name}"; an attachment gets one address per subnet`);
    }
    if (!clash) targets.push(t);
  };
  for (const text of req.ips ?? []) add(fixedTarget(view, text, allowed, req.owner));
  if (req.owner !== undefined) {
    for (const subnet of allowed) {
      const reserved = subnet.layout.reservationOf.get(req.owner);
      if (reserved !== undefined && !targets.some((t) => t.subnet === subnet)) targets.push({ subnet, fixed: { ip: reserved, kind: "reserved" } });
    }
  }
  if (named.length > 0) {
    for (const subnet of named) if (!targets.some((t) => t.subnet === subnet)) targets.push({ subnet });
    return targets;
  }
  for (const family of [4, 6] as const) {
    if (targets.some((t) => t.subnet.layout.cidr.family === family)) continue;
    const ofFamily = view.subnets.filter((s) => s.layout.cidr.family === family);
    if (ofFamily.length === 1) targets.push({ subnet: ofFamily[0] as SubnetView });
    if (ofFamily.length > 1) {
      const names = ofFamily.map((s) => s.def.metadata.name).join(", ");
      throw new IpamError("ambiguous-subnet", `network "${netName}" has several IPv${family} subnets (${names}); name the subnet in the request`);
    }
  }
  return targets;
}
