import { describe, expect, it } from "vitest";
import { affectedCount, condition, insertedUuid, mutation, op, selectedRows, where } from "../../../ovs/ovsdb/ops.js";
import { namedUuid, uuid } from "../../../ovs/ovsdb/values.js";
import { accessPortOps } from "../../../ovs/ovsdb/vswitch-ports.js";

describe("operation builders", () => {
  it("build the exact RFC 7047 wire objects", () => {
    expect(op.insert("Port", { name: "p", interfaces: [namedUuid("i")] }, "port")).toEqual({
      op: "insert",
      table: "Port",
      row: { name: "p", interfaces: ["set", [["named-uuid", "i"]]] },
      "uuid-name": "port",
    });
    expect(op.insert("Interface", { name: "i" })).toEqual({ op: "insert", table: "Interface", row: { name: "i" } });
    expect(op.select("Port", [where.eq("name", "p")], ["_uuid"])).toEqual({
      op: "select",
      table: "Port",
      where: [["name", "==", "p"]],
      columns: ["_uuid"],
    });
    expect(op.select("Port", [])).toEqual({ op: "select", table: "Port", where: [] });
    expect(op.update("Bridge", [where.eq("_uuid", uuid("u"))], { fail_mode: ["secure"] })).toEqual({
      op: "update",
      table: "Bridge",
      where: [["_uuid", "==", ["uuid", "u"]]],
      row: { fail_mode: ["set", ["secure"]] },
    });
    expect(op.mutate("Open_vSwitch", [], [mutation("next_cfg", "+=", 1)])).toEqual({
      op: "mutate",
      table: "Open_vSwitch",
      where: [],
      mutations: [["next_cfg", "+=", 1]],
    });
    expect(op.delete("Port", [where.ne("tag", 5)])).toEqual({ op: "delete", table: "Port", where: [["tag", "!=", 5]] });
    expect(op.wait("Port", { where: [], columns: ["name"], until: "==", rows: [{ name: "p" }] })).toEqual({
      op: "wait",
      table: "Port",
      where: [],
      columns: ["name"],
      until: "==",
      rows: [{ name: "p" }],
      timeout: 0,
    });
    expect(op.commit(true)).toEqual({ op: "commit", durable: true });
    expect(op.abort()).toEqual({ op: "abort" });
    expect(op.comment("ovs-sdn: add p")).toEqual({ op: "comment", comment: "ovs-sdn: add p" });
    expect(op.assert("lock1")).toEqual({ op: "assert", lock: "lock1" });
    expect(where.includes("external_ids", { a: "b" })).toEqual(["external_ids", "includes", ["map", [["a", "b"]]]]);
    expect(where.excludes("trunks", [1])).toEqual(["trunks", "excludes", ["set", [1]]]);
    expect(condition("ofport", ">", 0)).toEqual(["ofport", ">", 0]);
    expect(mutation("external_ids", "delete", ["k"])).toEqual(["external_ids", "delete", ["set", ["k"]]]);
  });

  it("refuses a named-uuid that is not an identifier", () => {
    expect(() => op.insert("Port", {}, "my-port")).toThrow(/invalid named-uuid/);
  });

  it("read results", () => {
    expect(insertedUuid({ uuid: ["uuid", "abc"] })).toBe("abc");
    expect(() => insertedUuid({})).toThrow(/no uuid/);
    expect(selectedRows({ rows: [{ name: "p", tag: 3 }] })).toEqual([{ name: "p", tag: 3 }]);
    expect(() => selectedRows({ count: 1 })).toThrow(/no rows/);
    expect(affectedCount({ count: 2 })).toBe(2);
  });

  it("addAccessPort is one transaction: bridge check, free name, Interface + Port, Bridge.ports, next_cfg", () => {
    const ops = accessPortOps({
      bridge: "br-int",
      portName: "veth1",
      tag: 101,
      portExternalIds: { "ovs-sdn/owner": "ovs-sdn" },
      interfaceExternalIds: { "iface-id": "c1_eth0" },
      mtuRequest: 1450,
    });
    expect(JSON.parse(JSON.stringify(ops))).toEqual([
      { op: "wait", table: "Bridge", where: [["name", "==", "br-int"]], columns: ["name"], until: "==", rows: [{ name: "br-int" }], timeout: 0 },
      { op: "wait", table: "Port", where: [["name", "==", "veth1"]], columns: ["name"], until: "==", rows: [], timeout: 0 },
      {
        op: "insert",
        table: "Interface",
        row: { name: "veth1", external_ids: ["map", [["iface-id", "c1_eth0"]]], mtu_request: ["set", [1450]] },
        "uuid-name": "iface",
      },
      {
        op: "insert",
        table: "Port",
        row: {
          name: "veth1",
          interfaces: ["set", [["named-uuid", "iface"]]],
          tag: ["set", [101]],
          external_ids: ["map", [["ovs-sdn/owner", "ovs-sdn"]]],
        },
        "uuid-name": "port",
      },
      { op: "mutate", table: "Bridge", where: [["name", "==", "br-int"]], mutations: [["ports", "insert", ["set", [["named-uuid", "port"]]]]] },
      { op: "mutate", table: "Open_vSwitch", where: [], mutations: [["next_cfg", "+=", 1]] },
      { op: "select", table: "Open_vSwitch", where: [], columns: ["next_cfg"] },
    ]);
  });
});
