/**
 * Controller benchmark (root; real OVS sandbox, the real controller process from dist/ with its
 * file store, the real plugin binary). In one run, on one br-int:
 *   ADD/DEL      managed-mode plugin ADD/DEL p50/p99 next to standalone mode of the same binary,
 *                interleaved, with only the definitions installed and again with 1,000 ports
 *   scale        controller RSS, vswitchd RSS and our installed flow count at 250/500/1,000 ports
 *                (bulk ports made directly in OVSDB) under 100 subnets / 500 rules, and the time
 *                from the last port added to GET /v1/status reporting flowsInSync with all ports
 *   policy       one rule's port changed via POST /v1/definitions until the new flow is in OVS
 *                (OpenFlow flow monitor), p50/p95 over 20 changes, with only the definitions and
 *                with 1,000 ports installed
 *   vswitchd     its own OpenFlow/OVSDB round trips at 0 and 1,000 ports, which bound the above
 * Run: `npm run build && npx tsx test/bench/controller.bench.ts` (CONTROLLER_BENCH_CYCLES, default
 * 50 per world; CONTROLLER_BENCH_CHANGES, default 20). Figures: docs/performance-controller.md.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Lab } from "../../controller/lab/lab.js";
import { OvsdbClient, waitApplied } from "../../ovs/ovsdb/index.js";
import { createNetns, deleteNetns, uniqueName } from "../helpers/netns.js";
import { runCycles, type CycleSamples, type Mode } from "./controller-bench/cycles.js";
import { ms, ourFlowCount, p50p99, pct, rssMb, vswitchdLatency, vswitchdPid } from "./controller-bench/measure.js";
import { measurePolicyChanges } from "./controller-bench/policy.js";
import { addBulkPorts, networkVlans, waitInSync } from "./controller-bench/ports.js";
import { RULES, SUBNETS, worldDefinitions } from "./controller-bench/world.js";

const CYCLES = Number(process.env.CONTROLLER_BENCH_CYCLES ?? 50);
const CHANGES = Number(process.env.CONTROLLER_BENCH_CHANGES ?? 20);
const STEPS = [250, 500, 1000];
const MODES: Mode[] = ["managed", "standalone"];
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const say = (line = "") => console.log(line);

function cycleRows(world: string, s: CycleSamples): { rows: string[]; detail: string[] } {
  const rows = MODES.map((m) => `| ${m} | ${world} | ${p50p99(s.add[m].map((a) => a.wall))} | ${p50p99(s.del[m])} |`);
  const phase = (m: Mode, f: (a: CycleSamples["add"]["managed"][number]) => number) => pct(s.add[m].map(f), 50);
  const parts: Array<[string, (a: CycleSamples["add"]["managed"][number]) => number]> = [
    ["process start -> first line", (a) => a.start],
    ["attachment (controller POST or host-local) ‖ veth", (a) => a.ready - a.start],
    ["OVSDB port + vswitchd applied", (a) => a.portApplied - a.ready],
    ["container end (ip -batch)", (a) => a.containerDone - a.portApplied],
    ["after that: flow wait (managed), exit, ip netns exec", (a) => a.wall - a.containerDone],
  ];
  const detail = parts.map(([name, f]) => `  ${name}: ${MODES.map((m) => `${m} ${phase(m, f).toFixed(1)}`).join(", ")} ms (p50)`);
  const diff = pct(s.add.managed.map((a) => a.wall), 50) - pct(s.add.standalone.map((a) => a.wall), 50);
  return { rows, detail: [`ADD phases, ${world} (p50 of each phase; they need not sum to the ADD p50):`, ...detail, `  managed ADD p50 - standalone ADD p50: ${diff.toFixed(1)} ms`, ""] };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("run as root: the benchmark creates netns, veths and an OVS sandbox");
  say(`Node ${process.version}, ${cpus().length} CPUs, load average at start ${load()}, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? "set (the controller inherits it; plugin calls get a clean CNI env without it)" : "not set"}`);
  say(`World: ${SUBNETS} subnets + 1 cycle subnet, 10 tenants, ${RULES} rules; ${CYCLES} ADD/DEL cycles per mode and world; ${CHANGES} policy changes`);
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-cbench-"));
  const netns: Record<Mode, string> = { managed: uniqueName("cbm"), standalone: uniqueName("cbs") };
  let lab: Lab | undefined;
  let ovsdb: OvsdbClient | undefined;
  const cycles: Array<{ rows: string[]; detail: string[] }> = [];
  const scaleTable: string[] = [];
  const latencyTable: string[] = [];
  const latencyRow = async (when: string) => {
    const l = await vswitchdLatency(lab!);
    latencyTable.push(`| ${when} | ${l.aggregate.toFixed(1)} | ${l.bundle.toFixed(1)} | ${l.vsctl.toFixed(1)} |`);
  };
  try {
    lab = await Lab.start({ prefix: "cbench" });
    const t0 = performance.now();
    await lab.applyDefinitions(worldDefinitions());
    const applyMs = performance.now() - t0;
    await waitInSync(lab, 0);
    const pid = lab.controllerPid!;
    say(`apply definitions (one POST) ${ms(applyMs)}; in sync ${ms(performance.now() - t0)} after the POST`);
    const emptyRow = async (when: string) => `| 0 (${when}) | ${await ourFlowCount(lab!)} | - | ${rssMb(pid).toFixed(1)} | ${rssMb(vswitchdPid(lab!)).toFixed(1)} | - | - | - | - |`;
    scaleTable.push(await emptyRow("definitions applied"));
    await latencyRow("0 ports");
    for (const mode of MODES) await createNetns(netns[mode]);

    say(`ADD/DEL cycles, definitions only (load ${load()})...`);
    cycles.push(cycleRows("definitions only", await runCycles(lab, { cycles: CYCLES, dir, netns, tag: "empty" })));

    await waitInSync(lab, 0); // a DEL returns before the controller has removed the port's flows
    scaleTable.push(await emptyRow(`after ${CYCLES} ADD/DEL cycles per mode`));
    say(`policy changes, definitions only (load ${load()})...`);
    const emptyChanges = await measurePolicyChanges(lab, 0, CHANGES, 21_000);
    ovsdb = await OvsdbClient.connect(lab.sandbox.dbRemote, { timeoutMs: 60_000 });
    const vlans = await networkVlans(lab);
    let previous = 0;
    let previousFlows = await ourFlowCount(lab);
    for (const step of STEPS) {
      say(`adding ports ${previous}..${step - 1} (load ${load()})...`);
      const batch = await addBulkPorts(lab, ovsdb, vlans, previous, step);
      const [appliedAt, syncedAt] = await Promise.all([
        waitApplied(ovsdb, { nextCfg: batch.nextCfg, timeoutMs: 120_000 }).then(() => performance.now()),
        waitInSync(lab, step),
      ]);
      const flows = await ourFlowCount(lab);
      scaleTable.push(
        `| ${step} | ${flows} | +${((flows - previousFlows) / (step - previous)).toFixed(2)} | ${rssMb(pid).toFixed(1)} | ${rssMb(vswitchdPid(lab)).toFixed(1)} | ${batch.vethMs.toFixed(0)} | ${batch.ovsdbMs.toFixed(0)} | ${(appliedAt - batch.lastAddedAt).toFixed(0)} | ${(syncedAt - batch.lastAddedAt).toFixed(0)} |`,
      );
      previous = step;
      previousFlows = flows;
    }

    say(`policy changes at ${previous} ports (load ${load()})...`);
    const changes = await measurePolicyChanges(lab, previous, CHANGES, 20_000);

    await latencyRow(`${previous} ports`);
    say(`ADD/DEL cycles at ${previous} ports (load ${load()})...`);
    cycles.push(cycleRows(`${previous} ports`, await runCycles(lab, { cycles: CYCLES, dir, netns, tag: "full" })));
    const finalRss = rssMb(pid);
    // Let the round the last DEL started finish: a controller stopped mid-round leaves its ovs-ofctl behind for a while.
    await waitInSync(lab, previous);

    say(`\nLoad average at end ${load()}; run took ${((performance.now() - started) / 1000).toFixed(0)} s (before clean-up)\n`);
    say("| mode | world | ADD p50 / p99 ms | DEL p50 / p99 ms |\n| --- | --- | --- | --- |");
    for (const line of cycles.flatMap((c) => c.rows)) say(line);
    say();
    for (const line of cycles.flatMap((c) => c.detail)) say(line);
    say("| ports | our flows (dump-aggregate) | flows per added port | controller RSS MB | vswitchd RSS MB | veths (ip -batch) ms | OVSDB rows ms | last port added -> vswitchd applied ms | last port added -> flowsInSync ms |");
    say("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (const line of scaleTable) say(line);
    say(`\ncontroller RSS after everything (another ${CYCLES} cycles per mode at ${previous} ports): ${finalRss.toFixed(1)} MB (target <= 150 MB at 1,000 ports)\n`);
    say("| vswitchd round trips (medians of 10) | ovs-ofctl dump-aggregate ms | ovs-ofctl --bundle add-flow (1 flow) ms | ovs-vsctl set (waits for vswitchd) ms |\n| --- | --- | --- | --- |");
    for (const line of latencyTable) say(line);
    say();
    say(`| one-rule change (${CHANGES} changes each) | POST answered p50 / p95 ms | POST sent -> new flow ADDED in OVS p50 / p95 ms (target p50 <= 100 at 1,000 ports) |\n| --- | --- | --- |`);
    for (const [world, c] of [["definitions only, 0 ports", emptyChanges], [`${previous} ports`, changes]] as const) {
      say(`| ${world} | ${pct(c.post, 50).toFixed(1)} / ${pct(c.post, 95).toFixed(1)} | ${pct(c.endToEnd, 50).toFixed(1)} / ${pct(c.endToEnd, 95).toFixed(1)} |`);
    }
  } finally {
    ovsdb?.close();
    for (const mode of MODES) await deleteNetns(netns[mode]);
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`controller benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
