/** What IPAM needs to know about a network: its subnets and their address plans, read from the store. */
import { ProblemList } from "../model/errors.js";
import { definitionKey, definitionPrefix } from "../model/keys.js";
import { buildSubnetLayout, type SubnetLayout } from "../model/subnet-layout.js";
import type { Network, Subnet } from "../model/types.js";
import type { Store } from "../store/types.js";
import { IpamError } from "./errors.js";

export interface SubnetView {
  def: Subnet;
  revision: number;
  layout: SubnetLayout;
}

export interface NetworkView {
  network: Network;
  subnets: SubnetView[];
}

export async function loadNetworkView(store: Store, name: string): Promise<NetworkView> {
  const network = await store.get<Network>(definitionKey("Network", name));
  if (!network) throw new IpamError("unknown-network", `network "${name}" is not defined`);
  const listed = await store.list<Subnet>(definitionPrefix("Subnet"));
  const subnets: SubnetView[] = [];
  for (const { value, revision } of listed.records) {
    if (value.spec.network !== name || value.metadata.deletionTimestamp) continue;
    // Stored definitions passed validation; problems here cannot occur and are ignored.
    const layout = buildSubnetLayout(value, new ProblemList());
    if (layout) subnets.push({ def: value, revision, layout });
  }
  if (subnets.length === 0) throw new IpamError("unknown-subnet", `network "${name}" has no subnets`);
  return { network: network.value, subnets };
}

/**
 * True when the subnet still exists with the same CIDR and network and is not being deleted.
 * Checked after leases are written: a delete marks the subnet before it looks for leases, so one of
 * the two always sees the other.
 */
export async function subnetStillValid(store: Store, view: SubnetView): Promise<boolean> {
  const current = await store.get<Subnet>(definitionKey("Subnet", view.def.metadata.name));
  if (!current || current.value.metadata.deletionTimestamp) return false;
  return current.revision === view.revision || (current.value.spec.cidr === view.def.spec.cidr && current.value.spec.network === view.def.spec.network);
}
