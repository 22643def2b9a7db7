/**
 * Definitions from concurrent processes: VLAN and VNI allocation is serialised through the store,
 * so 8 processes creating 5 networks each at the same moment get 40 distinct VLANs and VNIs.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DefinitionService } from "../../../controller/model/definitions.js";
import { FileStore } from "../../../controller/store/file/file-store.js";
import { useWorkerPool } from "./processes.js";

const pool = useWorkerPool("ovs-sdn-defs-procs-");

describe("definitions from concurrent processes", () => {
  it("40 networks created by 8 processes at once get distinct VLANs and VNIs", async () => {
    const dataDir = join(pool.dir, "data");
    const startAt = Date.now() + 1500;
    for (let p = 0; p < 8; p++) {
      const names = Array.from({ length: 5 }, (_, i) => `p${p}-n${i}`);
      pool.start({ dataDir, network: "", mode: "define", containerIds: names, startAt });
    }
    const exits = await Promise.all(pool.workers.map((w) => w.exited));
    for (const e of exits) expect(e, e.stderr).toMatchObject({ code: 0 });
    const store = await FileStore.open(dataDir);
    const networks = await new DefinitionService(store).list("Network");
    expect(networks).toHaveLength(40);
    expect(new Set(networks.map((n) => n.spec.vlan)).size).toBe(40);
    expect(new Set(networks.map((n) => n.spec.vni)).size).toBe(40);
    expect(Math.max(...networks.map((n) => n.spec.vlan ?? 0))).toBe(40);
    const reported = pool.workers.flatMap((w) => w.lines.map((l) => JSON.parse(l) as { name: string; vlan: number }));
    for (const r of reported) expect(networks.find((n) => n.metadata.name === r.name)?.spec.vlan).toBe(r.vlan);
    await store.close();
  });
});
