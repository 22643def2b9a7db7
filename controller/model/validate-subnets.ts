/** Subnet checks that need the rest of the definitions: references, overlap, routes, DNS. */
import type { ProblemList } from "./errors.js";
import { contains, formatIp, overlaps, parseCidr, parseIp } from "./ip.js";
import { buildSubnetLayout, type SubnetLayout } from "./subnet-layout.js";
import type { DefinitionSet, Subnet } from "./types.js";

function checkRoutesAndDns(subnet: Subnet, layout: SubnetLayout, problems: ProblemList): void {
  const name = subnet.metadata.name;
  const spec = subnet.spec;
  (spec.routes ?? []).forEach((route, i) => {
    const dst = parseCidr(route.dst);
    if (!("cidr" in dst)) problems.add("Subnet", name, `spec.routes[${i}].dst`, route.dst, dst.error);
    else if (dst.cidr.family !== layout.cidr.family) {
      problems.add("Subnet", name, `spec.routes[${i}].dst`, route.dst, `is IPv${dst.cidr.family} but spec.cidr is IPv${layout.cidr.family}`);
    }
    if (route.gw !== undefined) {
      const gw = parseIp(route.gw);
      if (!gw) problems.add("Subnet", name, `spec.routes[${i}].gw`, route.gw, "is not an IP address");
      else if (!contains(layout.cidr, gw)) {
        problems.add("Subnet", name, `spec.routes[${i}].gw`, route.gw, `is not reachable: outside spec.cidr ${spec.cidr}`);
      }
    }
  });
  (spec.dns?.nameservers ?? []).forEach((ns, i) => {
    if (!parseIp(ns)) problems.add("Subnet", name, `spec.dns.nameservers[${i}]`, ns, "is not an IP address");
  });
}

/**
 * Checks every subnet: its own address plan, that its network exists, and that no two subnets of
 * one tenant overlap (tenants are isolated, so they may reuse CIDRs). Returns the layouts.
 */
export function validateSubnets(set: DefinitionSet, problems: ProblemList): Map<string, SubnetLayout> {
  const layouts = new Map<string, SubnetLayout>();
  const byTenant = new Map<string, Array<{ subnet: Subnet; layout: SubnetLayout }>>();
  const names = [...set.subnets.keys()].sort();
  for (const name of names) {
    const subnet = set.subnets.get(name) as Subnet;
    const layout = buildSubnetLayout(subnet, problems);
    const network = set.networks.get(subnet.spec.network);
    if (!network) {
      problems.add("Subnet", name, "spec.network", subnet.spec.network, "refers to an unknown network");
    }
    if (!layout) continue;
    layouts.set(name, layout);
    checkRoutesAndDns(subnet, layout, problems);
    if (!network) continue;
    const tenant = network.spec.tenant;
    const peers = byTenant.get(tenant) ?? [];
    for (const other of peers) {
      if (overlaps(other.layout.cidr, layout.cidr)) {
        problems.add(
          "Subnet",
          name,
          "spec.cidr",
          subnet.spec.cidr,
          `overlaps subnet "${other.subnet.metadata.name}" (${other.subnet.spec.cidr}) of the same tenant "${tenant}"`,
        );
      }
    }
    peers.push({ subnet, layout });
    byTenant.set(tenant, peers);
  }
  return layouts;
}

export function describeAddress(layout: SubnetLayout, ip: bigint): string {
  return formatIp(layout.cidr.family, ip);
}
