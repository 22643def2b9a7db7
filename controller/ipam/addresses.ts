/** Turning leases into what a container interface is configured with. */
import { formatIp, parseIp } from "../model/ip.js";
import type { SubnetView } from "./network-view.js";
import type { AllocatedAddress, Lease } from "./types.js";

export function allocatedAddress(view: SubnetView, lease: Lease): AllocatedAddress {
  const { layout, def } = view;
  const out: AllocatedAddress = {
    network: lease.network,
    subnet: lease.subnet,
    family: layout.cidr.family,
    ip: lease.ip,
    prefixLength: layout.cidr.prefix,
    address: `${lease.ip}/${layout.cidr.prefix}`,
    gateway: formatIp(layout.cidr.family, layout.gateway),
    kind: lease.kind,
    routes: (def.spec.routes ?? []).map((r) => ({ dst: r.dst, gw: r.gw ?? formatIp(layout.cidr.family, layout.gateway) })),
  };
  if (def.spec.dns) out.dns = def.spec.dns;
  return out;
}

export function ipValue(text: string): bigint | undefined {
  return parseIp(text)?.value;
}
