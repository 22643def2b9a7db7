/**
 * `npm run bench -- plugin`: ovs-sdn ADD/DEL latency next to Debian's reference `bridge` plugin
 * (same host-local IPAM) and a bare `node -e 0`, on a private OVS sandbox (br-int, userspace
 * datapath), both as deploy/install-plugin.sh installs it (a sh launcher that clears
 * NODE_EXTRA_CA_CERTS) and as the bare bundle (dist/ovs-sdn.cjs). A driver script runs inside the sandbox's host netns and spawns each plugin directly,
 * as a runtime does (no `ip netns exec` in the measured path). Every Node figure is taken twice:
 * without NODE_EXTRA_CA_CERTS and with it (this machine's environment sets it; Node 20 then loads
 * the CA bundle at start-up).
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { run } from "../../ovs/exec.js";
import { ensureBridge, OvsdbClient } from "../../ovs/ovsdb/index.js";
import { OvsSandbox } from "../../ovs/sandbox.js";
import { createNetns, deleteNetns, netnsPath, uniqueName } from "../helpers/netns.js";
import { DRIVER } from "./plugin-driver.js";

const CYCLES = Number(process.env.BENCH_CYCLES ?? 100);
const BURST = 20;
const CA = process.env.NODE_EXTRA_CA_CERTS ?? "/etc/ssl/certs/ca-certificates.crt";
const bundle = resolve("dist/ovs-sdn.cjs");
/** What runtimes run with (systemd's default PATH, as containerd and CRI-O get it), not this shell's. */
const RUNTIME_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

interface Stats {
  p50: number;
  p99: number;
  n: number;
}
interface Measured {
  label: string;
  add?: Stats;
  del?: Stats;
  burstAdd?: number;
  burstDel?: number;
  start?: Stats;
  cycleCpu?: number;
}

async function main(): Promise<void> {
  if (!existsSync(bundle)) throw new Error("dist/ovs-sdn.cjs missing: npm run build");
  const sandbox = await OvsSandbox.start({ prefix: "bench" });
  const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-bench-"));
  const netns: string[] = [];
  try {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    for (const p of readdirSync("/usr/lib/cni")) symlinkSync(join("/usr/lib/cni", p), join(bin, p));
    // As users get it (deploy/install-plugin.sh: sh launcher clearing NODE_EXTRA_CA_CERTS), and the bare bundle.
    await run("bash", ["deploy/install-plugin.sh", bin, join(dir, "net.d")]);
    symlinkSync(bundle, join(bin, "ovs-sdn-bundle"));
    const client = await OvsdbClient.connect(sandbox.dbRemote);
    await ensureBridge(client, { name: "br-int", datapathType: "netdev" });
    client.close();
    await sandbox.vsctl("set", "Open_vSwitch", ".", "external_ids:bench=1");
    for (let i = 0; i < BURST; i++) {
      const name = uniqueName(`bn${i}`);
      await createNetns(name);
      netns.push(name);
    }
    const ipam = (sub: string) => ({ type: "host-local", subnet: `10.78.${sub}.0/24`, dataDir: join(dir, "ipam") });
    const ovsSdn = { cniVersion: "1.0.0", name: "bench-ovs", type: "ovs-sdn", bridge: "br-int", ovsdb: sandbox.dbRemote, vlan: 10, stateDir: join(dir, "state"), ipam: ipam("0") };
    const bridge = { cniVersion: "1.0.0", name: "bench-br", type: "bridge", bridge: "cnibench0", ipam: ipam("1") };
    const driverPath = join(dir, "driver.mjs");
    writeFileSync(driverPath, DRIVER);
    const job = {
      cniPath: bin,
      path: RUNTIME_PATH,
      netns: netns.map(netnsPath),
      cycles: CYCLES,
      ca: CA,
      plugins: [
        { label: "ovs-sdn installed", path: join(bin, "ovs-sdn"), config: ovsSdn, node: true },
        { label: "ovs-sdn bundle", path: join(bin, "ovs-sdn-bundle"), config: ovsSdn, node: true },
        { label: "bridge (Go, reference)", path: join(bin, "bridge"), config: bridge, node: false },
      ],
    };
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS; // the driver's own start-up is not measured
    const out = await run("ip", ["netns", "exec", sandbox.netns, "node", driverPath], { input: JSON.stringify(job), env, timeoutMs: 1_800_000 });
    const results = JSON.parse(out) as Measured[];
    printTable(results);
  } finally {
    for (const n of netns) await deleteNetns(n);
    await sandbox.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printTable(results: Measured[]): void {
  const f = (s?: Stats) => (s ? `${s.p50.toFixed(1)} / ${s.p99.toFixed(1)}` : "-");
  console.log(`\n${CYCLES} sequential ADD+DEL cycles; burst = ${BURST} concurrent ADDs, then ${BURST} concurrent DELs (wall time); for node -e 0, "burst ADD" is ${BURST} bare starts at once\n`);
  console.log("| what | start p50 / p99 ms | ADD p50 / p99 ms | DEL p50 / p99 ms | CPU ms per ADD+DEL | burst ADD ms | burst DEL ms |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of results) {
    console.log(`| ${r.label} | ${f(r.start)} | ${f(r.add)} | ${f(r.del)} | ${r.cycleCpu?.toFixed(0) ?? "-"} | ${r.burstAdd?.toFixed(0) ?? "-"} | ${r.burstDel?.toFixed(0) ?? "-"} |`);
  }
  const bare = results.find((r) => r.label.startsWith("node -e 0") && !r.label.includes("with"))?.start?.p50;
  const ours = results.find((r) => r.label === "ovs-sdn installed (no NODE_EXTRA_CA_CERTS)");
  const ref = results.find((r) => r.label.startsWith("bridge"));
  if (bare && ours?.add && ours.burstAdd && ref?.burstAdd) {
    console.log(`\nADD p50 / bare node start (both without NODE_EXTRA_CA_CERTS): ${(ours.add.p50 / bare).toFixed(2)}x (target <= 2.5x)`);
    console.log(`burst ADD / bridge burst ADD: ${(ours.burstAdd / ref.burstAdd).toFixed(2)}x (target <= 2.5x)`);
    const bareBurst = results.find((r) => r.label.startsWith("node -e 0") && !r.label.includes("with"))?.burstAdd;
    if (bareBurst) console.log(`${BURST} bare node starts at once / bridge burst ADD: ${(bareBurst / ref.burstAdd).toFixed(2)}x (the floor of any Node process-per-call plugin)`);
  }
  console.log(`\nJSON: ${JSON.stringify(results)}`);
}

await main();
