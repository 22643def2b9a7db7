/** Whole-set semantic validation: each rule with a valid and an invalid set of definitions. */
import { describe, expect, it } from "vitest";
import { emptyDefinitionSet, type Definition } from "../../../controller/model/types.js";
import { validateDefinitionSet } from "../../../controller/model/validate.js";
import { network, policy, subnet } from "./fixtures.js";

function problemsOf(defs: Definition[]): string[] {
  const set = emptyDefinitionSet();
  for (const d of defs) {
    if (d.kind === "Network") set.networks.set(d.metadata.name, d);
    if (d.kind === "Subnet") set.subnets.set(d.metadata.name, d);
    if (d.kind === "IsolationPolicy") set.policies.set(d.metadata.name, d);
  }
  return validateDefinitionSet(set).problems.map((p) => `${p.kind} ${p.name} ${p.path} ${JSON.stringify(p.value)}: ${p.message}`);
}

const n1 = network("n1", { vlan: 10, vni: 10 });
const n2 = network("n2", { tenant: "t2", vlan: 20, vni: 20 });
const s4 = (spec: Partial<Parameters<typeof subnet>[1]> = {}) => subnet("s1", { cidr: "10.1.0.0/24", ...spec });
const s6 = (spec: Partial<Parameters<typeof subnet>[1]> = {}) => subnet("s6", { cidr: "fd10:1::/64", ...spec });

const cases: Array<{ rule: string; valid: Definition[]; invalid: Definition[]; expect: RegExp }> = [
  { rule: "CIDR is a network address", valid: [n1, s4()], invalid: [n1, s4({ cidr: "10.1.0.5/24" })], expect: /Subnet s1 spec.cidr "10.1.0.5\/24": has host bits set \(the network is 10.1.0.0\/24\)/ },
  { rule: "CIDR parses", valid: [n1, s4()], invalid: [n1, s4({ cidr: "10.1.0.256/24" })], expect: /spec.cidr "10.1.0.256\/24": is not a valid CIDR/ },
  { rule: "CIDR leaves room for hosts", valid: [n1, s4({ cidr: "10.1.0.0/30" })], invalid: [n1, s4({ cidr: "10.1.0.0/31" })], expect: /spec.cidr "10.1.0.0\/31": is too small/ },
  { rule: "gateway inside the CIDR", valid: [n1, s4({ gateway: "10.1.0.254" })], invalid: [n1, s4({ gateway: "10.2.0.1" })], expect: /Subnet s1 spec.gateway "10.2.0.1": is outside spec.cidr 10.1.0.0\/24/ },
  { rule: "gateway is not the broadcast address", valid: [n1, s4({ gateway: "10.1.0.1" })], invalid: [n1, s4({ gateway: "10.1.0.255" })], expect: /spec.gateway "10.1.0.255": is the broadcast address/ },
  { rule: "gateway has the subnet's family", valid: [n1, s6({ gateway: "fd10:1::1" })], invalid: [n1, s6({ gateway: "10.1.0.1" })], expect: /spec.gateway "10.1.0.1": is IPv4 but spec.cidr fd10:1::\/64 is IPv6/ },
  { rule: "CIDRs do not overlap inside a tenant", valid: [n1, s4(), subnet("s2", { cidr: "10.1.1.0/24" })], invalid: [n1, s4(), subnet("s2", { cidr: "10.1.0.128/25" })], expect: /Subnet s2 spec.cidr "10.1.0.128\/25": overlaps subnet "s1" \(10.1.0.0\/24\) of the same tenant "t1"/ },
  { rule: "CIDRs overlap freely across tenants", valid: [n1, n2, s4(), subnet("s2", { network: "n2", cidr: "10.1.0.0/24" })], invalid: [n1, n2, s4(), subnet("s2", { network: "n1", cidr: "10.1.0.0/24" })], expect: /overlaps subnet "s1"/ },
  { rule: "VLANs are unique", valid: [n1, n2], invalid: [n1, network("n3", { vlan: 10 })], expect: /Network n3 spec.vlan 10: is already used by network "n1"/ },
  { rule: "VNIs are unique", valid: [n1, n2], invalid: [n1, network("n3", { vni: 10 })], expect: /Network n3 spec.vni 10: is already used by network "n1"/ },
  {
    rule: "provider VLANs are unique",
    valid: [network("n1", { providerVlan: 300 }), network("n2", { providerVlan: 301 })],
    invalid: [network("n1", { providerVlan: 300 }), network("n2", { providerVlan: 300 })],
    expect: /Network n2 spec.providerVlan 300: is already the provider VLAN of network "n1"/,
  },
  { rule: "MTU of a network with IPv6 is at least 1280", valid: [network("n1", { mtu: 1280 }), s6()], invalid: [network("n1", { mtu: 1000 }), s6()], expect: /Network n1 spec.mtu 1000: is below 1280/ },
  { rule: "reservation inside the subnet", valid: [n1, s4({ reservations: [{ owner: "ns/a", ip: "10.1.0.9" }] })], invalid: [n1, s4({ reservations: [{ owner: "ns/a", ip: "10.1.1.9" }] })], expect: /spec.reservations\[0\].ip "10.1.1.9": is outside spec.cidr 10.1.0.0\/24/ },
  { rule: "reservation not excluded", valid: [n1, s4({ exclude: ["10.1.0.16/28"], reservations: [{ owner: "ns/a", ip: "10.1.0.32" }] })], invalid: [n1, s4({ exclude: ["10.1.0.16/28"], reservations: [{ owner: "ns/a", ip: "10.1.0.20" }] })], expect: /spec.reservations\[0\].ip "10.1.0.20": is inside an excluded range/ },
  { rule: "reservation is not the gateway", valid: [n1, s4({ reservations: [{ owner: "ns/a", ip: "10.1.0.2" }] })], invalid: [n1, s4({ reservations: [{ owner: "ns/a", ip: "10.1.0.1" }] })], expect: /spec.reservations\[0\].ip "10.1.0.1": is the gateway address/ },
  { rule: "reservation address unique", valid: [n1, s4({ reservations: [{ owner: "a", ip: "10.1.0.2" }, { owner: "b", ip: "10.1.0.3" }] })], invalid: [n1, s4({ reservations: [{ owner: "a", ip: "10.1.0.2" }, { owner: "b", ip: "10.1.0.2" }] })], expect: /spec.reservations\[1\].ip "10.1.0.2": is already reserved for owner "a"/ },
  { rule: "one reservation per owner and subnet", valid: [n1, s4({ reservations: [{ owner: "a", ip: "10.1.0.2" }] })], invalid: [n1, s4({ reservations: [{ owner: "a", ip: "10.1.0.2" }, { owner: "a", ip: "10.1.0.3" }] })], expect: /spec.reservations\[1\].owner "a": already has a reservation/ },
  { rule: "range inside the subnet", valid: [n1, s4({ ranges: [{ start: "10.1.0.10", end: "10.1.0.20" }] })], invalid: [n1, s4({ ranges: [{ start: "10.1.0.10", end: "10.1.1.20" }] })], expect: /spec.ranges\[0\].end "10.1.1.20": is outside spec.cidr/ },
  { rule: "range start before end", valid: [n1, s4({ ranges: [{ start: "10.1.0.10", end: "10.1.0.10" }] })], invalid: [n1, s4({ ranges: [{ start: "10.1.0.20", end: "10.1.0.10" }] })], expect: /spec.ranges\[0\] .*: start is after end/ },
  { rule: "ranges do not overlap", valid: [n1, s4({ ranges: [{ start: "10.1.0.10", end: "10.1.0.20" }, { start: "10.1.0.21", end: "10.1.0.30" }] })], invalid: [n1, s4({ ranges: [{ start: "10.1.0.10", end: "10.1.0.20" }, { start: "10.1.0.20", end: "10.1.0.30" }] })], expect: /spec.ranges\[1\] .*: overlaps spec.ranges\[0\]/ },
  { rule: "exclusions inside the subnet", valid: [n1, s4({ exclude: ["10.1.0.5", "10.1.0.64/26"] })], invalid: [n1, s4({ exclude: ["10.1.5.0/24"] })], expect: /spec.exclude\[0\] "10.1.5.0\/24": is outside spec.cidr/ },
  { rule: "exclusions have the subnet's family", valid: [n1, s6({ exclude: ["fd10:1::5"] })], invalid: [n1, s6({ exclude: ["10.1.0.5"] })], expect: /spec.exclude\[0\] "10.1.0.5": is IPv4 but spec.cidr fd10:1::\/64 is IPv6/ },
  { rule: "route next hop inside the subnet", valid: [n1, s4({ routes: [{ dst: "10.9.0.0/16", gw: "10.1.0.1" }] })], invalid: [n1, s4({ routes: [{ dst: "10.9.0.0/16", gw: "10.9.0.1" }] })], expect: /spec.routes\[0\].gw "10.9.0.1": is not reachable/ },
  { rule: "route destination has the subnet's family", valid: [n1, s4({ routes: [{ dst: "0.0.0.0/0" }] })], invalid: [n1, s4({ routes: [{ dst: "::/0" }] })], expect: /spec.routes\[0\].dst "::\/0": is IPv6 but spec.cidr is IPv4/ },
  { rule: "nameservers are addresses", valid: [n1, s4({ dns: { nameservers: ["10.1.0.53", "fd10::53"] } })], invalid: [n1, s4({ dns: { nameservers: ["10.1.0"] } })], expect: /spec.dns.nameservers\[0\] "10.1.0": is not an IP address/ },
  { rule: "subnet's network exists", valid: [n1, s4()], invalid: [s4()], expect: /Subnet s1 spec.network "n1": refers to an unknown network/ },
  { rule: "policy subnet peer exists", valid: [n1, s4(), policy("p", { rules: [{ action: "deny", from: [{ subnet: "s1" }] }] })], invalid: [n1, s4(), policy("p", { rules: [{ action: "deny", from: [{ subnet: "nope" }] }] })], expect: /IsolationPolicy p spec.rules\[0\].from\[0\].subnet "nope": refers to an unknown subnet/ },
  { rule: "policy network peer exists", valid: [n1, policy("p", { rules: [{ action: "deny", to: [{ network: "n1" }] }] })], invalid: [n1, policy("p", { rules: [{ action: "deny", to: [{ network: "nx" }] }] })], expect: /spec.rules\[0\].to\[0\].network "nx": refers to an unknown network/ },
  { rule: "policy peers stay inside the tenant", valid: [n1, n2, policy("p", { rules: [{ action: "allow", to: [{ network: "n1" }] }] })], invalid: [n1, n2, policy("p", { rules: [{ action: "allow", to: [{ network: "n2" }] }] })], expect: /spec.rules\[0\].to\[0\].network "n2": belongs to tenant "t2", not "t1"/ },
  { rule: "policy subnet peers stay inside the tenant", valid: [n1, n2, s4(), policy("p", { rules: [{ action: "allow", to: [{ subnet: "s1" }] }] })], invalid: [n1, n2, subnet("s1", { network: "n2", cidr: "10.1.0.0/24" }), policy("p", { rules: [{ action: "allow", to: [{ subnet: "s1" }] }] })], expect: /subnet "s1": belongs to tenant "t2"/ },
  { rule: "policy CIDR peers parse", valid: [policy("p", { rules: [{ action: "allow", from: [{ cidr: "10.0.0.0/8" }] }] })], invalid: [policy("p", { rules: [{ action: "allow", from: [{ cidr: "10.0.0.1/8" }] }] })], expect: /from\[0\].cidr "10.0.0.1\/8": has host bits set/ },
  { rule: "ports only with tcp or udp", valid: [policy("p", { rules: [{ action: "allow", protocol: "udp", ports: [{ port: 53 }] }] })], invalid: [policy("p", { rules: [{ action: "allow", protocol: "icmp", ports: [{ port: 53 }] }] })], expect: /spec.rules\[0\].ports .*: needs protocol tcp or udp, not icmp/ },
  { rule: "port ranges ascend", valid: [policy("p", { rules: [{ action: "allow", protocol: "tcp", ports: [{ port: 8000, endPort: 8080 }] }] })], invalid: [policy("p", { rules: [{ action: "allow", protocol: "tcp", ports: [{ port: 8080, endPort: 8000 }] }] })], expect: /ports\[0\].endPort 8000: is below port 8080/ },
];

describe("semantic validation", () => {
  it.each(cases)("$rule", ({ valid, invalid, expect: pattern }) => {
    expect(problemsOf(valid)).toEqual([]);
    const problems = problemsOf(invalid);
    expect(problems.some((p) => pattern.test(p)), problems.join("\n")).toBe(true);
  });
});
