/**
 * Maps the controller's model (definitions + the local ports learnt from OVSDB) into the pipeline
 * compiler's input. Network id = the network's local VLAN (unique on the host, 1..4094); subnet id
 * = a 32-bit hash of its name, probed past collisions in name order, so ids and the gateway MACs
 * derived from them stay put when other subnets come and go.
 */
import type { DefinitionSet } from "../model/types.js";
import { DEFAULT_INTER_SUBNET } from "../model/types.js";
import type { LocalHostInput, NetworkInput, PipelineInput, PolicyInput, PortInput, RemoteEndpointInput, SubnetInput, TransportInput } from "../pipeline/input.js";
import type { LocalPort } from "../ports/watcher.js";

/** What cross-host mode adds (controller/cluster.ts); absent on a single host. */
export interface ClusterInput {
  transportOf(spec: { vni?: number; providerVlan?: number }): TransportInput | undefined;
  remoteEndpoints(): RemoteEndpointInput[];
  localInput(): LocalHostInput;
}

export function toPipelineInput(defs: DefinitionSet, ports: readonly LocalPort[], problems: string[] = [], cluster?: ClusterInput): PipelineInput {
  const networks: NetworkInput[] = [];
  for (const net of defs.networks.values()) {
    if (net.spec.vlan === undefined) {
      problems.push(`network ${net.metadata.name} has no VLAN yet: left out`);
      continue;
    }
    const transport = cluster?.transportOf(net.spec);
    networks.push({
      name: net.metadata.name,
      tenant: net.spec.tenant,
      id: net.spec.vlan,
      interSubnetDefault: net.spec.interSubnet ?? DEFAULT_INTER_SUBNET,
      ...(transport ? { transport } : {}),
    });
  }
  const known = new Set(networks.map((n) => n.name));
  const subnets: SubnetInput[] = [];
  const ids = subnetIds([...defs.subnets.keys()]);
  for (const subnet of defs.subnets.values()) {
    if (!known.has(subnet.spec.network) || subnet.spec.gateway === undefined) continue;
    subnets.push({ name: subnet.metadata.name, network: subnet.spec.network, id: ids.get(subnet.metadata.name)!, cidr: subnet.spec.cidr, gateway: subnet.spec.gateway });
  }
  const policies: PolicyInput[] = [...defs.policies.values()]
    .sort((a, b) => (a.spec.priority ?? 100) - (b.spec.priority ?? 100) || a.metadata.name.localeCompare(b.metadata.name))
    .map((p) => ({
      name: p.metadata.name,
      tenant: p.spec.tenant,
      rules: p.spec.rules.map((r) => ({
        action: r.action,
        ...(r.from ? { from: r.from.map(toPeer) } : {}),
        ...(r.to ? { to: r.to.map(toPeer) } : {}),
        ...(r.protocol ? { protocol: r.protocol } : {}),
        ...(r.ports ? { ports: r.ports.map((pr) => ({ from: pr.port, to: pr.endPort ?? pr.port })) } : {}),
      })),
    }));
  const portInputs: PortInput[] = ports
    .filter((p) => p.identity.mode === "managed" && known.has(p.identity.network))
    .map((p) => ({ name: p.name, ofport: p.ofport, network: p.identity.network, mac: p.identity.mac, ips: p.identity.ips }));
  if (!cluster) return { networks, subnets, policies, ports: portInputs };
  return { networks, subnets, policies, ports: portInputs, remoteEndpoints: cluster.remoteEndpoints().filter((e) => known.has(e.network)), local: cluster.localInput() };
}

function toPeer(peer: { subnet?: string; network?: string; cidr?: string }): { subnet: string } | { network: string } | { cidr: string } {
  if (peer.subnet !== undefined) return { subnet: peer.subnet };
  if (peer.network !== undefined) return { network: peer.network };
  return { cidr: peer.cidr ?? "" };
}

/** FNV-1a of the name, in 1..2^32-1; collisions move to the next free value, in name order. */
export function subnetIds(names: readonly string[]): Map<string, number> {
  const taken = new Set<number>();
  const ids = new Map<string, number>();
  for (const name of [...names].sort()) {
    let id = fnv1a(name) || 1;
    while (taken.has(id)) id = id === 0xffffffff ? 1 : id + 1;
    taken.add(id);
    ids.set(name, id);
  }
  return ids;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, "utf8")) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
