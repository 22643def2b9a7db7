/**
 * Crash consistency with real processes: workers allocate and release dual-stack addresses on one
 * file store while the test kills them with SIGKILL at random instants (the log is sealed every
 * 16 entries, so seals get interrupted too). Afterwards the store has no torn or inconsistent
 * record, no address is held twice, and gc repairs the remnants of interrupted operations.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DefinitionService } from "../../../controller/model/definitions.js";
import { Ipam } from "../../../controller/ipam/ipam.js";
import { verifyIpam } from "../../../controller/ipam/verify.js";
import { checkFileStore } from "../../../controller/store/file/check.js";
import { FileStore } from "../../../controller/store/file/file-store.js";
import { killWorker, useWorkerPool, type Worker } from "./processes.js";
import type { WorkerArgs } from "./worker.js";

const pool = useWorkerPool("ovs-sdn-ipam-kill-");

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CRASH_REMNANTS = new Set(["orphan-lease", "dangling-lease-ref"]);

describe("IPAM under kill -9", () => {
  it("random SIGKILLs during allocate and release leave no torn record and no address held twice", async () => {
    const dataDir = join(pool.dir, "data");
    const setup = await FileStore.open(dataDir);
    await new DefinitionService(setup).apply([
      { kind: "Network", metadata: { name: "n1" }, spec: { tenant: "t1" } },
      { kind: "Subnet", metadata: { name: "v4" }, spec: { network: "n1", cidr: "10.30.0.0/24" } },
      { kind: "Subnet", metadata: { name: "v6" }, spec: { network: "n1", cidr: "fd10:30::/64" } },
    ]);
    await setup.close();
    const argsOf = (i: number): WorkerArgs => ({ dataDir, network: "n1", mode: "churn", prefix: `w${i}`, count: 15, sealEvery: 16 });
    const slots = Array.from({ length: 6 }, (_, i) => pool.start(argsOf(i)));
    await sleep(400);
    let kills = 0;
    for (let round = 0; round < 30; round++) {
      await sleep(20 + Math.random() * 200);
      const i = Math.floor(Math.random() * slots.length);
      await killWorker(slots[i] as Worker);
      kills++;
      const replacement = pool.start(argsOf(i));
      slots[i] = replacement;
    }
    for (const w of slots) await killWorker(w);
    const progressed = pool.workers.reduce((n, w) => n + w.lines.length, 0);
    expect(kills).toBe(30);
    expect(progressed).toBeGreaterThan(10);
    for (const w of pool.workers) expect((await w.exited).signal, (await w.exited).stderr).toBe("SIGKILL");

    const offline = checkFileStore(dataDir);
    expect(offline.problems).toEqual([]);
    expect(offline.head).toBeGreaterThan(200);

    const store = await FileStore.open(dataDir);
    const future = new Date(Date.now() + 3600_000);
    const found = await verifyIpam(store, { now: future });
    expect(found.issues.filter((i) => !CRASH_REMNANTS.has(i.type))).toEqual([]);
    const leases = await store.list<{ ip: string; subnet: string }>("leases/");
    const perSubnet = leases.records.map((r) => `${r.value.subnet} ${r.value.ip}`);
    expect(new Set(perSubnet).size).toBe(perSubnet.length);

    const repaired = await verifyIpam(store, { now: future, repair: true });
    expect(repaired.issues.every((i) => i.repaired)).toBe(true);
    expect((await verifyIpam(store, { now: future })).issues).toEqual([]);
    const alloc = await new Ipam(store).allocate({ network: "n1", containerId: "after", ifname: "eth0" });
    expect(alloc.addresses.map((a) => a.family)).toEqual([4, 6]);
    expect(checkFileStore(dataDir).problems).toEqual([]);
    await store.close();
  });
});
