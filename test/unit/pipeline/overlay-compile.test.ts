// The compiler with remote endpoints: local changes, linear growth, isolation invariants, incremental = full, MTUs.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { compileDesiredFlows, compilePipeline } from "../../../controller/pipeline/compile.js";
import { PipelineCompiler } from "../../../controller/pipeline/incremental.js";
import { PURPOSE } from "../../../controller/pipeline/purposes.js";
import { ORIGIN, REG } from "../../../controller/pipeline/registers.js";
import { attachmentMtu, encapsulationOverhead, transportMtuLimit } from "../../../controller/pipeline/mtu.js";
import { diffFlows } from "../../../ovs/openflow/diff.js";
import { purposeOf } from "../../../ovs/openflow/cookie.js";
import { manyRemotes, overlayInput } from "./overlay-fixtures.js";
import { smallInput } from "./fixtures.js";

const keys = (flows: { cookie: bigint; table: number; priority: number }[]) => flows.map(({ cookie, table, priority }) => ({ cookie, table, priority }));
const REMOTE_PURPOSES: number[] = [PURPOSE.arpReply, PURPOSE.ndReply, PURPOSE.l3Route, PURPOSE.l2Remote, PURPOSE.remoteSource];

describe("compiling remote endpoints", () => {
  it("adds only the new remote endpoint's flows when another host's container appears", () => {
    const before = overlayInput();
    const after = overlayInput();
    after.remoteEndpoints!.push({ host: "h3", network: "blue", mac: "02:00:00:00:03:09", ips: ["10.1.0.19"], tunnelIp: "172.31.0.3" });
    const diff = diffFlows(compileDesiredFlows(after).flows, keys(compileDesiredFlows(before).flows));
    expect(diff.remove).toEqual([]);
    // ARP reply, L3 route, L2 exit, two source flows (tunnel from h3, provider path of acme)
    expect(diff.add.map((f) => f.purpose).sort()).toEqual([PURPOSE.arpReply, PURPOSE.l3Route, PURPOSE.remoteSource, PURPOSE.remoteSource, PURPOSE.l2Remote].sort());
    expect(diff.add.every((f) => f.text.includes("10.1.0.19"))).toBe(true);
  });

  it("removes exactly a host's endpoint flows when the host leaves", () => {
    const before = overlayInput();
    const after = overlayInput();
    after.remoteEndpoints = after.remoteEndpoints!.filter((r) => r.host !== "h2");
    const diff = diffFlows(compileDesiredFlows(after).flows, keys(compileDesiredFlows(before).flows));
    expect(diff.add).toEqual([]);
    expect(diff.remove.length).toBeGreaterThan(0);
    expect(diff.remove.every((r) => REMOTE_PURPOSES.includes(purposeOf(r.cookie)))).toBe(true);
  });

  it("grows linearly with remote endpoints and does not multiply them by hosts or local ports", () => {
    const count = (hosts: number, perHost: number) => compileDesiredFlows(manyRemotes(hosts, perHost)).flows.length;
    const base = count(1, 10);
    const perEndpoint = (count(1, 20) - base) / 10;
    expect(perEndpoint).toBe(5); // ARP reply, L3 route, L2 exit, tunnel source, provider-path source
    expect(count(10, 100) - base).toBe(perEndpoint * 990);
    expect(count(100, 10) - base).toBe(perEndpoint * 990);
  });

  it("keeps every cross-host flow inside its tenant and never forwards another host's packet to a third", () => {
    const { flows, problems } = compilePipeline(manyRemotes(5, 20));
    expect(problems).toEqual([]);
    for (const f of flows.filter((x) => x.purpose === PURPOSE.remoteSource)) expect(f.match.regs?.[REG.tenant]).toBeDefined();
    const exits = flows.filter((x) => x.purpose === PURPOSE.l2Remote);
    expect(exits).toHaveLength(100 + 4); // + the fixture's four remote addresses
    for (const f of exits) expect(f.match.regs?.[REG.fromRemote]).toBe(0);
    const marks = (purpose: number) => flows.filter((x) => x.purpose === purpose).map((f) => f.actions.find((a) => a.kind === "setField" && a.field === `reg${REG.fromRemote}`));
    const mark = (value: number) => ({ kind: "setField", field: `reg${REG.fromRemote}`, value });
    expect(marks(PURPOSE.tunnelNetwork)).toEqual([mark(ORIGIN.tunnel), mark(ORIGIN.tunnel)]);
    expect(marks(PURPOSE.providerClassifier)).toEqual([mark(ORIGIN.provider)]);
  });

  it("leaves a single-host input as it was, plus the cross-host tables' fixed flows", () => {
    const single = compileDesiredFlows(smallInput()).flows;
    const purposes = single.map((f) => f.purpose);
    expect(purposes.filter((p) => p === PURPOSE.l3FromRemote)).toHaveLength(2);
    expect(purposes.filter((p) => p >= PURPOSE.tunnelClassifier && p !== PURPOSE.l3FromRemote)).toEqual([]);
    expect(single.filter((f) => f.table === 5 || f.table === 6).map((f) => f.text)).toEqual(["table=5,priority=0 actions=drop", "table=6,priority=0 actions=drop"]);
  });

  it("compiles incrementally exactly what a full compile gives, through random remote changes", () => {
    const hosts = ["h2", "h3", "h4"];
    const change = fc.record({ host: fc.constantFrom(...hosts), n: fc.integer({ min: 0, max: 30 }), kind: fc.constantFrom("add", "drop", "move", "vni", "tunnel") });
    fc.assert(
      fc.property(fc.array(change, { minLength: 1, maxLength: 12 }), (changes) => {
        const compiler = new PipelineCompiler();
        const input = overlayInput();
        compiler.compile(input);
        for (const c of changes) {
          const remotes = input.remoteEndpoints!;
          if (c.kind === "add") remotes.push({ host: c.host, network: c.n % 2 ? "blue" : "green", mac: `02:00:00:aa:00:${c.n.toString(16).padStart(2, "0")}`, ips: [`10.${c.n % 2 ? 1 : 3}.0.${100 + c.n}`], tunnelIp: `172.31.0.${10 + hosts.indexOf(c.host)}` });
          if (c.kind === "drop" && remotes.length > 0) remotes.splice(c.n % remotes.length, 1);
          if (c.kind === "move" && remotes.length > 0) remotes[c.n % remotes.length]!.tunnelIp = `172.31.1.${c.n}`;
          if (c.kind === "vni") input.networks[0]!.transport = { type: "overlay", vni: 5000 + c.n };
          if (c.kind === "tunnel") input.local!.tunnelOfport = 100 + c.n;
          const round = compiler.compile(input);
          expect(round.flows).toEqual(compileDesiredFlows(input).flows);
        }
      }),
      { numRuns: 40 },
    );
  });

  it("rebuilds one unit when one remote endpoint appears", () => {
    const compiler = new PipelineCompiler();
    const input = manyRemotes(3, 50);
    compiler.compile(input);
    input.remoteEndpoints!.push({ host: "n9", network: "blue", mac: "02:00:00:bb:00:01", ips: ["10.200.0.9"], tunnelIp: "172.30.0.99" });
    expect(compiler.compile(input).rebuilt).toBe(1);
  });
});

describe("container MTU per transport", () => {
  it("leaves room for VXLAN or Geneve over an IPv4 or IPv6 underlay", () => {
    expect(encapsulationOverhead("vxlan")).toBe(50);
    expect(encapsulationOverhead("geneve")).toBe(50);
    expect(encapsulationOverhead("vxlan", 6)).toBe(70);
    expect(attachmentMtu(1500, { type: "overlay", vni: 1 }, { mtu: 1500, tunnelType: "vxlan" })).toBe(1450);
    expect(attachmentMtu(9000, { type: "overlay", vni: 1 }, { mtu: 9000, tunnelType: "geneve", family: 6 })).toBe(8930);
    expect(attachmentMtu(1400, { type: "overlay", vni: 1 }, { mtu: 1500, tunnelType: "vxlan" })).toBe(1400);
  });

  it("gives a provider network the underlay MTU and a host-only network what it asks for", () => {
    expect(attachmentMtu(1500, { type: "vlan-provider", vlan: 10 }, { mtu: 1500, tunnelType: "vxlan" })).toBe(1500);
    expect(transportMtuLimit(undefined, { mtu: 1500, tunnelType: "vxlan" })).toBe(Number.POSITIVE_INFINITY);
    expect(attachmentMtu(9000, undefined, { mtu: 1500, tunnelType: "vxlan" })).toBe(9000);
  });
});
