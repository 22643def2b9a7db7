/** IsolationPolicy checks: peers exist inside the policy's tenant, ports only with tcp/udp. */
import type { ProblemList } from "./errors.js";
import { parseCidr } from "./ip.js";
import type { DefinitionSet, IsolationPolicy, Peer } from "./types.js";

function checkPeer(set: DefinitionSet, policy: IsolationPolicy, peer: Peer, path: string, problems: ProblemList): void {
  const name = policy.metadata.name;
  const tenant = policy.spec.tenant;
  if (peer.subnet !== undefined) {
    const subnet = set.subnets.get(peer.subnet);
    const owner = subnet ? set.networks.get(subnet.spec.network)?.spec.tenant : undefined;
    if (!subnet) problems.add("IsolationPolicy", name, `${path}.subnet`, peer.subnet, "refers to an unknown subnet");
    else if (owner !== undefined && owner !== tenant) {
      problems.add("IsolationPolicy", name, `${path}.subnet`, peer.subnet, `belongs to tenant "${owner}", not "${tenant}": tenants never exchange packets`);
    }
  } else if (peer.network !== undefined) {
    const network = set.networks.get(peer.network);
    if (!network) problems.add("IsolationPolicy", name, `${path}.network`, peer.network, "refers to an unknown network");
    else if (network.spec.tenant !== tenant) {
      problems.add("IsolationPolicy", name, `${path}.network`, peer.network, `belongs to tenant "${network.spec.tenant}", not "${tenant}": tenants never exchange packets`);
    }
  } else if (peer.cidr !== undefined) {
    const parsed = parseCidr(peer.cidr);
    if (!("cidr" in parsed)) problems.add("IsolationPolicy", name, `${path}.cidr`, peer.cidr, parsed.error);
  } else {
    problems.add("IsolationPolicy", name, path, peer, "must set exactly one of subnet, network, cidr");
  }
}

export function validatePolicies(set: DefinitionSet, problems: ProblemList): void {
  for (const name of [...set.policies.keys()].sort()) {
    const policy = set.policies.get(name) as IsolationPolicy;
    policy.spec.rules.forEach((rule, i) => {
      const base = `spec.rules[${i}]`;
      (rule.from ?? []).forEach((peer, j) => checkPeer(set, policy, peer, `${base}.from[${j}]`, problems));
      (rule.to ?? []).forEach((peer, j) => checkPeer(set, policy, peer, `${base}.to[${j}]`, problems));
      const protocol = rule.protocol ?? "any";
      if (rule.ports !== undefined && rule.ports.length > 0 && protocol !== "tcp" && protocol !== "udp") {
        problems.add("IsolationPolicy", name, `${base}.ports`, rule.ports, `needs protocol tcp or udp, not ${protocol}`);
      }
      (rule.ports ?? []).forEach((range, j) => {
        if (range.endPort !== undefined && range.endPort < range.port) {
          problems.add("IsolationPolicy", name, `${base}.ports[${j}].endPort`, range.endPort, `is below port ${range.port}`);
        }
      });
    });
  }
}
