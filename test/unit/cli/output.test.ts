import { describe, expect, it } from "vitest";
import { age, parseFormat, renderData, renderSections, renderTable, type Column } from "../../../controller/cli/output.js";
import { UsageError } from "../../../controller/cli/errors.js";

interface Row {
  name: string;
  count: number;
  note?: string;
}

const columns: Column<Row>[] = [
  { header: "name", value: (r) => r.name },
  { header: "count", value: (r) => r.count, right: true },
  { header: "note", value: (r) => r.note },
];

describe("renderTable", () => {
  it("aligns columns, right-aligns numbers, shows - for empty cells and never pads the last column", () => {
    const text = renderTable<Row>([{ name: "blue", count: 7, note: "two  words" }, { name: "a-longer-name", count: 1234 }], columns);
    expect(text).toBe(["NAME           COUNT  NOTE", "blue               7  two words", "a-longer-name   1234  -", ""].join("\n"));
  });

  it("says <none> for no rows", () => {
    expect(renderTable([], columns)).toBe("<none>\n");
  });

  it("aligns titled sections as one table", () => {
    const text = renderSections<Row>(
      [
        { title: "first", rows: [{ name: "a", count: 1 }] },
        { title: "second", rows: [{ name: "bbbb", count: 22 }] },
      ],
      columns,
      "  ",
    );
    expect(text).toBe(["  NAME  COUNT  NOTE", "first", "  a         1  -", "second", "  bbbb     22  -", ""].join("\n"));
  });
});

describe("renderData and formats", () => {
  it("prints JSON and YAML, bigints as hex", () => {
    const data = [{ cookie: 0x5d0e02n, name: "x" }];
    expect(renderData("json", data)).toBe('[\n  {\n    "cookie": "0x5d0e02",\n    "name": "x"\n  }\n]\n');
    expect(renderData("yaml", data)).toBe(`- cookie: "0x5d0e02"\n  name: x\n`); // quoted: stays a string
  });

  it("accepts table, json and yaml only", () => {
    expect(parseFormat(undefined)).toBe("table");
    expect(parseFormat("JSON")).toBe("json");
    expect(() => parseFormat("xml")).toThrow(UsageError);
  });

  it("shows ages compactly", () => {
    const now = Date.parse("2026-01-02T00:00:00Z");
    expect(age("2026-01-01T23:59:30Z", now)).toBe("30s");
    expect(age("2026-01-01T23:56:40Z", now)).toBe("3m20s");
    expect(age("2026-01-01T21:55:00Z", now)).toBe("2h5m");
    expect(age("2025-12-28T21:00:00Z", now)).toBe("4d3h");
    expect(age(undefined, now)).toBeUndefined();
    expect(age("garbage", now)).toBeUndefined();
  });
});
