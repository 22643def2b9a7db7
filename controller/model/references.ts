/** Who refers to a definition: what stops a delete. */
import type { ProblemList } from "./errors.js";
import type { DefinitionSet, Kind, Peer } from "./types.js";

function peersOf(set: DefinitionSet): Array<{ policy: string; peer: Peer }> {
  const out: Array<{ policy: string; peer: Peer }> = [];
  for (const [policy, def] of set.policies) {
    for (const rule of def.spec.rules) for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) out.push({ policy, peer });
  }
  return out;
}

export function addReferrerProblems(set: DefinitionSet, kind: Kind, name: string, problems: ProblemList): void {
  if (kind === "Network") {
    for (const [subnet, def] of set.subnets) {
      if (def.spec.network === name) problems.add(kind, name, "metadata.name", name, `is still used by subnet "${subnet}"; delete the subnet first`);
    }
    for (const { policy, peer } of peersOf(set)) {
      if (peer.network === name) problems.add(kind, name, "metadata.name", name, `is still used by isolation policy "${policy}"`);
    }
  }
  if (kind === "Subnet") {
    for (const { policy, peer } of peersOf(set)) {
      if (peer.subnet === name) problems.add(kind, name, "metadata.name", name, `is still used by isolation policy "${policy}"`);
    }
  }
}
