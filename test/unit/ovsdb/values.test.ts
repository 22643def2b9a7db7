import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  asMap,
  asNumber,
  asSet,
  asStringMap,
  asUuids,
  decodeRow,
  decodeValue,
  encodeRow,
  encodeValue,
  namedUuid,
  NamedUuid,
  uuid,
  Uuid,
  type Atom,
  type Value,
} from "../../../ovs/ovsdb/values.js";

const uuidArb = fc.uuid().map((u) => new Uuid(u));
const atomArb: fc.Arbitrary<Atom> = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Object.is(d, -0)),
  fc.boolean(),
  uuidArb,
  fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/).map((n) => new NamedUuid(n)),
);
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  atomArb,
  fc.array(atomArb),
  fc.array(fc.tuple(fc.string(), atomArb)).map((pairs) => new Map<Atom, Atom>(pairs)),
);

describe("OVSDB value encoding", () => {
  it("encodes atoms, uuids, named-uuids, sets and maps as RFC 7047 says", () => {
    expect(encodeValue("br0")).toBe("br0");
    expect(encodeValue(42)).toBe(42);
    expect(encodeValue(true)).toBe(true);
    expect(encodeValue(uuid("3c0f32cf-cf42-400b-8fa4-910ec79a5a1e"))).toEqual(["uuid", "3c0f32cf-cf42-400b-8fa4-910ec79a5a1e"]);
    expect(encodeValue(namedUuid("port"))).toEqual(["named-uuid", "port"]);
    expect(encodeValue([1, 2])).toEqual(["set", [1, 2]]);
    expect(encodeValue([])).toEqual(["set", []]);
    expect(encodeValue([namedUuid("p")])).toEqual(["set", [["named-uuid", "p"]]]);
    expect(encodeValue({ a: "1", b: "2" })).toEqual(["map", [["a", "1"], ["b", "2"]]]);
    expect(encodeValue(new Map<Atom, Atom>([[1, uuid("u")]]))).toEqual(["map", [[1, ["uuid", "u"]]]]);
    expect(JSON.stringify({ x: uuid("u"), y: namedUuid("n") })).toBe('{"x":["uuid","u"],"y":["named-uuid","n"]}');
  });

  it("refuses numbers JSON cannot carry", () => {
    expect(() => encodeValue(Number.NaN)).toThrow(TypeError);
    expect(() => encodeValue([Number.POSITIVE_INFINITY])).toThrow(TypeError);
  });

  it("round-trips any value through JSON text", () => {
    fc.assert(
      fc.property(valueArb, (value) => {
        expect(decodeValue(JSON.parse(JSON.stringify(encodeValue(value))))).toEqual(value);
      }),
    );
  });

  it("round-trips rows, dropping undefined columns", () => {
    const row = encodeRow({ name: "p1", tag: [10], external_ids: { k: "v" }, mtu_request: undefined });
    expect(row).toEqual({ name: "p1", tag: ["set", [10]], external_ids: ["map", [["k", "v"]]] });
    expect(decodeRow(row)).toEqual({ name: "p1", tag: [10], external_ids: new Map([["k", "v"]]) });
  });

  it("reads the 1-element-set shortcut and absent columns through the typed views", () => {
    expect(asSet(5)).toEqual([5]);
    expect(asSet(undefined)).toEqual([]);
    expect(asNumber(decodeValue(["set", []]))).toBeUndefined();
    expect(asNumber(decodeValue(7))).toBe(7);
    expect(asUuids(decodeValue(["uuid", "a"]))).toEqual(["a"]);
    expect(asUuids(decodeValue(["set", [["uuid", "a"], ["uuid", "b"]]]))).toEqual(["a", "b"]);
    expect(asStringMap(decodeValue(["map", [["k", "v"]]]))).toEqual({ k: "v" });
    expect(asMap(decodeValue(["set", []])).size).toBe(0);
    expect(() => asMap(decodeValue("x"))).toThrow(TypeError);
  });

  it("rejects what is not an OVSDB value", () => {
    expect(() => decodeValue(null)).toThrow(/not an OVSDB atom/);
    expect(() => decodeValue(["map", [["k"]]])).toThrow(/bad map pair/);
    expect(() => decodeValue({ a: 1 })).toThrow(/not an OVSDB atom/);
  });
});
