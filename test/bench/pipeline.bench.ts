/**
 * Pipeline benchmark (root, real OVS sandbox). Measures:
 *   compile      compilePipeline + render + cookies for 1,000 ports / 100 subnets / 500 rules (p50)
 *   flow count   at 250 / 500 / 1,000 ports (same subnets and rules): must grow linearly
 *   install      the full flow set into an empty br-int as one bundle (dump + diff + apply)
 *   one rule     change one rule's port, incremental compile + diff + apply, p50 / p95 of 20 changes
 *   datapath     ping RTT and iperf3 TCP throughput between two containers: same subnet and routed
 *                through the full pipeline (with the 1,000-port flow set installed) vs a NORMAL bridge
 * Run: `npx tsx test/bench/pipeline.bench.ts` (PIPELINE_BENCH_IPERF_S: iperf3 seconds, default 5;
 * PIPELINE_BENCH_ROUNDS: alternating datapath rounds, default 3).
 * Figures and interpretation: docs/performance-pipeline.md.
 */
import { performance } from "node:perf_hooks";
import { OvsSandbox } from "../../ovs/sandbox.js";
import { runFull } from "../../ovs/exec.js";
import { OfctlFlowApplier } from "../../ovs/openflow/applier.js";
import { diffFlows } from "../../ovs/openflow/diff.js";
import { syncFlows } from "../../ovs/openflow/sync.js";
import { setTableNames } from "../../ovs/openflow/table-names.js";
import type { FlowKey } from "../../ovs/openflow/desired.js";
import { compileDesiredFlows, pipelineTableNames } from "../../controller/pipeline/compile.js";
import { PipelineCompiler } from "../../controller/pipeline/incremental.js";
import type { PipelineInput } from "../../controller/pipeline/input.js";
import { largeInput } from "../unit/pipeline/fixtures.js";
import { iperfGbps } from "./datapath.js";
import { attachContainer, removeContainers, type Container, type ContainerSpec } from "../integration/pipeline/helpers/containers.js";

const IPERF_SECONDS = Number(process.env.PIPELINE_BENCH_IPERF_S ?? 5);
const iperf = (server: Container, client: Container, host: string) => iperfGbps(server, client, host, IPERF_SECONDS);
const ROUNDS = Number(process.env.PIPELINE_BENCH_ROUNDS ?? 3);
const SHAPE = { ports: 1000, subnets: 100, rules: 500 };

const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const rows: string[] = [];
const row = (what: string, value: string) => {
  rows.push(`| ${what} | ${value} |`);
  console.log(`${what}: ${value}`);
};

/** The generated world plus a "bench" tenant holding the real containers (ofports 2001+). */
function benchInput(ports: number, webPort = 5201): PipelineInput {
  const input = largeInput({ ...SHAPE, ports });
  input.networks.push({ name: "bench", tenant: "bench", id: 4000, interSubnetDefault: "deny" });
  input.subnets.push(
    { name: "bench-a", network: "bench", id: 90001, cidr: "172.16.1.0/24", gateway: "172.16.1.1" },
    { name: "bench-b", network: "bench", id: 90002, cidr: "172.16.2.0/24", gateway: "172.16.2.1" },
  );
  input.policies.push({ name: "bench", tenant: "bench", rules: [{ action: "allow", from: [{ subnet: "bench-a" }], to: [{ subnet: "bench-b" }], protocol: "tcp", ports: [{ from: webPort }] }, { action: "allow", from: [{ subnet: "bench-a" }], to: [{ subnet: "bench-b" }], protocol: "icmp" }] });
  for (const c of PIPELINE_CONTAINERS) input.ports.push({ name: c.name, ofport: c.ofport, network: "bench", mac: c.mac, ips: [c.v4!.address] });
  return input;
}

const spec = (name: string, ofport: number, subnet: 1 | 2, host: number, network = "bench"): ContainerSpec => ({
  name, network, ofport, vlan: 4000, mac: `02:00:00:bb:0${subnet}:${host.toString(16).padStart(2, "0")}`,
  v4: { address: `172.16.${subnet}.${host}`, prefix: 24, gateway: `172.16.${subnet}.1` },
});
const PIPELINE_CONTAINERS = [spec("pa", 2001, 1, 10), spec("pb", 2002, 1, 11), spec("pc", 2003, 2, 10)];
const NORMAL_CONTAINERS = [spec("na", 3001, 1, 20), spec("nb", 3002, 1, 21)];

function benchCompile(): void {
  const input = benchInput(SHAPE.ports);
  const times: number[] = [];
  let flows = 0;
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    flows = compileDesiredFlows(input).flows.length;
    times.push(performance.now() - t0);
  }
  row("compile 1,000 ports / 100 subnets / 500 rules (p50 / p95 of 20)", `${ms(pct(times, 50))} / ${ms(pct(times, 95))} (${flows} flows)`);
  const counts = [250, 500, 1000].map((ports) => compileDesiredFlows(largeInput({ ...SHAPE, ports })).flows.length);
  row("flow count at 250 / 500 / 1,000 ports", `${counts.join(" / ")} (+${(counts[1]! - counts[0]!) / 250} and +${(counts[2]! - counts[1]!) / 500} per port)`);
}

async function pingRtt(from: Container, host: string): Promise<number> {
  const out = (await runFull("ip", ["netns", "exec", from.netns, "ping", "-q", "-c", "50", "-i", "0.02", host])).stdout;
  return Number(/= [\d.]+\/([\d.]+)\//.exec(out)?.[1] ?? NaN);
}


async function benchOvs(): Promise<void> {
  const sandbox = await OvsSandbox.start({ prefix: "pbench" });
  const containers: Container[] = [];
  try {
    await sandbox.vsctl("add-br", "br-int", "--", "set", "Bridge", "br-int", "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13");
    await sandbox.vsctl("add-br", "br-normal", "--", "set", "Bridge", "br-normal", "datapath_type=netdev");
    await setTableNames((...a) => sandbox.vsctl(...a), "br-int", pipelineTableNames());
    for (const c of PIPELINE_CONTAINERS) containers.push(await attachContainer(sandbox, "br-int", c));
    for (const c of NORMAL_CONTAINERS) containers.push(await attachContainer(sandbox, "br-normal", c));
    const applier = new OfctlFlowApplier({ target: `unix:${sandbox.mgmtSocket("br-int")}` });

    let desired = compileDesiredFlows(benchInput(SHAPE.ports)).flows;
    let t0 = performance.now();
    const installed = await syncFlows(applier, desired);
    row("install full set into empty br-int (dump + diff + one bundle)", `${ms(performance.now() - t0)} (${installed.add.length} flows)`);
    t0 = performance.now();
    const again = await syncFlows(applier, desired);
    row("re-sync unchanged set (dump + diff, nothing to apply)", `${ms(performance.now() - t0)} (${again.add.length + again.remove.length} changes)`);

    // What the controller does per round: the incremental compiler, the diff against what it
    // installed last, one bundle. The compiler is warmed with the installed state first.
    const compiler = new PipelineCompiler();
    let current: FlowKey[] = compiler.compile(benchInput(SHAPE.ports)).flows;
    const changeTimes: number[] = [];
    const compileTimes: number[] = [];
    let touched = 0;
    for (let i = 0; i < 20; i++) {
      const input = benchInput(SHAPE.ports);
      input.policies[0]!.rules[0]!.ports = [{ from: 20000 + i }];
      const t = performance.now();
      desired = compiler.compile(input).flows;
      compileTimes.push(performance.now() - t);
      const diff = diffFlows(desired, current);
      await applier.apply(diff);
      changeTimes.push(performance.now() - t);
      touched = diff.add.length + diff.remove.length;
      current = desired;
    }
    row("one-rule change: incremental compile alone (p50 / p95 of 20)", `${ms(pct(compileTimes, 50))} / ${ms(pct(compileTimes, 95))}`);
    row("one-rule change end to end: compile + diff + bundle in OVS (p50 / p95 of 20)", `${ms(pct(changeTimes, 50))} / ${ms(pct(changeTimes, 95))} (${touched} flow mods each)`);
    await syncFlows(applier, compileDesiredFlows(benchInput(SHAPE.ports)).flows);

    // Datapath: NORMAL and pipeline runs alternate, so load from elsewhere hits both alike.
    const [pa, pb, pc, na, nb] = containers as [Container, Container, Container, Container, Container];
    const paths = [
      { name: "NORMAL bridge", rtt: () => pingRtt(na, "172.16.1.21"), tput: () => iperf(nb, na, "172.16.1.21") },
      { name: "pipeline same subnet", rtt: () => pingRtt(pa, "172.16.1.11"), tput: () => iperf(pb, pa, "172.16.1.11") },
      { name: "pipeline routed (conjunctive ACL)", rtt: () => pingRtt(pa, "172.16.2.10"), tput: () => iperf(pc, pa, "172.16.2.10") },
    ];
    const rtts = paths.map((): number[] => []);
    const gbits = paths.map((): number[] => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, path] of paths.entries()) {
        rtts[i]!.push(await path.rtt());
        gbits[i]!.push(await path.tput());
      }
    }
    for (const [i, path] of paths.entries()) {
      const ratios = gbits[i]!.map((g, r) => g / gbits[0]![r]!);
      row(`ping RTT avg, ${path.name} (median of ${ROUNDS} x 50)`, `${pct(rtts[i]!, 50).toFixed(3)} ms`);
      row(`iperf3 TCP, ${path.name} (median of ${ROUNDS} x ${IPERF_SECONDS} s)`, `${pct(gbits[i]!, 50).toFixed(2)} Gbit/s${i === 0 ? "" : ` (${Math.round(pct(ratios, 50) * 100)} % of NORMAL, per-round ratios ${ratios.map((r) => Math.round(r * 100)).join("/")} %)`}`);
    }
  } finally {
    await removeContainers(containers);
    await sandbox.stop();
  }
}

benchCompile();
await benchOvs();
console.log(`\n| measurement | result |\n| --- | --- |\n${rows.join("\n")}`);
