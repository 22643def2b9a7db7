/**
 * IPAM + file store benchmark (no root, no OVS). Self-contained in a temp dir. Measures:
 *   sequential      allocations/s and releases/s of one process (one open store)
 *   10 processes    allocations/s of 10 processes allocating at once into one subnet
 *   fresh process   wall time of a new `node` process that opens the store, allocates and releases
 *                   one address and exits (bundled JS), with and without NODE_EXTRA_CA_CERTS,
 *                   on a store holding few and 1000 leases; plus `node -e 0` as the floor
 * Run: `npx tsx test/bench/ipam.bench.ts`. IPAM_BENCH_N: sequential count (default 1000);
 * IPAM_BENCH_FRESH: fresh-process runs (default 40); IPAM_BENCH_DIR: where the stores live (default
 * the OS temp dir; /dev/shm puts them on tmpfs, where fsync costs nothing, to separate CPU from disk).
 * Figures and interpretation: docs/performance-ipam.md.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DefinitionService } from "../../controller/model/definitions.js";
import { Ipam } from "../../controller/ipam/ipam.js";
import { FileStore } from "../../controller/store/file/file-store.js";
import { bundleWorker } from "../integration/ipam/bundle-worker.js";
import { startWorker } from "../integration/ipam/processes.js";

const N = Number(process.env.IPAM_BENCH_N ?? 1000);
const FRESH_RUNS = Number(process.env.IPAM_BENCH_FRESH ?? 40);

function pct(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const f1 = (x: number) => x.toFixed(1);

async function newStore(dir: string, name: string, subnets: Array<{ name: string; cidr: string }>): Promise<{ dataDir: string; store: FileStore; ipam: Ipam }> {
  const dataDir = join(dir, name);
  const store = await FileStore.open(dataDir);
  await new DefinitionService(store).apply([
    { kind: "Network", metadata: { name: "n1" }, spec: { tenant: "t1" } },
    ...subnets.map((s) => ({ kind: "Subnet", metadata: { name: s.name }, spec: { network: "n1", cidr: s.cidr } })),
  ]);
  return { dataDir, store, ipam: new Ipam(store) };
}

async function sequential(dir: string, label: string, subnets: Array<{ name: string; cidr: string }>): Promise<string> {
  const { store, ipam } = await newStore(dir, `seq-${label.replace(/\W+/g, "")}`, subnets);
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await ipam.allocate({ network: "n1", containerId: `c${i}`, ifname: "eth0" });
  const alloc = N / ((performance.now() - t0) / 1000);
  t0 = performance.now();
  for (let i = 0; i < N; i++) await ipam.release(`c${i}`, "eth0");
  const rel = N / ((performance.now() - t0) / 1000);
  const cycle: number[] = [];
  for (let i = 0; i < 200; i++) await ipam.allocate({ network: "n1", containerId: `bg${i}`, ifname: "eth0" });
  for (let i = 0; i < 200; i++) {
    const s = performance.now();
    await ipam.allocate({ network: "n1", containerId: `x${i}`, ifname: "eth0" });
    await ipam.release(`x${i}`, "eth0");
    cycle.push(performance.now() - s);
  }
  await store.close();
  return `| sequential, ${label} | ${Math.round(alloc)} | ${Math.round(rel)} | ${f1(pct(cycle, 50))} / ${f1(pct(cycle, 99))} |`;
}

async function tenProcesses(dir: string, script: string): Promise<string> {
  const { dataDir, store } = await newStore(dir, "procs", [{ name: "s1", cidr: "10.40.0.0/16" }]);
  await store.close();
  const per = Math.max(10, Math.floor(N / 10));
  const startAt = Date.now() + 2000;
  const workers = Array.from({ length: 10 }, (_, p) =>
    startWorker(script, { dataDir, network: "n1", mode: "allocate", containerIds: Array.from({ length: per }, (_, i) => `p${p}-${i}`), startAt }),
  );
  const exits = await Promise.all(workers.map((w) => w.exited));
  if (exits.some((e) => e.code !== 0)) throw new Error(exits.map((e) => e.stderr).join("\n"));
  const ends = workers.flatMap((w) => w.lines.map((l) => (JSON.parse(l) as { at: number }).at));
  const seconds = (Math.max(...ends) - startAt) / 1000;
  return `| 10 processes × ${per}, one /16 | ${Math.round((per * 10) / seconds)} (aggregate) | | |`;
}

function fresh(script: string, dataDir: string, env: NodeJS.ProcessEnv, args: string[]): number[] {
  const times: number[] = [];
  for (let i = 0; i < FRESH_RUNS + 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args.length > 0 ? args : [script, JSON.stringify({ dataDir, network: "n1", mode: "cycle", prefix: `f${i}-${Math.random()}`, count: 1 })], { env });
    if (r.status !== 0) throw new Error(String(r.stderr));
    if (i >= 3) times.push(performance.now() - t0);
  }
  return times;
}

async function freshProcess(dir: string, script: string): Promise<string[]> {
  const small = await newStore(dir, "fresh-small", [{ name: "s1", cidr: "10.50.0.0/16" }]);
  await small.store.close();
  const big = await newStore(dir, "fresh-big", [{ name: "s1", cidr: "10.60.0.0/16" }]);
  for (let i = 0; i < 1000; i++) await big.ipam.allocate({ network: "n1", containerId: `held${i}`, ifname: "eth0" });
  await big.store.close();
  const withCa = { ...process.env };
  const withoutCa = { ...process.env };
  delete withoutCa.NODE_EXTRA_CA_CERTS;
  const rows: string[] = [];
  for (const [label, env] of [["with NODE_EXTRA_CA_CERTS", withCa], ["without NODE_EXTRA_CA_CERTS", withoutCa]] as const) {
    if (label.startsWith("with ") && !process.env.NODE_EXTRA_CA_CERTS) continue;
    const floor = fresh(script, "", env, ["-e", "0"]);
    const s = fresh(script, small.dataDir, env, []);
    const b = fresh(script, big.dataDir, env, []);
    rows.push(`| \`node -e 0\`, ${label} | ${f1(pct(floor, 50))} | ${f1(pct(floor, 99))} |`);
    rows.push(`| allocate+release, store with few leases, ${label} | ${f1(pct(s, 50))} | ${f1(pct(s, 99))} |`);
    rows.push(`| allocate+release, store with 1000 leases, ${label} | ${f1(pct(b, 50))} | ${f1(pct(b, 99))} |`);
  }
  return rows;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(process.env.IPAM_BENCH_DIR ?? tmpdir(), "ovs-sdn-ipam-bench-"));
  try {
    const script = await bundleWorker(dir);
    const load = loadavg().map((l) => l.toFixed(1)).join(" ");
    console.log(`node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load ${load}, N=${N}, fresh runs=${FRESH_RUNS}, dir ${dir}\n`);
    console.log("| run | allocations/s | releases/s | allocate+release ms p50 / p99 (200 leases held) |");
    console.log("|---|---|---|---|");
    console.log(await sequential(dir, "IPv4 /16", [{ name: "s1", cidr: "10.30.0.0/16" }]));
    console.log(await sequential(dir, "dual stack /16 + /64", [{ name: "v4", cidr: "10.31.0.0/16" }, { name: "v6", cidr: "fd10:31::/64" }]));
    console.log(await tenProcesses(dir, script));
    console.log("\n| fresh process (bundled JS, `node ipam-worker.mjs`) | p50 ms | p99 ms |");
    console.log("|---|---|---|");
    for (const row of await freshProcess(dir, script)) console.log(row);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
