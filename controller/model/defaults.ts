/**
 * Defaulting, as Kubernetes does for Service clusterIPs: omitted fields are filled into the stored
 * spec, so every reader sees the effective value. VLAN and VNI keep the value they were given the
 * first time; a re-apply of the same document without them changes nothing.
 */
import { defaultGateway } from "./subnet-layout.js";
import {
  API_VERSION,
  DEFAULT_INTER_SUBNET,
  DEFAULT_MTU,
  DEFAULT_POLICY_PRIORITY,
  VLAN_MAX,
  VLAN_MIN,
  VNI_MAX,
  VNI_MIN,
  type Definition,
  type DefinitionSet,
  type Network,
} from "./types.js";

/** Drops undefined fields and shares nothing with the input. */
function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The document as it will be stored, given the stored one (if any). VLAN/VNI may stay unset. */
export function withDefaults(def: Definition, existing: Definition | undefined): Definition {
  const base = { apiVersion: API_VERSION, metadata: { name: def.metadata.name } };
  switch (def.kind) {
    case "Network": {
      const prev = existing?.kind === "Network" ? existing.spec : undefined;
      return plain({
        ...base,
        kind: "Network",
        spec: {
          tenant: def.spec.tenant,
          vlan: def.spec.vlan ?? prev?.vlan,
          vni: def.spec.vni ?? prev?.vni,
          providerVlan: def.spec.providerVlan,
          mtu: def.spec.mtu ?? DEFAULT_MTU,
          interSubnet: def.spec.interSubnet ?? DEFAULT_INTER_SUBNET,
        },
      });
    }
    case "Subnet":
      return plain({ ...base, kind: "Subnet", spec: { ...def.spec, gateway: def.spec.gateway ?? defaultGateway(def.spec.cidr) } });
    case "IsolationPolicy":
      return plain({ ...base, kind: "IsolationPolicy", spec: { ...def.spec, priority: def.spec.priority ?? DEFAULT_POLICY_PRIORITY } });
  }
}

function lowestFree(used: Set<number>, min: number, max: number): number | undefined {
  for (let n = min; n <= max; n++) if (!used.has(n)) return n;
  return undefined;
}

/**
 * Gives every network of the set without a VLAN or VNI the lowest free one (replacing it in the
 * set by an updated copy). Returns the networks
 * that could not get one (the range is exhausted).
 */
export function allocateSegments(set: DefinitionSet): Array<{ network: Network; field: "vlan" | "vni" }> {
  const exhausted: Array<{ network: Network; field: "vlan" | "vni" }> = [];
  const vlans = new Set<number>();
  const vnis = new Set<number>();
  for (const n of set.networks.values()) {
    if (n.spec.vlan !== undefined) vlans.add(n.spec.vlan);
    if (n.spec.vni !== undefined) vnis.add(n.spec.vni);
  }
  for (const name of [...set.networks.keys()].sort()) {
    const stored = set.networks.get(name) as Network;
    if (stored.spec.vlan !== undefined && stored.spec.vni !== undefined) continue;
    // Store values may be frozen: allocate into a copy.
    const network: Network = { ...stored, spec: { ...stored.spec } };
    set.networks.set(name, network);
    if (network.spec.vlan === undefined) {
      const vlan = lowestFree(vlans, VLAN_MIN, VLAN_MAX);
      if (vlan === undefined) exhausted.push({ network, field: "vlan" });
      else vlans.add((network.spec.vlan = vlan));
    }
    if (network.spec.vni === undefined) {
      const vni = lowestFree(vnis, VNI_MIN, VNI_MAX);
      if (vni === undefined) exhausted.push({ network, field: "vni" });
      else vnis.add((network.spec.vni = vni));
    }
  }
  return exhausted;
}
