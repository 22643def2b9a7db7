/** `flows` on a dump recorded from a real bridge (see fixtures/README.md). */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseNamedDump, parseNamedFlowLine, matchFields } from "../../../controller/cli/flows/dump.js";
import { filterFlows, groupFlows, type Names, type PortLabel } from "../../../controller/cli/flows/group.js";
import { renderFlowTables } from "../../../controller/cli/commands/flows.js";
import { TABLES } from "../../../controller/pipeline/tables.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
interface FixturePort {
  name: string;
  ofport: number;
  network: string;
  pod: string;
  ip: string;
  mac: string;
}
const fixturePorts = JSON.parse(fixture("ports.json")) as FixturePort[];
const v6: Record<string, string> = { a1: "fd10:1::11", a2: "fd10:1::12" };
const ports: PortLabel[] = fixturePorts.map((p) => ({ name: p.name, ofport: p.ofport, network: p.network, containerId: `cid-${p.pod}-0123456789abcdef`, ifname: "eth0", mac: p.mac, ips: [p.ip, ...(v6[p.pod] ? [v6[p.pod]!] : [])] }));
const names: Names = { ports, networks: new Map([[1, "blue"], [2, "red"]]) };
const flows = parseNamedDump(fixture("dump-flows-names.txt"));
const a1 = ports[0]!;
const r1 = ports[3]!;

describe("parseNamedDump", () => {
  it("reads every flow with its table name, id, purpose and counters", () => {
    expect(flows).toHaveLength(97);
    // The recording predates the cross-host tables (TunnelIn, RemoteSource): every other table is in it.
    const recorded = TABLES.filter((t) => !["TunnelIn", "RemoteSource"].includes(t.name));
    expect(new Set(flows.map((f) => f.table))).toEqual(new Set(recorded.map((t) => t.name)));
    expect(flows.every((f) => f.tableId === TABLES.find((t) => t.name === f.table)?.id)).toBe(true);
    expect(flows.every((f) => f.purpose !== undefined && !f.purpose.startsWith("purpose "))).toBe(true);
    const classifier = flows.find((f) => f.match.startsWith(`in_port=${a1.name}`))!;
    expect(classifier).toMatchObject({ table: "Classifier", tableId: 0, priority: 100, purpose: "classifierPort" });
    expect(classifier.packets).toBeGreaterThan(0);
    expect(classifier.actions).toMatch(/^set_field:0x1->reg0,set_field:0x[0-9a-f]+->reg2,goto_table:SpoofGuard$/);
  });

  it("handles the default priority, an empty match and numbered tables", () => {
    const line = " cookie=0x5d0e18d323c649d3, duration=1.3s, table=90, n_packets=2, n_bytes=196 actions=output:NXM_NX_REG5[]";
    expect(parseNamedFlowLine(line)).toMatchObject({ table: "Output", tableId: 90, priority: 32768, match: "", packets: 2, bytes: 196, purpose: "output" });
    expect(parseNamedFlowLine(" cookie=0x1, table=200, n_packets=0, n_bytes=0, priority=5,ip actions=drop")).toMatchObject({ table: "table200", tableId: 200, purpose: undefined });
    expect(() => parseNamedFlowLine("cookie=zz, table=1 actions=drop")).toThrow(/no cookie/);
  });

  it("splits a match into fields", () => {
    expect(matchFields('ip,in_port="a b",reg0=0x1')).toEqual(new Map([["ip", ""], ["in_port", "a b"], ["reg0", "0x1"]]));
  });
});

describe("groupFlows", () => {
  const tables = groupFlows(flows, names);

  it("orders tables as the pipeline does and counts flows and packets", () => {
    const present = new Set(flows.map((f) => f.tableId));
    expect(tables.map((t) => t.tableId)).toEqual(TABLES.filter((t) => present.has(t.id)).map((t) => t.id));
    expect(tables.reduce((n, t) => n + t.flows, 0)).toBe(97);
    expect(tables.reduce((n, t) => n + t.packets, 0)).toBe(flows.reduce((n, f) => n + f.packets, 0));
  });

  it("groups by port, then by network, then the shared flows", () => {
    const classifier = tables[0]!;
    expect(classifier.groups.map((g) => g.label)).toEqual([
      ...ports.map((p) => `port ${p.name} (${p.containerId.slice(0, 12)}/eth0, network ${p.network})`),
      "all ports",
    ]);
    const neighbor = tables.find((t) => t.table === "Neighbor")!;
    expect(neighbor.groups.map((g) => g.label)).toEqual(["network blue", "network red", "all ports"]);
    expect(neighbor.groups[1]!.flows.map((f) => matchFields(f.match).get("arp_tpa"))).toEqual(["10.1.0.1", "10.1.0.12"]);
    const l2 = tables.find((t) => t.table === "L2Forward")!;
    expect(l2.groups.find((g) => g.label === "network red")!.flows).toHaveLength(1);
  });

  it("labels unknown networks and ports by number", () => {
    const bare = groupFlows(flows, { ports: [], networks: new Map() });
    expect(bare.find((t) => t.table === "Acl")!.groups.map((g) => g.label)).toContain("network id 2");
    expect(bare[0]!.groups[0]!.label).toBe(`port ${a1.name}`);
  });

  it("renders one block per table with group headings and a total", () => {
    const text = renderFlowTables(tables);
    expect(text).toContain("Classifier (table 0): 5 flows,");
    expect(text).toContain(`  port ${a1.name} (cid-a1-01234/eth0, network blue): `);
    expect(text).toMatch(/PACKETS +PRIORITY +PURPOSE +MATCH +ACTIONS/);
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^97 flows in 14 tables, \d+ packets$/);
  });
});

describe("filterFlows", () => {
  it("keeps one table, by name in any case or by number", () => {
    expect(filterFlows(flows, { table: "spoofguard" }, names).every((f) => f.table === "SpoofGuard")).toBe(true);
    expect(filterFlows(flows, { table: "10" }, names)).toHaveLength(13);
  });

  it("keeps the flows of one port: in_port, its MAC and addresses, its output", () => {
    const mine = filterFlows(flows, { port: a1 }, names);
    const purposes = mine.map((f) => f.purpose).sort();
    // IPv4 and IPv6 each: spoof guard, neighbor answer, route, L2; plus ARP and the link-local address.
    expect(purposes).toEqual(["arpReply", "classifierPort", "l2Endpoint", "l2Endpoint", "l3Route", "l3Route", "ndReply", "spoofArp", "spoofIpv4", "spoofIpv6", "spoofIpv6"].sort());
    expect(mine.every((f) => !f.match.includes("10.1.0.12"))).toBe(true);
  });

  it("does not mix up tenants that reuse an address", () => {
    // r1 (red) has 10.1.0.12 like a2 (blue): blue's flows for 10.1.0.12 are not r1's.
    const mine = filterFlows(flows, { port: r1 }, names);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((f) => !/reg[04]=0x1(,|$)/.test(f.match))).toBe(true);
    expect(mine.filter((f) => f.purpose === "l2Endpoint").map((f) => f.actions)).toEqual(["set_field:0x4->reg5,goto_table:Output"]);
  });

  it("keeps one network's flows and its ports' flows", () => {
    const red = filterFlows(flows, { network: "red" }, names);
    expect(red.some((f) => f.match.includes(`in_port=${r1.name}`))).toBe(true);
    expect(red.every((f) => !f.match.includes(`in_port=${a1.name}`) && !/reg[04]=0x1(,|$)/.test(f.match))).toBe(true);
  });
});
