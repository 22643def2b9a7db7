/**
 * Real processes on one file store: 10 processes allocate 10 addresses each, at the same moment,
 * from one /24. No root needed. A watcher in this process sees every lease appear, in order.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DefinitionService } from "../../../controller/model/definitions.js";
import { verifyIpam } from "../../../controller/ipam/verify.js";
import { checkFileStore } from "../../../controller/store/file/check.js";
import { FileStore } from "../../../controller/store/file/file-store.js";
import type { WatchEvent } from "../../../controller/store/types.js";
import { useWorkerPool } from "./processes.js";

const pool = useWorkerPool("ovs-sdn-ipam-procs-");

describe("IPAM with concurrent processes", () => {
  it("100 allocations from 10 processes at once into one /24: 100 distinct addresses, 100 leases", async () => {
    const dataDir = join(pool.dir, "data");
    const store = await FileStore.open(dataDir, { watchPollMs: 50 });
    await new DefinitionService(store).apply([
      { kind: "Network", metadata: { name: "n1" }, spec: { tenant: "t1" } },
      { kind: "Subnet", metadata: { name: "s1" }, spec: { network: "n1", cidr: "10.20.0.0/24" } },
    ]);
    const from = (await store.revision()) + 1;
    const seen: WatchEvent[] = [];
    const watching = (async () => {
      for await (const event of store.watch("leases/", { fromRevision: from })) {
        seen.push(event);
        if (seen.length === 100) break;
      }
    })();
    const startAt = Date.now() + 1500;
    for (let p = 0; p < 10; p++) {
      const containerIds = Array.from({ length: 10 }, (_, i) => `p${p}-c${i}`);
      pool.start({ dataDir, network: "n1", mode: "allocate", containerIds, startAt });
    }
    const exits = await Promise.all(pool.workers.map((w) => w.exited));
    for (const e of exits) expect(e, e.stderr).toMatchObject({ code: 0 });
    const results = pool.workers.flatMap((w) => w.lines.map((l) => JSON.parse(l) as { containerId: string; ips: string[] }));
    expect(results).toHaveLength(100);
    const addresses = results.flatMap((r) => r.ips);
    expect(new Set(addresses).size).toBe(100);
    for (const a of addresses) expect(a).toMatch(/^10\.20\.0\.(\d+)$/);

    const leases = await store.list<{ ip: string; containerId: string }>("leases/n1/s1/");
    expect(leases.records).toHaveLength(100);
    expect(new Set(leases.records.map((r) => r.value.containerId)).size).toBe(100);
    expect((await store.list("attachments/")).records).toHaveLength(100);
    expect((await verifyIpam(store)).issues).toEqual([]);
    expect(checkFileStore(dataDir).problems).toEqual([]);

    await watching;
    expect(seen.map((e) => e.type)).toEqual(Array(100).fill("put"));
    expect(new Set(seen.map((e) => e.key))).toEqual(new Set(leases.records.map((r) => r.key)));
    for (let i = 1; i < seen.length; i++) expect(seen[i]?.revision).toBeGreaterThan(seen[i - 1]?.revision as number);
    await store.close();
  });
});
