/**
 * A separate process doing IPAM work on a shared file store, for the real-process concurrency and
 * kill -9 tests and the benchmark. Bundled with esbuild at test start (bundle-worker.ts).
 * argv[2] is a JSON WorkerArgs; results are JSON lines on stdout.
 */
import { Ipam } from "../../../controller/ipam/ipam.js";
import { DefinitionService } from "../../../controller/model/definitions.js";
import { FileStore } from "../../../controller/store/file/file-store.js";

export interface WorkerArgs {
  dataDir: string;
  network: string;
  /**
   * allocate: allocate each containerId; churn: allocate/release random ids until killed;
   * cycle: allocate+release `count` times; define: apply one network per containerId (as its name),
   * without VLAN or VNI, one apply each.
   */
  mode: "allocate" | "churn" | "cycle" | "define";
  containerIds?: string[];
  /** churn/cycle: ids are `${prefix}-${n}` with n < count. */
  prefix?: string;
  count?: number;
  /** Epoch ms to wait for, so that all workers start together. */
  startAt?: number;
  /** File store option: seal the log this often (to exercise sealing under kill -9). */
  sealEvery?: number;
}

const args = JSON.parse(process.argv[2] ?? "{}") as WorkerArgs;
const store = await FileStore.open(args.dataDir, args.sealEvery !== undefined ? { sealEvery: args.sealEvery } : {});
const ipam = new Ipam(store);
const startAt = args.startAt ?? Date.now();
await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
const out = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

if (args.mode === "allocate") {
  for (const containerId of args.containerIds ?? []) {
    const alloc = await ipam.allocate({ network: args.network, containerId, ifname: "eth0" });
    out({ containerId, ips: alloc.addresses.map((a) => a.ip), at: performance.timeOrigin + performance.now() });
  }
} else if (args.mode === "define") {
  const defs = new DefinitionService(store);
  for (const name of args.containerIds ?? []) {
    const [outcome] = await defs.apply([{ kind: "Network", metadata: { name }, spec: { tenant: "t1" } }]);
    out({ name, vlan: (outcome?.definition.spec as { vlan?: number }).vlan });
  }
} else if (args.mode === "cycle") {
  for (let n = 0; n < (args.count ?? 1); n++) {
    const containerId = `${args.prefix ?? "c"}-${n}`;
    const t0 = performance.now();
    await ipam.allocate({ network: args.network, containerId, ifname: "eth0" });
    await ipam.release(containerId, "eth0");
    out({ containerId, ms: performance.now() - t0 });
  }
} else {
  for (let ops = 0; ; ops++) {
    const containerId = `${args.prefix ?? "c"}-${Math.floor(Math.random() * (args.count ?? 10))}`;
    if (Math.random() < 0.5) await ipam.allocate({ network: args.network, containerId, ifname: "eth0" });
    else await ipam.release(containerId, "eth0");
    if (ops % 10 === 0) out({ ops });
  }
}
await store.close();
