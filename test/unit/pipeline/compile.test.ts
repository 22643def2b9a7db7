// The whole compiler: determinism, linear growth, changes that stay local, tenant isolation by construction.
import { describe, expect, it } from "vitest";
import { compileDesiredFlows, compilePipeline, pipelineTableNames } from "../../../controller/pipeline/compile.js";
import { diffFlows } from "../../../ovs/openflow/diff.js";
import { purposeOf } from "../../../ovs/openflow/cookie.js";
import { PURPOSE } from "../../../controller/pipeline/purposes.js";
import { largeInput, smallInput } from "./fixtures.js";

const keys = (flows: { cookie: bigint; table: number; priority: number }[]) => flows.map(({ cookie, table, priority }) => ({ cookie, table, priority }));

describe("compilePipeline", () => {
  it("is deterministic: the same input gives the same flows and cookies", () => {
    const a = compileDesiredFlows(largeInput({ ports: 100, subnets: 10, rules: 20 }));
    const b = compileDesiredFlows(largeInput({ ports: 100, subnets: 10, rules: 20 }));
    expect(b.flows).toEqual(a.flows);
    expect(a.problems).toEqual([]);
  });

  it("grows linearly: flows = fixed + per port + per subnet + per rule, never ports x rules", () => {
    const count = (ports: number, rules: number) => compileDesiredFlows(largeInput({ ports, subnets: 50, rules })).flows.length;
    const base = count(250, 100);
    const perPort = (count(500, 100) - base) / 250;
    expect(count(1000, 100) - base).toBe(perPort * 750);
    const perRule = (count(250, 200) - base) / 100;
    expect(count(250, 400) - base).toBe(perRule * 300);
    // Rules do not multiply with ports: the rule cost is the same with four times the ports.
    expect(count(1000, 200) - count(1000, 100)).toBe(count(250, 200) - base);
  });

  it("changes only the affected rule's flows when one rule changes", () => {
    const before = largeInput({ ports: 200, subnets: 20, rules: 40 });
    const after = structuredClone(before);
    after.policies[0]!.rules[0]!.ports = [{ from: 4242 }];
    const diff = diffFlows(compileDesiredFlows(after).flows, keys(compileDesiredFlows(before).flows));
    expect(diff.add.length).toBeGreaterThan(0);
    expect(diff.add.every((f) => f.purpose === PURPOSE.aclRule)).toBe(true);
    expect(diff.remove.every((r) => purposeOf(r.cookie) === PURPOSE.aclRule)).toBe(true);
    expect(diff.add.length + diff.remove.length).toBeLessThanOrEqual(10);
  });

  it("adds only the new port's flows when a port appears", () => {
    const before = smallInput();
    const after = structuredClone(before);
    after.ports.push({ name: "a2", ofport: 9, network: "blue", mac: "02:00:00:00:00:09", ips: ["10.1.0.12"] });
    const diff = diffFlows(compileDesiredFlows(after).flows, keys(compileDesiredFlows(before).flows));
    expect(diff.remove).toEqual([]);
    expect(diff.add.map((f) => f.text).every((t) => t.includes("in_port=9") || t.includes("10.1.0.12"))).toBe(true);
    expect(diff.add).toHaveLength(6); // classifier, ip + arp spoof guard, ARP reply, l3 route, l2
  });

  it("never matches a destination subnet without the tenant register", () => {
    const { flows } = compilePipeline(smallInput());
    const destination = flows.filter((f) => f.purpose === PURPOSE.destinationSubnet);
    expect(destination).toHaveLength(4);
    for (const f of destination) expect(f.match.regs?.[2]).toBeDefined();
    const tenants = new Set(destination.map((f) => f.match.regs?.[2]));
    expect(tenants.size).toBe(2); // blue-a and red-a share 10.1.0.0/24 but not the tenant
  });

  it("reports problems next to the flows it could compile", () => {
    const input = smallInput();
    input.ports.push({ name: "bad", ofport: 9, network: "nope", mac: "02:00:00:00:00:09", ips: ["10.1.0.5"] });
    const { flows, problems } = compilePipeline(input);
    expect(problems).toEqual(["port bad: unknown or invalid network nope"]);
    expect(flows.some((f) => f.match.inPort === 9)).toBe(false);
    expect(flows.some((f) => f.match.inPort === 1)).toBe(true);
  });

  it("names every table", () => {
    expect(pipelineTableNames().map((t) => `${t.id}:${t.name}`)).toEqual([
      "0:Classifier", "5:TunnelIn", "6:RemoteSource", "10:SpoofGuard", "20:Neighbor", "21:NdReply", "30:Destination", "40:Conntrack", "50:Acl", "51:AclCommit",
      "60:L3Gateway", "61:L3Route", "70:EgressConntrack", "71:EgressState", "80:L2Forward", "90:Output",
    ]);
  });
});
