import { describe, expect, it } from "vitest";
import { cookFlows, type DesiredFlow } from "../../../ovs/openflow/desired.js";
import { diffFlows, isEmptyDiff } from "../../../ovs/openflow/diff.js";
import type { Flow } from "../../../ovs/openflow/flow.js";

const flow = (inPort: number, net = 5): Flow => ({ table: 0, priority: 100, purpose: 2, match: { inPort }, actions: [{ kind: "setField", field: "reg0", value: net }, { kind: "goto", table: 10 }] });
const key = (f: DesiredFlow) => ({ cookie: f.cookie, table: f.table, priority: f.priority });

describe("diffFlows", () => {
  const [a, b, c] = cookFlows([flow(1), flow(2), flow(3)]) as [DesiredFlow, DesiredFlow, DesiredFlow];

  it("is empty when the installed flows are the desired ones", () => {
    const diff = diffFlows([a, b], [key(b), key(a)]);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.unchanged).toBe(2);
  });

  it("adds what is missing and removes by cookie what is no longer desired", () => {
    const diff = diffFlows([a, c], [key(a), key(b)]);
    expect(diff.add).toEqual([c]);
    expect(diff.remove).toEqual([{ cookie: b.cookie, table: 0 }]);
    expect(diff.unchanged).toBe(1);
  });

  it("replaces a flow whose actions changed: the new content has a new cookie", () => {
    const [changed] = cookFlows([flow(1, 6)]) as [DesiredFlow];
    const diff = diffFlows([changed, b], [key(a), key(b)]);
    expect(diff.add).toEqual([changed]);
    expect(diff.remove).toEqual([{ cookie: a.cookie, table: 0 }]);
  });

  it("never touches flows without our cookie marker", () => {
    const foreign = [{ cookie: 0n, table: 0, priority: 0 }, { cookie: 0x1234n, table: 5, priority: 10 }];
    const diff = diffFlows([a], [key(a), ...foreign]);
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it("clears and re-adds a cookie installed twice or in the wrong place", () => {
    const twice = diffFlows([a], [key(a), key(a)]);
    expect(twice.remove).toEqual([{ cookie: a.cookie, table: 0 }]);
    expect(twice.add).toEqual([a]);
    const elsewhere = diffFlows([a], [{ ...key(a), priority: 7 }]);
    expect(elsewhere.remove).toHaveLength(1);
    expect(elsewhere.add).toEqual([a]);
  });

  it("orders additions by table then descending priority, deterministically", () => {
    const flows = cookFlows([
      { table: 20, priority: 1, purpose: 1, match: {}, actions: [] },
      { table: 10, priority: 5, purpose: 1, match: { inPort: 1 }, actions: [] },
      { table: 10, priority: 50, purpose: 1, match: {}, actions: [] },
    ]);
    expect(diffFlows(flows, []).add.map((f) => `${f.table}/${f.priority}`)).toEqual(["10/50", "10/5", "20/1"]);
  });
});
