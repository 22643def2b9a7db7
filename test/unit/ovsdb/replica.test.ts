import { describe, expect, it } from "vitest";
import { Replica, applyColumnDiff } from "../../../ovs/ovsdb/replica.js";
import { InterfaceTable, OpenVSwitchTable, PortTable } from "../../../ovs/ovsdb/rows.js";
import { uuid, type Atom } from "../../../ovs/ovsdb/values.js";

const kinds = { Port: PortTable.columns, Interface: InterfaceTable.columns, Open_vSwitch: OpenVSwitchTable.columns };

describe("Replica", () => {
  it("applies update2 initial, insert, modify diffs and delete into typed rows", () => {
    const replica = new Replica(kinds);
    replica.applyUpdate2({
      Port: { p1: { initial: { name: "veth1", tag: 10, trunks: ["set", [1, 2]], external_ids: ["map", [["a", "1"], ["b", "2"]]] } } },
    });
    expect(replica.get(PortTable, "p1")).toMatchObject({ name: "veth1", tag: 10, trunks: [1, 2], externalIds: { a: "1", b: "2" } });

    // tag: 10 -> 20 is the diff {10, 20}; trunks toggle 2 off and 3 on; map: b removed (same value), a changed, c added.
    const changes = replica.applyUpdate2({
      Port: {
        p1: {
          modify: {
            tag: ["set", [10, 20]],
            trunks: ["set", [2, 3]],
            external_ids: ["map", [["a", "9"], ["b", "2"], ["c", "3"]]],
          },
        },
      },
    });
    expect(changes.map((c) => c.kind)).toEqual(["modify"]);
    expect(replica.get(PortTable, "p1")).toMatchObject({ tag: 20, trunks: [1, 3], externalIds: { a: "9", c: "3" } });

    replica.applyUpdate2({ Port: { p2: { insert: { name: "veth2" } } } });
    expect(replica.get(PortTable, "p2")).toMatchObject({ name: "veth2", tag: undefined, trunks: [], externalIds: {} });

    const deleted = replica.applyUpdate2({ Port: { p1: { delete: null } } });
    expect(deleted[0]).toMatchObject({ table: "Port", uuid: "p1", kind: "delete", new: undefined });
    expect(replica.rows(PortTable).map((p) => p.name)).toEqual(["veth2"]);
  });

  it("never mutates a row: a change stores a new object, an untouched row keeps its own (callers cache by row)", () => {
    const replica = new Replica(kinds);
    replica.applyUpdate2({ Port: { p1: { initial: { name: "veth1", tag: 10 } }, p2: { initial: { name: "veth2", tag: 20 } } } });
    const [p1, p2] = [replica.table("Port").get("p1"), replica.table("Port").get("p2")];
    replica.applyUpdate2({ Port: { p1: { modify: { tag: ["set", [10, 11]] } } } });
    expect(replica.table("Port").get("p1")).not.toBe(p1);
    expect(p1).toMatchObject({ tag: 10 }); // the old object is unchanged
    expect(replica.table("Port").get("p2")).toBe(p2);
    replica.applyUpdate({ Port: { p2: { new: { name: "veth2", tag: 21 } } } });
    expect(replica.table("Port").get("p2")).not.toBe(p2);
  });

  it("applies scalar diffs as the new value (cur_cfg) and optional columns (ofport, error)", () => {
    const replica = new Replica(kinds);
    replica.applyUpdate2({ Open_vSwitch: { o: { initial: { cur_cfg: 4 } } }, Interface: { i: { initial: { name: "veth1" } } } });
    replica.applyUpdate2({ Open_vSwitch: { o: { modify: { cur_cfg: 5 } } }, Interface: { i: { modify: { ofport: 7 } } } });
    expect(replica.rows(OpenVSwitchTable)[0]?.curCfg).toBe(5);
    expect(replica.get(InterfaceTable, "i")).toMatchObject({ ofport: 7, error: undefined });
    replica.applyUpdate2({ Interface: { i: { modify: { ofport: ["set", [7, -1]], error: "no such device" } } } });
    expect(replica.get(InterfaceTable, "i")).toMatchObject({ ofport: -1, error: "no such device" });
  });

  it("refuses a diff for a column whose type it does not know", () => {
    const replica = new Replica({ Port: {} });
    replica.applyUpdate2({ Port: { p: { insert: { name: "x" } } } });
    expect(() => replica.applyUpdate2({ Port: { p: { modify: { tag: 3 } } } })).toThrow(/no type known for Port.tag/);
  });

  it("applies monitor (v1) updates: old/new rows", () => {
    const replica = new Replica(kinds);
    replica.applyUpdate({ Port: { p: { new: { name: "a", tag: 1 } } } }, true);
    const changes = replica.applyUpdate({ Port: { p: { old: { tag: 1 }, new: { name: "a", tag: 2 } } } });
    expect(changes[0]?.kind).toBe("modify");
    expect(replica.get(PortTable, "p")?.tag).toBe(2);
    replica.applyUpdate({ Port: { p: { old: { name: "a", tag: 2 } } } });
    expect(replica.rows(PortTable)).toEqual([]);
  });

  it("compares uuid atoms by value when toggling set elements", () => {
    const before: Atom[] = [uuid("a"), uuid("b")];
    expect(applyColumnDiff("set", before, [uuid("b"), uuid("c")])).toEqual([uuid("a"), uuid("c")]);
  });
});
