/** Network checks across the set: VLAN, VNI and provider VLAN unique, MTU large enough for IPv6. */
import type { ProblemList } from "./errors.js";
import type { DefinitionSet } from "./types.js";

export function validateNetworks(set: DefinitionSet, problems: ProblemList): void {
  const vlanOwner = new Map<number, string>();
  const vniOwner = new Map<number, string>();
  const providerOwner = new Map<number, string>();
  for (const name of [...set.networks.keys()].sort()) {
    const spec = set.networks.get(name)?.spec;
    if (!spec) continue;
    if (spec.vlan !== undefined) {
      const other = vlanOwner.get(spec.vlan);
      if (other !== undefined) problems.add("Network", name, "spec.vlan", spec.vlan, `is already used by network "${other}"`);
      else vlanOwner.set(spec.vlan, name);
    }
    if (spec.providerVlan !== undefined) {
      const other = providerOwner.get(spec.providerVlan);
      if (other !== undefined) problems.add("Network", name, "spec.providerVlan", spec.providerVlan, `is already the provider VLAN of network "${other}"`);
      else providerOwner.set(spec.providerVlan, name);
    }
    if (spec.vni !== undefined) {
      const other = vniOwner.get(spec.vni);
      if (other !== undefined) problems.add("Network", name, "spec.vni", spec.vni, `is already used by network "${other}"`);
      else vniOwner.set(spec.vni, name);
    }
  }
  for (const subnet of set.subnets.values()) {
    const network = set.networks.get(subnet.spec.network);
    const mtu = network?.spec.mtu;
    if (network && mtu !== undefined && mtu < 1280 && subnet.spec.cidr.includes(":")) {
      problems.add("Network", network.metadata.name, "spec.mtu", mtu, `is below 1280, the IPv6 minimum, but subnet "${subnet.metadata.name}" is IPv6`);
    }
  }
}
