/**
 * Checks policy rules and gives each its priority and conjunction id. A rule that cannot be
 * compiled (unknown subnet, another tenant's network, ports without tcp/udp...) is reported and
 * becomes a deny-everything rule of its tenant at its place: a broken rule must never open more
 * than the operator wrote, so it closes everything below it instead.
 */
import { parseCidr } from "./addresses.js";
import type { Peer, PipelineInput, RuleInput } from "./input.js";
import type { Network, Rule, RulePeer, RuleService, Subnet } from "./model.js";
import { portRangeMasks } from "./port-ranges.js";
import { PRIORITY, RULES_PER_POLICY } from "./priorities.js";
import { assignHashedIds } from "./tenant-ids.js";

interface Context {
  networks: Network[];
  subnets: Subnet[];
}

type Draft = Omit<Rule, "conjId">;

function denyAll(): Pick<Rule, "action" | "from" | "to" | "service"> {
  return { action: "deny", from: [], to: [], service: { kind: "any" } };
}

export function resolvePolicies(input: PipelineInput, ctx: Context, problems: string[]): Rule[] {
  const tenantIds = new Map(ctx.networks.map((n) => [n.tenant, n.tenantId]));
  const policyCount = new Map<string, number>();
  const drafts: Draft[] = [];
  for (const policy of input.policies) {
    const tenantId = tenantIds.get(policy.tenant);
    if (tenantId === undefined) {
      problems.push(`policy ${policy.name}: tenant ${policy.tenant} has no network; ignored`);
      continue;
    }
    const index = policyCount.get(policy.tenant) ?? 0;
    policyCount.set(policy.tenant, index + 1);
    const top = PRIORITY.aclRuleTop - index * RULES_PER_POLICY;
    for (const [i, rule] of policy.rules.entries()) {
      const label = `${policy.tenant}/${policy.name}#${i}`;
      const priority = top - i;
      if (i >= RULES_PER_POLICY || priority < PRIORITY.aclRuleFloor) {
        problems.push(`rule ${label}: beyond ${RULES_PER_POLICY} rules per policy or too many policies; the tenant denies everything from here on`);
        drafts.push({ label, tenantId, priority: PRIORITY.aclRuleFloor, ...denyAll() });
        break;
      }
      const checked = checkRule(rule, policy.tenant, ctx);
      if (typeof checked === "string") {
        problems.push(`rule ${label}: ${checked}; compiled as deny-all for tenant ${policy.tenant}`);
        drafts.push({ label, tenantId, priority, ...denyAll() });
      } else drafts.push({ label, tenantId, priority, action: rule.action === "allow" ? "allow" : "deny", ...checked });
    }
  }
  // One rule per (tenant, priority): the floor deny-all may repeat for one tenant, keep the first.
  const seen = new Set<string>();
  const unique = drafts.filter((d) => !seen.has(`${d.tenantId}/${d.priority}`) && seen.add(`${d.tenantId}/${d.priority}`));
  unique.sort((a, b) => a.tenantId - b.tenantId || b.priority - a.priority);
  const conjIds = assignHashedIds(unique.map((d) => `conj:${d.tenantId}:${d.priority}`));
  return unique.map((d, i) => ({ ...d, conjId: conjIds[i] ?? 0 }));
}

function checkRule(rule: RuleInput, tenant: string, ctx: Context): Pick<Rule, "from" | "to" | "service"> | string {
  const from = (rule.from ?? []).map((p) => resolvePeer(p, tenant, ctx));
  const to = (rule.to ?? []).map((p) => resolvePeer(p, tenant, ctx));
  const bad = [...from, ...to].find((p): p is string => typeof p === "string");
  if (bad) return bad;
  const service = resolveService(rule);
  if (typeof service === "string") return service;
  return { from: from as RulePeer[], to: to as RulePeer[], service };
}

function resolvePeer(peer: Peer, tenant: string, ctx: Context): RulePeer | string {
  if ("subnet" in peer) {
    const subnet = ctx.subnets.find((s) => s.name === peer.subnet);
    if (!subnet) return `unknown subnet ${peer.subnet}`;
    if (subnet.network.tenant !== tenant) return `subnet ${peer.subnet} belongs to another tenant`;
    return { kind: "subnet", subnet };
  }
  if ("network" in peer) {
    const network = ctx.networks.find((n) => n.name === peer.network);
    if (!network) return `unknown network ${peer.network}`;
    if (network.tenant !== tenant) return `network ${peer.network} belongs to another tenant`;
    return { kind: "network", network };
  }
  const cidr = parseCidr(peer.cidr);
  return cidr ? { kind: "cidr", cidr } : `cidr ${peer.cidr} is not a CIDR`;
}

function resolveService(rule: RuleInput): RuleService | string {
  const protocol = rule.protocol ?? "any";
  const ranges = rule.ports ?? [];
  if (protocol !== "tcp" && protocol !== "udp") {
    if (ranges.length > 0) return `ports need protocol tcp or udp, not ${protocol}`;
    if (protocol === "any" || protocol === "icmp" || protocol === "icmpv6") return { kind: protocol };
    return `unknown protocol ${String(protocol)}`;
  }
  const ports: { value: number; mask?: number }[] = [];
  for (const r of ranges) {
    const to = r.to ?? r.from;
    if (!Number.isInteger(r.from) || !Number.isInteger(to) || r.from < 1 || to > 65535 || r.from > to) return `port range ${r.from}-${to} is not within 1..65535`;
    ports.push(...portRangeMasks(r.from, to));
  }
  return { kind: protocol, ports };
}
