import { describe, expect, it } from "vitest";
import { setTableNames, tableNameArgs } from "../../../ovs/openflow/table-names.js";

describe("table names", () => {
  const tables = [
    { id: 0, name: "classifier" },
    { id: 10, name: "spoof_guard" },
  ];

  it("creates one Flow_Table row per table and maps the bridge to them in one transaction", () => {
    expect(tableNameArgs("br-int", tables)).toEqual([
      "--", "--id=@t0", "create", "Flow_Table", "name=classifier",
      "--", "--id=@t10", "create", "Flow_Table", "name=spoof_guard",
      "--", "set", "Bridge", "br-int", "flow_tables:0=@t0", "flow_tables:10=@t10",
    ]);
  });

  it("hands the arguments to the given ovs-vsctl runner", async () => {
    const calls: string[][] = [];
    await setTableNames(async (...args) => (calls.push(args), ""), "br-int", tables);
    expect(calls).toEqual([tableNameArgs("br-int", tables)]);
  });
});
