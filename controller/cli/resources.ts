/**
 * The resources `get` shows: the three definition kinds, leases and ports, with the names an
 * operator may type for each and their table columns.
 */
import type { IsolationPolicy, Kind, Network, Subnet } from "../model/types.js";
import type { Lease } from "../ipam/types.js";
import { UsageError } from "./errors.js";
import { age, type Column } from "./output.js";
import { podOf, type OurPort } from "./ports.js";

export type Resource = "networks" | "subnets" | "policies" | "leases" | "ports";

const ALIASES: Record<string, Resource> = {
  network: "networks", networks: "networks", net: "networks", nets: "networks",
  subnet: "subnets", subnets: "subnets",
  policy: "policies", policies: "policies", pol: "policies", isolationpolicy: "policies", isolationpolicies: "policies",
  lease: "leases", leases: "leases",
  port: "ports", ports: "ports",
};

export const RESOURCE_NAMES = ["networks", "subnets", "policies", "leases", "ports"] as const;

export function resourceOf(text: string): Resource {
  const resource = ALIASES[text.toLowerCase()];
  if (!resource) throw new UsageError(`unknown resource "${text}" (expected one of ${RESOURCE_NAMES.join(", ")})`);
  return resource;
}

/** The definition kind of a resource, or undefined for leases and ports. */
export function kindOfResource(resource: Resource): Kind | undefined {
  return resource === "networks" ? "Network" : resource === "subnets" ? "Subnet" : resource === "policies" ? "IsolationPolicy" : undefined;
}

export const shortId = (id: string) => id.slice(0, 12);

export const networkColumns: Column<Network>[] = [
  { header: "name", value: (n) => n.metadata.name },
  { header: "tenant", value: (n) => n.spec.tenant },
  { header: "vlan", value: (n) => n.spec.vlan, right: true },
  { header: "vni", value: (n) => n.spec.vni, right: true },
  { header: "mtu", value: (n) => n.spec.mtu, right: true },
  { header: "inter-subnet", value: (n) => n.spec.interSubnet },
];

export const subnetColumns: Column<Subnet>[] = [
  { header: "name", value: (s) => s.metadata.name },
  { header: "network", value: (s) => s.spec.network },
  { header: "cidr", value: (s) => s.spec.cidr },
  { header: "gateway", value: (s) => s.spec.gateway },
  { header: "reserved", value: (s) => s.spec.reservations?.length ?? 0, right: true },
  { header: "status", value: (s) => (s.metadata.deletionTimestamp ? "deleting" : "") },
];

export const policyColumns: Column<IsolationPolicy>[] = [
  { header: "name", value: (p) => p.metadata.name },
  { header: "tenant", value: (p) => p.spec.tenant },
  { header: "priority", value: (p) => p.spec.priority ?? 100, right: true },
  { header: "rules", value: (p) => p.spec.rules.length, right: true },
  { header: "actions", value: (p) => p.spec.rules.map((r) => `${r.action} ${r.protocol ?? "any"}${r.ports?.length ? `/${r.ports.map((x) => (x.endPort ? `${x.port}-${x.endPort}` : x.port)).join(",")}` : ""}`).join("; ") },
];

export function leaseColumns(now = Date.now()): Column<Lease>[] {
  return [
    { header: "network", value: (l) => l.network },
    { header: "subnet", value: (l) => l.subnet },
    { header: "ip", value: (l) => l.ip },
    { header: "kind", value: (l) => l.kind },
    { header: "container", value: (l) => shortId(l.containerId) },
    { header: "ifname", value: (l) => l.ifname },
    { header: "owner", value: (l) => l.owner },
    { header: "age", value: (l) => age(l.time, now) },
  ];
}

export const portColumns: Column<OurPort>[] = [
  { header: "name", value: (p) => p.name },
  { header: "ofport", value: (p) => p.ofport, right: true },
  { header: "vlan", value: (p) => p.tag, right: true },
  { header: "mode", value: (p) => p.identity.mode },
  { header: "network", value: (p) => p.identity.network },
  { header: "container", value: (p) => shortId(p.identity.containerId) },
  { header: "ifname", value: (p) => p.identity.ifname },
  { header: "ips", value: (p) => p.identity.ips.join(",") },
  { header: "mac", value: (p) => p.identity.mac },
  { header: "pod", value: (p) => podOf(p) },
  { header: "error", value: (p) => p.error ?? (p.ofport === undefined || p.ofport < 0 ? "no ofport" : "") },
];
