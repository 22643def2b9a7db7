import { describe, expect, it } from "vitest";
import { Reconciler } from "../../../controller/reconcile/reconciler.js";
import type { FlowApplier } from "../../../ovs/openflow/applier.js";
import { cookieOf } from "../../../ovs/openflow/cookie.js";
import type { DesiredFlow } from "../../../ovs/openflow/desired.js";
import type { FlowDiff } from "../../../ovs/openflow/diff.js";
import type { InstalledFlow } from "../../../ovs/openflow/dump.js";

function flow(text: string, table = 0, priority = 100): DesiredFlow {
  return { cookie: cookieOf(1, text), table, priority, purpose: 1, text: `table=${table},priority=${priority},${text}` };
}

/** A flow table in memory: the reconciler's logic (diffing, coalescing, resync) without OVS. */
class MemoryApplier implements FlowApplier {
  readonly table = new Map<bigint, InstalledFlow>();
  dumps = 0;
  applies: FlowDiff[] = [];
  failNext = false;

  async dumpFlows(): Promise<InstalledFlow[]> {
    this.dumps++;
    return [...this.table.values()];
  }

  async apply(diff: FlowDiff): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("bundle rejected");
    }
    this.applies.push(diff);
    for (const ref of diff.remove) this.table.delete(ref.cookie);
    for (const f of diff.add) this.table.set(f.cookie, { cookie: f.cookie, table: f.table, priority: f.priority, match: "", actions: "", packets: 0, bytes: 0 });
  }
}

describe("Reconciler", () => {
  it("reads installed flows once, then applies only differences", async () => {
    const applier = new MemoryApplier();
    let desired = [flow("a"), flow("b")];
    const reconciler = new Reconciler({ applier, desired: () => ({ flows: desired, problems: [] }) });
    const first = await reconciler.converge("start");
    expect(first).toMatchObject({ added: 2, removed: 0, resynced: true, generation: 1 });
    desired = [flow("a"), flow("c")];
    const second = await reconciler.converge("policy changed");
    expect(second).toMatchObject({ added: 1, removed: 1, unchanged: 1, resynced: false });
    expect(applier.dumps).toBe(1);
    expect([...applier.table.keys()].sort()).toEqual([flow("a").cookie, flow("c").cookie].sort());
  });

  it("adopts what is already installed without touching it (hitless restart)", async () => {
    const applier = new MemoryApplier();
    const desired = [flow("a"), flow("b")];
    await new Reconciler({ applier, desired: () => ({ flows: desired, problems: [] }) }).converge("first controller");
    const result = await new Reconciler({ applier, desired: () => ({ flows: desired, problems: [] }) }).converge("second controller");
    expect(result).toMatchObject({ added: 0, removed: 0, unchanged: 2, resynced: true });
    expect(applier.applies).toHaveLength(1);
  });

  it("coalesces requests made during a round into one more round", async () => {
    const applier = new MemoryApplier();
    let compiles = 0;
    const reconciler = new Reconciler({ applier, desired: () => (compiles++, { flows: [flow("a")], problems: [] }) });
    const rounds: string[][] = [];
    reconciler.on("converged", (r) => rounds.push(r.reasons));
    reconciler.request("one");
    reconciler.request("two");
    reconciler.request("three");
    await reconciler.converge("four");
    expect(rounds).toEqual([["one"], ["two", "three", "four"]]);
    expect(compiles).toBe(2);
  });

  it("after a failed apply, re-reads OVS and converges on retry", async () => {
    const applier = new MemoryApplier();
    const reconciler = new Reconciler({ applier, desired: () => ({ flows: [flow("a")], problems: [] }), retryMs: 10 });
    applier.failNext = true;
    await expect(reconciler.converge("start")).rejects.toThrow("bundle rejected");
    const retried = await new Promise<{ resynced: boolean; added: number }>((resolve) => reconciler.once("converged", resolve));
    expect(retried).toMatchObject({ resynced: true, added: 1 });
    expect(reconciler.inSync).toBe(true);
    reconciler.stop();
  });

  it("a forced resync repairs flows removed behind its back", async () => {
    const applier = new MemoryApplier();
    const reconciler = new Reconciler({ applier, desired: () => ({ flows: [flow("a"), flow("b")], problems: [] }) });
    await reconciler.converge("start");
    applier.table.clear(); // what a vswitchd restart does
    expect(await reconciler.converge("vswitchd restarted", true)).toMatchObject({ added: 2, resynced: true });
    expect(applier.table.size).toBe(2);
  });
});
