// Policy rules: golden flows, cross product versus conjunction, ordering, tenant guard, fail-closed.
import { describe, expect, it } from "vitest";
import { renderFlow } from "../../../ovs/openflow/render.js";
import { ruleFlows } from "../../../controller/pipeline/flows/acl-rules.js";
import { resolveInput } from "../../../controller/pipeline/compile.js";
import { PRIORITY, RULES_PER_POLICY } from "../../../controller/pipeline/priorities.js";
import type { Rule } from "../../../controller/pipeline/model.js";
import type { PolicyInput, RuleInput } from "../../../controller/pipeline/input.js";
import { smallInput } from "./fixtures.js";

function rulesOf(policies: PolicyInput[]): Rule[] {
  return resolveInput(smallInput(policies)).rules;
}
const acme = (...rules: RuleInput[]): PolicyInput => ({ name: "p", tenant: "acme", rules });
const texts = (rule: Rule) => ruleFlows(rule).map(renderFlow);

describe("rule flows", () => {
  it("expands a small rule into plain flows that carry the tenant register", () => {
    const [rule] = rulesOf([acme({ action: "allow", from: [{ subnet: "blue-a" }], to: [{ subnet: "blue-b" }], protocol: "tcp", ports: [{ from: 80 }] })]);
    const t = rule!.tenantId;
    expect(texts(rule!)).toEqual([
      `table=50,priority=60000,tcp,reg1=1,reg2=${t},reg3=2,tp_dst=80 actions=goto_table:51`,
      `table=50,priority=60000,tcp6,reg1=1,reg2=${t},reg3=2,tp_dst=80 actions=goto_table:51`,
    ]);
  });

  it("uses a conjunctive match once the cross product would be larger than the dimensions", () => {
    const [rule] = rulesOf([
      acme({ action: "deny", from: [{ subnet: "blue-a" }, { cidr: "10.9.0.0/16" }], to: [{ subnet: "blue-b" }, { network: "blue" }], protocol: "udp", ports: [{ from: 53 }, { from: 5353 }] }),
    ]);
    const { tenantId: t, conjId: id } = rule!;
    expect(texts(rule!)).toEqual([
      `table=50,priority=60000,reg1=1,reg2=${t} actions=conjunction(${id},1/3)`,
      `table=50,priority=60000,ip,reg2=${t},nw_src=10.9.0.0/16 actions=conjunction(${id},1/3)`,
      `table=50,priority=60000,reg2=${t},reg3=2 actions=conjunction(${id},2/3)`,
      `table=50,priority=60000,reg2=${t},reg4=101 actions=conjunction(${id},2/3)`,
      `table=50,priority=60000,udp,reg2=${t},tp_dst=53 actions=conjunction(${id},3/3)`,
      `table=50,priority=60000,udp,reg2=${t},tp_dst=5353 actions=conjunction(${id},3/3)`,
      `table=50,priority=60000,udp6,reg2=${t},tp_dst=53 actions=conjunction(${id},3/3)`,
      `table=50,priority=60000,udp6,reg2=${t},tp_dst=5353 actions=conjunction(${id},3/3)`,
      `table=50,priority=60000,conj_id=${id} actions=drop`,
    ]);
  });

  it("costs the sum of its items, never their product", () => {
    const many = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => ({ cidr: f(i) }));
    const [rule] = rulesOf([acme({ action: "allow", from: many(20, (i) => `10.50.${i}.0/24`), to: many(30, (i) => `10.60.${i}.0/24`), protocol: "tcp", ports: [{ from: 80 }, { from: 443 }] })]);
    expect(ruleFlows(rule!)).toHaveLength(20 + 30 + 4 + 1);
  });

  it("matches the whole tenant when from, to and protocol are absent", () => {
    const [rule] = rulesOf([acme({ action: "deny" })]);
    expect(texts(rule!)).toEqual([`table=50,priority=60000,reg2=${rule!.tenantId} actions=drop`]);
  });

  it("leaves out combinations no packet can match (IPv4 source, IPv6 destination)", () => {
    const [rule] = rulesOf([acme({ action: "allow", from: [{ cidr: "10.1.0.0/24" }], to: [{ cidr: "fd10:1::/64" }] })]);
    expect(ruleFlows(rule!)).toEqual([]);
  });
});

describe("rule order", () => {
  it("gives earlier rules and earlier policies higher priorities, per tenant", () => {
    const rules = rulesOf([
      acme({ action: "deny", protocol: "icmp" }, { action: "allow" }),
      { name: "second", tenant: "acme", rules: [{ action: "deny" }] },
      { name: "other", tenant: "globex", rules: [{ action: "allow" }] },
    ]);
    const byLabel = Object.fromEntries(rules.map((r) => [r.label, r.priority]));
    expect(byLabel).toEqual({
      "acme/p#0": PRIORITY.aclRuleTop,
      "acme/p#1": PRIORITY.aclRuleTop - 1,
      "acme/second#0": PRIORITY.aclRuleTop - RULES_PER_POLICY,
      "globex/other#0": PRIORITY.aclRuleTop,
    });
  });

  it("keeps every rule above the subnet and network defaults and below the conntrack state flows", () => {
    const rules = rulesOf([acme(...Array.from({ length: 150 }, () => ({ action: "allow" as const })))]);
    for (const r of rules) {
      expect(r.priority).toBeGreaterThan(PRIORITY.aclIntraSubnet);
      expect(r.priority).toBeLessThan(PRIORITY.aclState - 1);
    }
  });

  it("gives every rule a distinct conjunction id", () => {
    const rules = rulesOf([acme(...Array.from({ length: 100 }, () => ({ action: "deny" as const }))), { name: "g", tenant: "globex", rules: Array.from({ length: 100 }, () => ({ action: "allow" as const })) }]);
    expect(new Set(rules.map((r) => r.conjId)).size).toBe(200);
  });
});

describe("broken rules fail closed", () => {
  it("compiles a rule naming another tenant's subnet as deny-all at its place, and says why", () => {
    const model = resolveInput(smallInput([acme({ action: "allow" }, { action: "allow", to: [{ subnet: "red-a" }] }, { action: "allow" })]));
    expect(model.rules.map((r) => [r.action, r.from.length, r.to.length, r.service.kind])).toEqual([
      ["allow", 0, 0, "any"],
      ["deny", 0, 0, "any"],
      ["allow", 0, 0, "any"],
    ]);
    expect(model.problems).toEqual(["rule acme/p#1: subnet red-a belongs to another tenant; compiled as deny-all for tenant acme"]);
  });

  it("rejects ports without tcp/udp and inverted ranges", () => {
    const model = resolveInput(smallInput([acme({ action: "allow", protocol: "icmp", ports: [{ from: 1 }] }, { action: "allow", protocol: "tcp", ports: [{ from: 90, to: 80 }] })]));
    expect(model.rules.every((r) => r.action === "deny")).toBe(true);
    expect(model.problems).toHaveLength(2);
  });

  it("turns rules beyond the per-policy limit into a tenant-wide deny at the floor", () => {
    const model = resolveInput(smallInput([acme(...Array.from({ length: RULES_PER_POLICY + 5 }, () => ({ action: "allow" as const })))]));
    const last = model.rules.at(-1)!;
    expect(last).toMatchObject({ action: "deny", priority: PRIORITY.aclRuleFloor });
    expect(model.rules).toHaveLength(RULES_PER_POLICY + 1);
    expect(model.problems[0]).toMatch(/denies everything from here on/);
  });
});
