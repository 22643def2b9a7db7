/**
 * Checks a network's transport (overlay VNI or provider VLAN). An invalid or duplicate one is
 * reported and dropped: the network then stays on this host only, which fails closed (its remote
 * endpoints get no flows) instead of mixing two networks on one segment.
 */
import type { NetworkInput } from "./input.js";
import type { Transport } from "./model.js";

const MAX_VNI = 0xff_ffff; // 24 bits: VXLAN and Geneve
const MAX_VLAN = 4094;

/** Segments already taken, per kind ("overlay:5001", "vlan:300") -> network name. */
export type SegmentOwners = Map<string, string>;

export function resolveTransport(n: NetworkInput, owners: SegmentOwners, problems: string[]): Transport | undefined {
  const t = n.transport;
  if (!t) return undefined;
  let transport: Transport;
  let key: string;
  if (t.type === "overlay") {
    if (!Number.isInteger(t.vni) || t.vni < 1 || t.vni > MAX_VNI) return refuse(n, `vni ${t.vni} is not within 1..${MAX_VNI}`, problems);
    transport = { kind: "overlay", vni: t.vni };
    key = `vni ${t.vni}`;
  } else if (t.type === "vlan-provider") {
    if (!Number.isInteger(t.vlan) || t.vlan < 1 || t.vlan > MAX_VLAN) return refuse(n, `provider vlan ${t.vlan} is not within 1..${MAX_VLAN}`, problems);
    transport = { kind: "provider", vlan: t.vlan };
    key = `provider vlan ${t.vlan}`;
  } else {
    return refuse(n, `unknown transport type ${String((t as { type: unknown }).type)}`, problems);
  }
  const owner = owners.get(key);
  if (owner !== undefined) return refuse(n, `${key} is already used by network ${owner}`, problems);
  owners.set(key, n.name);
  return transport;
}

function refuse(n: NetworkInput, why: string, problems: string[]): undefined {
  problems.push(`network ${n.name}: ${why}; it stays on this host only`);
  return undefined;
}
