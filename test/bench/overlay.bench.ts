/**
 * Cross-host benchmark (root; two OVS sandboxes on a private veth/bridge underlay, real packets).
 *   datapath   ping RTT (median of per-packet RTTs) and iperf3 TCP throughput: same host vs across
 *              hosts over VXLAN, Geneve and a VLAN provider network, rounds alternating
 *   reachable  time from "endpoint added to the other host's input" to "its first ping reply":
 *              incremental compile + diff + one bundle by OfctlFlowApplier + the packet's round trip
 *              (p50 / p95 over OVERLAY_BENCH_ENDPOINTS new endpoints)
 * Run: `npx tsx test/bench/overlay.bench.ts` (OVERLAY_BENCH_IPERF_S, default 5; OVERLAY_BENCH_ROUNDS,
 * default 3; OVERLAY_BENCH_ENDPOINTS, default 10). Figures: docs/performance-overlay.md.
 */
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { runFull } from "../../ovs/exec.js";
import { diffFlows } from "../../ovs/openflow/diff.js";
import type { FlowKey } from "../../ovs/openflow/desired.js";
import { syncFlows } from "../../ovs/openflow/sync.js";
import { compileDesiredFlows } from "../../controller/pipeline/compile.js";
import { PipelineCompiler } from "../../controller/pipeline/incremental.js";
import type { PipelineInput } from "../../controller/pipeline/input.js";
import { attachmentMtu } from "../../controller/pipeline/mtu.js";
import type { TunnelType } from "../../ovs/tunnel/tunnel-port.js";
import { iperfGbps } from "./datapath.js";
import { attachContainer, removeContainers, type Container, type ContainerSpec } from "../integration/pipeline/helpers/containers.js";
import { BRIDGE, deleteOnExit, startUnderlay, type Underlay } from "../integration/overlay/helpers/hosts.js";

const IPERF_SECONDS = Number(process.env.OVERLAY_BENCH_IPERF_S ?? 5);
const iperf = (server: Container, client: Container, host: string) => iperfGbps(server, client, host, IPERF_SECONDS);
const ROUNDS = Number(process.env.OVERLAY_BENCH_ROUNDS ?? 3);
const ENDPOINTS = Number(process.env.OVERLAY_BENCH_ENDPOINTS ?? 10);
const VLAN = 300;

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
const rows: string[] = [];
const row = (what: string, value: string) => {
  rows.push(`| ${what} | ${value} |`);
  console.log(`${what}: ${value}`);
};

const NETWORKS: PipelineInput["networks"] = [
  { name: "blue", tenant: "bench", id: 101, interSubnetDefault: "deny", transport: { type: "overlay", vni: 5101 } },
  { name: "green", tenant: "bench", id: 102, interSubnetDefault: "deny", transport: { type: "vlan-provider", vlan: VLAN } },
];
const SUBNETS: PipelineInput["subnets"] = [
  { name: "blue-a", network: "blue", id: 1, cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
  { name: "green-a", network: "green", id: 2, cidr: "10.3.0.0/24", gateway: "10.3.0.1" },
];

type Placed = ContainerSpec & { host: string };
const spec = (host: string, name: string, network: "blue" | "green", n: number, ip: string): Placed => ({
  host, name, network, ofport: 10 + n, vlan: network === "blue" ? 101 : 102,
  mac: `02:00:00:0${host.slice(1)}:00:${n.toString(16).padStart(2, "0")}`,
  v4: { address: ip, prefix: 24, gateway: network === "blue" ? "10.1.0.1" : "10.3.0.1" },
});
const FIXED: Placed[] = [
  spec("h1", "s1", "blue", 1, "10.1.0.11"),
  spec("h1", "s2", "blue", 2, "10.1.0.12"),
  spec("h1", "p1", "green", 3, "10.3.0.11"),
  spec("h2", "x1", "blue", 1, "10.1.0.21"),
  spec("h2", "p2", "green", 2, "10.3.0.21"),
];
const LATE: Placed[] = Array.from({ length: ENDPOINTS }, (_, i) => spec("h2", `n${i}`, "blue", 20 + i, `10.1.0.${100 + i}`));

function inputFor(underlay: Underlay, host: string, placed: readonly Placed[]): PipelineInput {
  const h = underlay.host(host);
  return {
    networks: NETWORKS,
    subnets: SUBNETS,
    policies: [],
    ports: placed.filter((p) => p.host === host).map((p) => ({ name: p.name, ofport: p.ofport, network: p.network, mac: p.mac, ips: [p.v4!.address] })),
    remoteEndpoints: placed.filter((p) => p.host !== host).map((p) => ({ host: p.host, network: p.network, mac: p.mac, ips: [p.v4!.address], tunnelIp: underlay.host(p.host).underlayIp })),
    local: { tunnelIp: h.underlayIp, tunnelOfport: h.tunnelOfport, providerPorts: h.providerPorts },
  };
}

async function syncAll(underlay: Underlay, placed: readonly Placed[]): Promise<void> {
  for (const h of underlay.hosts) {
    const { flows, problems } = compileDesiredFlows(inputFor(underlay, h.name, placed));
    if (problems.length > 0) throw new Error(problems.join("; "));
    await syncFlows(h.applier, flows);
  }
}

async function pingRtt(from: Container, host: string): Promise<number[]> {
  const out = (await runFull("ip", ["netns", "exec", from.netns, "ping", "-c", "50", "-i", "0.02", host])).stdout;
  return [...out.matchAll(/time=([\d.]+) ms/g)].map((m) => Number(m[1]));
}


interface Path {
  name: string;
  from: Container;
  to: Container;
}

async function measure(paths: Path[]): Promise<void> {
  const rtts = paths.map((): number[] => []);
  const gbits = paths.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, p] of paths.entries()) {
      rtts[i]!.push(...(await pingRtt(p.from, p.to.v4!.address)));
      gbits[i]!.push(await iperf(p.to, p.from, p.to.v4!.address));
    }
  }
  for (const [i, p] of paths.entries()) {
    const ratio = i === 0 ? "" : ` (${Math.round((pct(gbits[i]!, 50) / pct(gbits[0]!, 50)) * 100)} % of same host)`;
    row(`ping RTT, ${p.name} (median of ${rtts[i]!.length} packets)`, `${pct(rtts[i]!, 50).toFixed(3)} ms`);
    row(`iperf3 TCP, ${p.name} (median of ${ROUNDS} x ${IPERF_SECONDS} s)`, `${pct(gbits[i]!, 50).toFixed(2)} Gbit/s${ratio}`);
  }
}

/** h1 learns one new endpoint of h2 per step; a ping already running in s1 says when it answers. */
async function benchReachable(underlay: Underlay, c: (name: string) => Container): Promise<void> {
  const h1 = underlay.host("h1");
  const compiler = new PipelineCompiler();
  let known: Placed[] = [...FIXED];
  let installed: FlowKey[] = compiler.compile(inputFor(underlay, "h1", known)).flows;
  await syncFlows(h1.applier, compileDesiredFlows(inputFor(underlay, "h1", known)).flows);
  const compiled: number[] = [];
  const applied: number[] = [];
  const reachable: number[] = [];
  for (const late of LATE) {
    // A static neighbour entry: the measurement must not wait for the kernel's next ARP retry.
    await runFull("ip", ["netns", "exec", c("s1").netns, "ip", "neigh", "replace", late.v4!.address, "lladdr", late.mac, "dev", "eth0", "nud", "permanent"]);
    const pinger = runFull("ip", ["netns", "exec", c("s1").netns, "ping", "-n", "-c", "1", "-w", "5", "-i", "0.002", late.v4!.address], { okExitCodes: [1] });
    await new Promise((r) => setTimeout(r, 50)); // the ping is running and unanswered
    const t0 = performance.now();
    known = [...known, late];
    const desired = compiler.compile(inputFor(underlay, "h1", known)).flows;
    compiled.push(performance.now() - t0);
    await h1.applier.apply(diffFlows(desired, installed));
    installed = desired;
    applied.push(performance.now() - t0);
    const result = await pinger;
    if (result.exitCode !== 0) throw new Error(`${late.name} never answered`);
    reachable.push(performance.now() - t0);
  }
  row(`new remote endpoint: incremental compile on the other host (p50 / p95 of ${LATE.length})`, `${pct(compiled, 50).toFixed(2)} / ${pct(compiled, 95).toFixed(2)} ms`);
  row(`new remote endpoint: compile + diff + bundle on the other host (p50 / p95 of ${LATE.length})`, `${pct(applied, 50).toFixed(1)} / ${pct(applied, 95).toFixed(1)} ms`);
  row(`new remote endpoint: added to the input -> first ping reply (p50 / p95 of ${LATE.length})`, `${pct(reachable, 50).toFixed(1)} / ${pct(reachable, 95).toFixed(1)} ms`);
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load ${loadavg().map((l) => l.toFixed(1)).join(" ")}\n`);
  const underlay = await startUnderlay({ prefix: "ovb", hosts: 2, tunnelType: "vxlan", providerVlans: [VLAN] });
  const containers: Container[] = [];
  const forget = deleteOnExit(() => containers.map((c) => c.netns));
  try {
    for (const p of [...FIXED, ...LATE]) {
      const c = await attachContainer(underlay.host(p.host).sandbox, BRIDGE, p);
      const transport = NETWORKS.find((n) => n.name === p.network)?.transport;
      await runFull("ip", ["netns", "exec", c.netns, "ip", "link", "set", "eth0", "mtu", String(attachmentMtu(1500, transport, { mtu: 1500, tunnelType: "vxlan" }))]);
      containers.push(c);
    }
    const c = (name: string) => containers.find((x) => x.name === name)!;
    // h2 knows its late endpoints (they are its own ports); h1 learns them one by one below.
    await syncAll(underlay, [...FIXED, ...LATE]);
    await syncFlows(underlay.host("h1").applier, compileDesiredFlows(inputFor(underlay, "h1", FIXED)).flows);
    await benchReachable(underlay, c);
    const sameHost = { name: "same host (overlay network, MTU 1450)", from: c("s1"), to: c("s2") };
    await measure([sameHost, { name: "across hosts, VXLAN", from: c("s1"), to: c("x1") }, { name: "across hosts, VLAN provider (MTU 1500)", from: c("p1"), to: c("p2") }]);
    await switchTunnel(underlay, "geneve", [...FIXED, ...LATE]);
    await measure([sameHost, { name: "across hosts, Geneve", from: c("s1"), to: c("x1") }]);
  } finally {
    forget();
    await removeContainers(containers);
    await underlay.stop();
  }
  console.log(`\n| measurement | result |\n| --- | --- |\n${rows.join("\n")}`);
}

async function switchTunnel(underlay: Underlay, type: TunnelType, placed: readonly Placed[]): Promise<void> {
  await underlay.setTunnelType(type);
  await syncAll(underlay, placed);
}

await main();
