/**
 * Acl policy rules. A rule is three independent dimensions — source peers, destination peers,
 * service (protocol + port masks) — each a list of matches. Every match carries the tenant
 * register, so rules of different tenants never overlap even at equal priorities.
 *
 * Small rules are expanded into their cross product of plain flows; once the product would exceed
 * the sum of the dimensions, the rule becomes an OVS conjunctive match (one flow per item per
 * dimension plus the conj_id flow). Either way a rule costs O(items), never O(ports).
 */
import type { Action, Flow, Match, Protocol } from "../../../ovs/openflow/flow.js";
import type { Rule, RulePeer, RuleService } from "../model.js";
import { PURPOSE } from "../purposes.js";
import { DROP, flow, goto, regs } from "./build.js";
import { mergeMatches } from "./merge-match.js";

export function sourceMatches(peers: readonly RulePeer[]): Match[] {
  return peers.map((p) => {
    if (p.kind === "subnet") return { regs: regs({ srcSubnet: p.subnet.id }) };
    if (p.kind === "network") return { regs: regs({ srcNetwork: p.network.id }) };
    return p.cidr.family === 4 ? { protocol: "ip", ipv4Src: p.cidr.text } : { protocol: "ipv6", ipv6Src: p.cidr.text };
  });
}

export function destinationMatches(peers: readonly RulePeer[]): Match[] {
  return peers.map((p) => {
    if (p.kind === "subnet") return { regs: regs({ dstSubnet: p.subnet.id }) };
    if (p.kind === "network") return { regs: regs({ dstNetwork: p.network.id }) };
    return p.cidr.family === 4 ? { protocol: "ip", ipv4Dst: p.cidr.text } : { protocol: "ipv6", ipv6Dst: p.cidr.text };
  });
}

export function serviceMatches(service: RuleService): Match[] {
  switch (service.kind) {
    case "any":
      return [];
    case "icmp":
      return [{ protocol: "icmp" }];
    case "icmpv6":
      return [{ protocol: "icmp6" }];
    case "tcp":
    case "udp": {
      const families: Protocol[] = service.kind === "tcp" ? ["tcp", "tcp6"] : ["udp", "udp6"];
      if (service.ports.length === 0) return families.map((protocol) => ({ protocol }));
      return families.flatMap((protocol) => service.ports.map((tpDst) => ({ protocol, tpDst })));
    }
  }
}

function ruleActions(rule: Rule): readonly Action[] {
  return rule.action === "allow" ? [goto("AclCommit")] : DROP;
}

export function ruleFlows(rule: Rule): Flow[] {
  const tenant: Match = { regs: regs({ tenant: rule.tenantId }) };
  const dims = [sourceMatches(rule.from), destinationMatches(rule.to), serviceMatches(rule.service)].filter((d) => d.length > 0);
  const sum = dims.reduce((n, d) => n + d.length, 0);
  const product = dims.reduce((n, d) => n * d.length, 1);
  const make = (match: Match, actions: readonly Action[]) => flow("Acl", rule.priority, PURPOSE.aclRule, match, actions);

  if (dims.length < 2 || product <= sum + 1) {
    let combos: Match[] = [tenant];
    for (const dim of dims) {
      combos = combos.flatMap((c) => dim.map((m) => mergeMatches(c, m)).filter((m): m is Match => m !== undefined));
    }
    return combos.map((m) => make(m, ruleActions(rule)));
  }
  const flows = dims.flatMap((dim, k) =>
    dim.map((m) => make(mergeMatches(tenant, m) ?? m, [{ kind: "conjunction", id: rule.conjId, clause: k + 1, clauses: dims.length }])),
  );
  flows.push(make({ conjId: rule.conjId }, ruleActions(rule)));
  return flows;
}
