/** Structural validation: each schema rule with a valid and an invalid document. */
import { describe, expect, it } from "vitest";
import { DefinitionError } from "../../../controller/model/errors.js";
import { parseDefinitions } from "../../../controller/model/validate.js";
import { network, policy, subnet } from "./fixtures.js";

function problemsOf(doc: unknown): string[] {
  try {
    parseDefinitions([doc]);
    return [];
  } catch (err) {
    if (!(err instanceof DefinitionError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
}

const cases: Array<{ rule: string; valid: unknown; invalid: unknown; expect: RegExp }> = [
  { rule: "kind is known", valid: network("a"), invalid: { ...network("a"), kind: "Netwrk" }, expect: /^kind: must be one of: Network, Subnet, IsolationPolicy/ },
  { rule: "apiVersion is ours", valid: { ...network("a"), apiVersion: "ovs-sdn.io/v1alpha1" }, invalid: { ...network("a"), apiVersion: "v1" }, expect: /^apiVersion: must be one of: ovs-sdn.io\/v1alpha1/ },
  { rule: "metadata.name is required", valid: network("a"), invalid: { ...network("a"), metadata: {} }, expect: /^metadata.name: is required/ },
  { rule: "names are DNS labels", valid: network("web-1"), invalid: network("Web_1"), expect: /^metadata.name: must be a DNS label/ },
  { rule: "names are at most 63 characters", valid: network("a".repeat(63)), invalid: network("a".repeat(64)), expect: /^metadata.name: must be a DNS label/ },
  { rule: "spec is required", valid: network("a"), invalid: { kind: "Network", metadata: { name: "a" } }, expect: /^spec: is required/ },
  { rule: "network tenant is required", valid: network("a"), invalid: { kind: "Network", metadata: { name: "a" }, spec: {} }, expect: /^spec.tenant: is required/ },
  { rule: "vlan at least 1", valid: network("a", { vlan: 1 }), invalid: network("a", { vlan: 0 }), expect: /^spec.vlan: must be >= 1/ },
  { rule: "vlan at most 4094", valid: network("a", { vlan: 4094 }), invalid: network("a", { vlan: 4095 }), expect: /^spec.vlan: must be <= 4094/ },
  { rule: "vlan is an integer", valid: network("a", { vlan: 7 }), invalid: network("a", { vlan: "7" as unknown as number }), expect: /^spec.vlan: must be integer/ },
  { rule: "vni at most 2^24-1", valid: network("a", { vni: 16777215 }), invalid: network("a", { vni: 16777216 }), expect: /^spec.vni: must be <= 16777215/ },
  { rule: "mtu in 576..9216", valid: network("a", { mtu: 9000 }), invalid: network("a", { mtu: 100 }), expect: /^spec.mtu: must be >= 576/ },
  { rule: "interSubnet allow|deny", valid: network("a", { interSubnet: "allow" }), invalid: network("a", { interSubnet: "maybe" as "allow" }), expect: /^spec.interSubnet: must be one of: allow, deny/ },
  { rule: "unknown fields are rejected", valid: network("a"), invalid: { ...network("a"), spec: { tenant: "t1", vlanId: 3 } }, expect: /^spec.vlanId: is not a known field/ },
  { rule: "unknown top-level fields are rejected", valid: network("a"), invalid: { ...network("a"), status: {} }, expect: /^status: is not a known field/ },
  { rule: "subnet network and cidr are required", valid: subnet("s", { cidr: "10.0.0.0/24" }), invalid: { kind: "Subnet", metadata: { name: "s" }, spec: { network: "n1" } }, expect: /^spec.cidr: is required/ },
  { rule: "subnet cidr has a prefix", valid: subnet("s", { cidr: "10.0.0.0/24" }), invalid: subnet("s", { cidr: "10.0.0.0" }), expect: /^spec.cidr: is not in CIDR notation/ },
  { rule: "gateway looks like an address", valid: subnet("s", { cidr: "10.0.0.0/24", gateway: "10.0.0.1" }), invalid: subnet("s", { cidr: "10.0.0.0/24", gateway: "gw.local" }), expect: /^spec.gateway: is not an IP address/ },
  { rule: "ranges need start and end", valid: subnet("s", { cidr: "10.0.0.0/24", ranges: [{ start: "10.0.0.10", end: "10.0.0.20" }] }), invalid: subnet("s", { cidr: "10.0.0.0/24", ranges: [{ start: "10.0.0.10" } as never] }), expect: /^spec.ranges\[0\].end: is required/ },
  { rule: "reservation needs an owner", valid: subnet("s", { cidr: "10.0.0.0/24", reservations: [{ owner: "ns/pod", ip: "10.0.0.9" }] }), invalid: subnet("s", { cidr: "10.0.0.0/24", reservations: [{ ip: "10.0.0.9" } as never] }), expect: /^spec.reservations\[0\].owner: is required/ },
  { rule: "policy rules are required", valid: policy("p"), invalid: { kind: "IsolationPolicy", metadata: { name: "p" }, spec: { tenant: "t1" } }, expect: /^spec.rules: is required/ },
  { rule: "rule action allow|deny", valid: policy("p"), invalid: policy("p", { rules: [{ action: "drop" as "deny" }] }), expect: /^spec.rules\[0\].action: must be one of: allow, deny/ },
  { rule: "a peer sets exactly one field", valid: policy("p", { rules: [{ action: "allow", from: [{ subnet: "s" }] }] }), invalid: policy("p", { rules: [{ action: "allow", from: [{ subnet: "s", cidr: "10.0.0.0/8" }] }] }), expect: /^spec.rules\[0\].from\[0\]: must set exactly one field/ },
  { rule: "an empty peer is rejected", valid: policy("p", { rules: [{ action: "allow", to: [{ network: "n1" }] }] }), invalid: policy("p", { rules: [{ action: "allow", to: [{}] }] }), expect: /^spec.rules\[0\].to\[0\]: must set exactly one field/ },
  { rule: "protocol is known", valid: policy("p", { rules: [{ action: "allow", protocol: "icmpv6" }] }), invalid: policy("p", { rules: [{ action: "allow", protocol: "sctp" as "tcp" }] }), expect: /^spec.rules\[0\].protocol: must be one of: tcp, udp, icmp, icmpv6, any/ },
  { rule: "ports are 1..65535", valid: policy("p", { rules: [{ action: "allow", protocol: "tcp", ports: [{ port: 65535 }] }] }), invalid: policy("p", { rules: [{ action: "allow", protocol: "tcp", ports: [{ port: 70000 }] }] }), expect: /^spec.rules\[0\].ports\[0\].port: must be <= 65535/ },
  { rule: "priority 0..1000", valid: policy("p", { priority: 0 }), invalid: policy("p", { priority: -1 }), expect: /^spec.priority: must be >= 0/ },
];

describe("definition schemas", () => {
  it.each(cases)("$rule", ({ valid, invalid, expect: pattern }) => {
    expect(problemsOf(valid)).toEqual([]);
    const problems = problemsOf(invalid);
    expect(problems.some((p) => pattern.test(p)), problems.join("\n")).toBe(true);
  });

  it("an error names the kind, the name, the field and the value, with CNI code 103", () => {
    try {
      parseDefinitions([network("a", { vlan: 5000 })]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DefinitionError);
      const e = err as DefinitionError;
      expect(e.code).toBe(103);
      expect(e.message).toBe('invalid definition: Network "a": spec.vlan 5000: must be <= 4094');
    }
  });

  it("reports every problem of every document at once", () => {
    try {
      parseDefinitions([network("A"), subnet("s", { cidr: "x" })]);
      expect.unreachable();
    } catch (err) {
      expect((err as DefinitionError).problems.map((p) => `${p.kind}/${p.path}`)).toEqual(["Network/metadata.name", "Subnet/spec.cidr"]);
    }
  });
});

describe("schemas are structural (usable as CRD openAPIV3Schema)", () => {
  const kinds = ["Network", "Subnet", "IsolationPolicy"] as const;
  function walk(node: Record<string, unknown>, path: string, visit: (node: Record<string, unknown>, path: string) => void): void {
    visit(node, path);
    const props = node.properties as Record<string, Record<string, unknown>> | undefined;
    for (const [k, child] of Object.entries(props ?? {})) walk(child, `${path}.${k}`, visit);
    if (node.items) walk(node.items as Record<string, unknown>, `${path}[]`, visit);
  }
  it.each(kinds)("%s", async (kind) => {
    const { schemaOf } = await import("../../../controller/model/schema-check.js");
    const issues: string[] = [];
    walk(schemaOf(kind) as Record<string, unknown>, kind, (node, path) => {
      if (typeof node.type !== "string") issues.push(`${path}: no type`);
      for (const banned of ["$ref", "oneOf", "anyOf", "allOf", "not", "$comment", "additionalProperties", "format"]) {
        if (banned in node) issues.push(`${path}: uses ${banned}`);
      }
      if (path === `${kind}.metadata`) {
        const keys = Object.keys((node.properties as object) ?? {});
        if (keys.some((k) => k !== "name" && k !== "generateName")) issues.push(`${path}: restricts more than name`);
        if ("required" in node) issues.push(`${path}: has required`);
      }
    });
    expect(issues).toEqual([]);
  });
});
