/** `trace`: parsing and explaining ofproto/trace output recorded from a real run (fixtures/README.md). */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseTrace, outputsOf } from "../../../controller/cli/trace/parse.js";
import { explainTrace, renderExplanation, type PortName } from "../../../controller/cli/trace/explain.js";
import { addressOfFamily, neighborAnswer, neighborFlow, nextHop, packetFlow, parseProbe } from "../../../controller/cli/trace/packet.js";
import { UsageError } from "../../../controller/cli/errors.js";
import { gatewayMac, parseAddress } from "../../../controller/pipeline/addresses.js";
import { subnetIds } from "../../../controller/reconcile/pipeline-input.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const ports = (JSON.parse(fixture("ports.json")) as Array<{ name: string; ofport: number; pod: string }>).map(
  (p): PortName => ({ ofport: p.ofport, name: p.name, detail: `pod ${p.pod}` }),
);
const [a1, , b1] = ports as [PortName, PortName, PortName];
const trace = (name: string) => parseTrace(fixture(name));
const addr = (text: string) => parseAddress(text)!;

describe("parseTrace", () => {
  it("splits a routed, conntracked packet into its two passes", () => {
    const t = trace("trace-tcp80-routed-allowed.txt");
    expect(t.sections).toHaveLength(2);
    expect(t.sections.map((s) => s.steps.map((x) => x.table))).toEqual([
      [0, 10, 20, 30, 40],
      [50, 51, 60, 61, 70, 80, 90],
    ]);
    expect(t.sections[0]!.resumedAt).toBeUndefined();
    expect(t.sections[1]!.resumedAt).toBe(50);
    expect(t.sections[0]!.steps[0]).toMatchObject({ match: "in_port=1,vlan_tci=0x0000/0x1000", priority: 100, actions: ["set_field:0x1->reg0", expect.stringMatching(/->reg2$/), "goto_table:10"] });
    expect(t.sections[0]!.steps[2]).toMatchObject({ match: "", priority: 0 });
    expect(t.sections[1]!.steps.at(-1)).toMatchObject({ actions: ["output:NXM_NX_REG5[]"], notes: ["output port is 3"] });
    expect(t.sections[1]!.datapathActions).toMatch(/^ct\(commit,zone=1\),set\(eth\(src=0a:5d:/);
    expect(outputsOf(t)).toEqual(["3"]);
  });

  it("reads a trace that stops in the first pass", () => {
    const t = trace("trace-spoofed.txt");
    expect(t.sections).toHaveLength(1);
    expect(t.sections[0]!.steps.map((s) => s.table)).toEqual([0, 10]);
    expect(t.sections[0]!.datapathActions).toBe("drop");
    expect(outputsOf(t)).toEqual([]);
  });

  it("marks a table with no matching rule", () => {
    const t = parseTrace("Flow: ip,in_port=1\n\nbridge(\"br\")\n---\n 0. No match.\n    drop\n\nFinal flow: unchanged\nDatapath actions: drop\n");
    expect(t.sections[0]!.steps).toEqual([{ table: 0, match: undefined, priority: undefined, cookie: undefined, actions: ["drop"], notes: [] }]);
  });
});

describe("explainTrace", () => {
  it("explains a delivered packet: the port, every table by name and the rules' purposes", () => {
    const e = explainTrace(trace("trace-tcp80-routed-allowed.txt"), ports, a1.name);
    expect(e.verdict).toEqual({ kind: "delivered", ports: [b1.name] });
    expect(e.summary).toBe(`delivered to ${b1.name} (pod b1)`);
    expect(e.steps.map((s) => `${s.pass}:${s.tableName}:${s.purpose}`)).toEqual([
      "1:Classifier:classifierPort",
      "1:SpoofGuard:spoofIpv4",
      "1:Neighbor:tableMiss",
      "1:Destination:destinationSubnet",
      "1:Conntrack:conntrack",
      "2:Acl:aclRule",
      "2:AclCommit:aclCommit",
      "2:L3Gateway:l3Gateway",
      "2:L3Route:l3Route",
      "2:EgressConntrack:egressSameNetwork",
      "2:L2Forward:l2Endpoint",
      "2:Output:output",
    ]);
    expect(e.steps.find((s) => s.purpose === "aclRule")!.words).toBe("isolation policy rule: allow");
    expect(e.steps.some((s) => s.drops)).toBe(false); // ct(table=...) prints "drop" for the original: not a drop
    const text = renderExplanation(e, ["Packet: test"]);
    expect(text).toContain("Verdict: DELIVERED: delivered to");
    expect(text).toContain("  -- after conntrack (recirculated):\n   50 Acl ");
  });

  it("names the table and rule that dropped a packet", () => {
    const denied = explainTrace(trace("trace-tcp22-routed-denied.txt"), ports, a1.name);
    expect(denied.verdict).toEqual({
      kind: "dropped",
      table: 50,
      tableName: "Acl",
      purpose: "aclNetworkDefault",
      words: "between subnets of the network: the network's inter-subnet default: deny",
    });
    expect(denied.summary).toBe("dropped in table Acl (50) by rule aclNetworkDefault: between subnets of the network: the network's inter-subnet default: deny");
    const spoofed = explainTrace(trace("trace-spoofed.txt"), ports, a1.name);
    expect(spoofed.verdict).toMatchObject({ kind: "dropped", tableName: "SpoofGuard", purpose: "tableMiss" });
    const unanswered = explainTrace(trace("trace-arp-unknown.txt"), ports, a1.name);
    expect(unanswered.verdict).toMatchObject({ kind: "dropped", tableName: "Neighbor", purpose: "neighborDrop" });
  });

  it("recognises an answer sent back to the sender", () => {
    const e = explainTrace(trace("trace-arp-gateway.txt"), ports, a1.name);
    expect(e.verdict).toEqual({ kind: "replied", port: a1.name });
    expect(e.steps.at(-1)!.purpose).toBe("arpReply");
  });
});

describe("neighbor resolution", () => {
  it("takes the MAC the pipeline answered an ARP request or neighbor solicitation with", () => {
    expect(neighborAnswer(trace("trace-arp-gateway.txt"))).toBe("0a:5d:19:44:cc:d3");
    expect(neighborAnswer(trace("trace-nd-neighbor.txt"))).toBe("02:00:00:00:01:12");
    expect(neighborAnswer(trace("trace-arp-unknown.txt"))).toBeUndefined();
  });

  it("finds the gateway MAC the controller derives from the subnet id", () => {
    const ids = subnetIds(["blue-a", "blue-a6", "blue-b", "red-a"]);
    expect(neighborAnswer(trace("trace-arp-gateway.txt"))).toBe(gatewayMac(ids.get("blue-a")!));
  });

  it("builds the ARP request and the neighbor solicitation a container sends", () => {
    expect(neighborFlow("p1", "02:00:00:00:01:11", addr("10.1.0.11"), addr("10.1.0.1"))).toBe(
      "arp,in_port=p1,dl_src=02:00:00:00:01:11,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=10.1.0.11,arp_tpa=10.1.0.1,arp_sha=02:00:00:00:01:11,arp_tha=00:00:00:00:00:00",
    );
    const ns = neighborFlow("p1", "02:00:00:00:01:11", addr("fd10:1::11"), addr("fd10:1::12"));
    expect(ns).toBe("icmp6,in_port=p1,dl_src=02:00:00:00:01:11,dl_dst=33:33:ff:00:00:12,ipv6_src=fd10:1::11,ipv6_dst=ff02::1:ff00:12,nw_ttl=255,icmpv6_type=135,icmpv6_code=0,nd_target=fd10:1::12,nd_sll=02:00:00:00:01:11");
    // The recorded solicitation used the same destination group and MAC.
    expect(fixture("trace-nd-neighbor.txt").split("\n")[0]).toContain("dl_dst=33:33:ff:00:00:12,ipv6_src=fd10:1::11,ipv6_dst=ff02::1:ff00:12");
    expect(neighborFlow("p", "02:00:00:00:00:01", addr("fd10::1"), addr("fd10::ab:cdef"))).toContain("dl_dst=33:33:ff:ab:cd:ef,ipv6_src=fd10::1,ipv6_dst=ff02::1:ffab:cdef");
  });
});

describe("probe packets", () => {
  it("parses probes", () => {
    expect(parseProbe(undefined)).toEqual({ protocol: "icmp" });
    expect(parseProbe("TCP/80")).toEqual({ protocol: "tcp", port: 80 });
    expect(parseProbe("udp/53")).toEqual({ protocol: "udp", port: 53 });
    for (const bad of ["tcp", "tcp/0", "tcp/70000", "sctp/1", "80"]) expect(() => parseProbe(bad)).toThrow(UsageError);
  });

  it("builds ofproto/trace flows for each protocol and family", () => {
    const base = { inPort: "p1", srcMac: "02:00:00:00:00:01", dstMac: "02:00:00:00:00:02" };
    expect(packetFlow({ ...base, src: addr("10.1.0.11"), dst: addr("10.1.0.12"), probe: { protocol: "icmp" } })).toBe(
      "icmp,in_port=p1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,nw_src=10.1.0.11,nw_dst=10.1.0.12,nw_ttl=64,icmp_type=8,icmp_code=0",
    );
    expect(packetFlow({ ...base, src: addr("10.1.0.11"), dst: addr("10.2.0.11"), probe: { protocol: "tcp", port: 80 } })).toBe(
      "tcp,in_port=p1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,nw_src=10.1.0.11,nw_dst=10.2.0.11,nw_ttl=64,tcp_src=40000,tcp_dst=80,tcp_flags=syn",
    );
    expect(packetFlow({ ...base, src: addr("fd10::1"), dst: addr("fd10::2"), probe: { protocol: "udp", port: 53 } })).toBe(
      "udp6,in_port=p1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,ipv6_src=fd10::1,ipv6_dst=fd10::2,nw_ttl=64,udp_src=40000,udp_dst=53",
    );
    expect(packetFlow({ ...base, src: addr("fd10::1"), dst: addr("fd10::2"), probe: { protocol: "icmp" } })).toBe(
      "icmp6,in_port=p1,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,ipv6_src=fd10::1,ipv6_dst=fd10::2,nw_ttl=64,icmpv6_type=128,icmpv6_code=0",
    );
  });

  it("picks the next hop: on-link destination, else the source subnet's gateway", () => {
    const subnets = [
      { name: "blue-a", network: "blue", cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
      { name: "red-a", network: "red", cidr: "10.1.0.0/24", gateway: "10.1.0.254" },
    ];
    expect(nextHop(addr("10.1.0.11"), "10.1.0.11/24", addr("10.1.0.12"), "blue", subnets)).toMatchObject({ address: { text: "10.1.0.12" }, routed: false, subnet: { name: "blue-a" } });
    expect(nextHop(addr("10.1.0.11"), "10.1.0.11/24", addr("10.2.0.11"), "red", subnets)).toMatchObject({ address: { text: "10.1.0.254" }, routed: true, subnet: { name: "red-a" } });
    // Without the definitions the port's own prefix still decides on-link traffic.
    expect(nextHop(addr("10.1.0.11"), "10.1.0.11/24", addr("10.1.0.99"), "blue", undefined)).toMatchObject({ routed: false });
    expect(() => nextHop(addr("10.1.0.11"), "10.1.0.11/24", addr("10.9.0.1"), "blue", undefined)).toThrow(/gateway is unknown: the subnet definitions are not available/);
    expect(() => nextHop(addr("10.7.0.1"), "", addr("10.9.0.1"), "blue", subnets)).toThrow(/no subnet of network blue contains 10.7.0.1/);
  });

  it("chooses the source address of the destination's family", () => {
    expect(addressOfFamily(["10.1.0.11/24", "fd10:1::11/64"], 6)).toMatchObject({ address: { text: "fd10:1::11" }, cidr: "fd10:1::11/64" });
    expect(addressOfFamily(["10.1.0.11"], 4)).toMatchObject({ cidr: "" });
    expect(addressOfFamily(["10.1.0.11/24"], 6)).toBeUndefined();
  });
});
