/** Small builders for definition documents used by the model and IPAM tests. */
import type { IsolationPolicy, IsolationPolicySpec, Network, NetworkSpec, Subnet, SubnetSpec } from "../../../controller/model/types.js";

export function network(name: string, spec: Partial<NetworkSpec> = {}): Network {
  return { kind: "Network", metadata: { name }, spec: { tenant: "t1", ...spec } };
}

export function subnet(name: string, spec: Partial<SubnetSpec> & { cidr: string }): Subnet {
  return { kind: "Subnet", metadata: { name }, spec: { network: "n1", ...spec } };
}

export function policy(name: string, spec: Partial<IsolationPolicySpec> = {}): IsolationPolicy {
  return { kind: "IsolationPolicy", metadata: { name }, spec: { tenant: "t1", rules: [{ action: "allow" }], ...spec } };
}
