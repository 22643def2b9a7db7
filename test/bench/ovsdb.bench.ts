/**
 * OVSDB benchmark: attach + detach a port (real veth host ends inside the sandbox's host netns) with
 * our client versus `ovs-vsctl add-port` / `del-port` processes, interleaved in one run.
 *   ours, no wait      addAccessPort + deletePort over one open connection (vswitchd not awaited)
 *   ours, wait         addAccessPortAndWait + deletePortAndWait over one open connection
 *   ours, wait, conn   the same with a fresh connection per call (what one CNI invocation does)
 *   ovs-vsctl          add-port / del-port processes spawned from Node (they wait for vswitchd)
 * Run as root: `npx tsx test/bench/ovsdb.bench.ts` (OVSDB_BENCH_ITERATIONS, default 60).
 */
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { OvsSandbox } from "../../ovs/sandbox.js";
import {
  addAccessPort,
  addAccessPortAndWait,
  deletePort,
  deletePortAndWait,
  ensureBridge,
  nextCfgOps,
  OvsdbClient,
  readNextCfg,
  VSWITCH_DB,
  waitApplied,
} from "../../ovs/ovsdb/index.js";

const ITERATIONS = Number(process.env.OVSDB_BENCH_ITERATIONS ?? 60);
const WARMUP = 5;
const BRIDGE = "br-bench";
const TIMEOUT = 10_000;

type Method = "ours, no wait" | "ours, wait" | "ours, wait, conn" | "ovs-vsctl";
const METHODS: Method[] = ["ours, no wait", "ours, wait", "ours, wait, conn", "ovs-vsctl"];
interface Sample { add: number; del: number }

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error("the OVSDB benchmark needs root (netns, veths, OVS)");
  const sandbox = await OvsSandbox.start({ prefix: "bodb" });
  try {
    const client = await OvsdbClient.connect(sandbox.dbRemote);
    const br = await ensureBridge(client, { name: BRIDGE, datapathType: "netdev" });
    await waitApplied(client, { nextCfg: br.nextCfg as number, timeoutMs: TIMEOUT });
    const veths = new Map<Method, string>();
    for (const [i, method] of METHODS.entries()) {
      const name = `bv${i}`;
      await sandbox.execInHost("ip", ["link", "add", name, "type", "veth", "peer", "name", `${name}p`]);
      await sandbox.execInHost("ip", ["link", "set", name, "up"]);
      veths.set(method, name);
    }
    const ids = { "ovs-sdn/owner": "ovs-sdn", "ovs-sdn/container-id": "bench" };
    const spec = (portName: string) => ({ bridge: BRIDGE, portName, tag: 100, portExternalIds: ids, interfaceExternalIds: ids });
    const vsctlIds = (name: string) => [
      "--", "set", "Port", name, ...Object.entries(ids).map(([k, v]) => `external_ids:${k}=${v}`),
      "--", "set", "Interface", name, ...Object.entries(ids).map(([k, v]) => `external_ids:${k}=${v}`),
    ];

    /** Lets vswitchd finish whatever the previous (unwaited) run left it, outside the timings. */
    async function settle(): Promise<void> {
      const ops = nextCfgOps();
      const results = await client.transact(VSWITCH_DB, ops);
      await waitApplied(client, { nextCfg: readNextCfg(results, ops.length - 1), timeoutMs: TIMEOUT });
    }

    const run: Record<Method, (name: string) => Promise<Sample>> = {
      "ours, no wait": async (name) => {
        const t0 = performance.now();
        await addAccessPort(client, spec(name));
        const t1 = performance.now();
        await deletePort(client, { bridge: BRIDGE, portName: name, requireExternalIds: ids });
        const t2 = performance.now();
        return { add: t1 - t0, del: t2 - t1 };
      },
      "ours, wait": async (name) => {
        const t0 = performance.now();
        await addAccessPortAndWait(client, { ...spec(name), timeoutMs: TIMEOUT });
        const t1 = performance.now();
        await deletePortAndWait(client, { bridge: BRIDGE, portName: name, requireExternalIds: ids, timeoutMs: TIMEOUT });
        const t2 = performance.now();
        return { add: t1 - t0, del: t2 - t1 };
      },
      "ours, wait, conn": async (name) => {
        const t0 = performance.now();
        const a = await OvsdbClient.connect(sandbox.dbRemote);
        await addAccessPortAndWait(a, { ...spec(name), timeoutMs: TIMEOUT });
        a.close();
        const t1 = performance.now();
        const d = await OvsdbClient.connect(sandbox.dbRemote);
        await deletePortAndWait(d, { bridge: BRIDGE, portName: name, requireExternalIds: ids, timeoutMs: TIMEOUT });
        d.close();
        const t2 = performance.now();
        return { add: t1 - t0, del: t2 - t1 };
      },
      "ovs-vsctl": async (name) => {
        const t0 = performance.now();
        await sandbox.vsctl("add-port", BRIDGE, name, "tag=100", ...vsctlIds(name));
        const t1 = performance.now();
        await sandbox.vsctl("del-port", BRIDGE, name);
        const t2 = performance.now();
        return { add: t1 - t0, del: t2 - t1 };
      },
    };

    const samples = new Map<Method, Sample[]>(METHODS.map((m) => [m, []]));
    for (let i = -WARMUP; i < ITERATIONS; i++) {
      // Interleaved: each iteration runs every method, in an order that rotates.
      const order = METHODS.map((_, k) => METHODS[(k + Math.max(i, 0)) % METHODS.length] as Method);
      for (const method of order) {
        const sample = await run[method](veths.get(method) as string);
        await settle();
        if (i >= 0) samples.get(method)?.push(sample);
      }
    }
    client.close();
    report(samples, await sandbox.vsctl("--version"));
  } finally {
    await sandbox.stop();
  }
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function report(samples: Map<Method, Sample[]>, ovsVersion: string): void {
  const vsctl = samples.get("ovs-vsctl") as Sample[];
  const vsctlTotal = quantile(vsctl.map((s) => s.add + s.del), 0.5);
  const vsctlAdd = quantile(vsctl.map((s) => s.add), 0.5);
  const ms = (n: number) => n.toFixed(2);
  console.log("");
  console.log(`OVSDB add-port + delete-port, ${ITERATIONS} interleaved iterations each (after ${WARMUP} warm-up), real veth ports`);
  console.log(`node ${process.version}, ${ovsVersion.split("\n")[0]}, ${cpus().length} CPUs, NODE_EXTRA_CA_CERTS ${process.env.NODE_EXTRA_CA_CERTS ? "set" : "unset"}\n`);
  console.log("| method | add p50 ms | del p50 ms | add+del p50 ms | add+del p90 ms | ovs-vsctl / this (add+del) | ovs-vsctl / this (add) |");
  console.log("|---|---:|---:|---:|---:|---:|---:|");
  for (const [method, list] of samples) {
    const total = list.map((s) => s.add + s.del);
    const add = quantile(list.map((s) => s.add), 0.5);
    const p50 = quantile(total, 0.5);
    console.log(
      `| ${method} | ${ms(add)} | ${ms(quantile(list.map((s) => s.del), 0.5))} | ${ms(p50)} | ${ms(quantile(total, 0.9))} | ${(vsctlTotal / p50).toFixed(1)}x | ${(vsctlAdd / add).toFixed(1)}x |`,
    );
  }
  const ratio = (m: Method, of: (s: Sample) => number) => {
    const ours = quantile((samples.get(m) as Sample[]).map(of), 0.5);
    return quantile(vsctl.map(of), 0.5) / ours;
  };
  const verdict = (r: number, target: number) => `${r.toFixed(1)}x (target >= ${target}x: ${r >= target ? "MET" : "NOT MET"})`;
  for (const [label, of] of [["add-port", (x: Sample) => x.add], ["add-port + del-port", (x: Sample) => x.add + x.del]] as const) {
    console.log(`${label}: ovs-vsctl / ours with wait ${verdict(ratio("ours, wait", of), 2)}; ovs-vsctl / ours without wait ${verdict(ratio("ours, no wait", of), 20)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
