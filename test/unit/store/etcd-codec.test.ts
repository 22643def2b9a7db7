/** The pure parts of the etcd backend: base64, key ranges, int64 text, stream lines, watch events. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StoreError } from "../../../controller/store/errors.js";
import { decodeValue, encodeValue, fromBase64, int64, KeySpace, LineSplitter, prefixRangeEnd, toBase64 } from "../../../controller/store/etcd/codec.js";
import { eventsOf } from "../../../controller/store/etcd/watch.js";

const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("base64", () => {
  it("round-trips text, unicode included", () => {
    for (const text of ["", "a/b/c", "ünïcødé ✓", "\u{1F600}"]) expect(fromBase64(toBase64(text))).toBe(text);
    expect(toBase64("foo")).toBe("Zm9v");
    expect(fromBase64(undefined)).toBe("");
  });
});

describe("prefixRangeEnd", () => {
  it("increments the last byte below 0xff and drops what follows", () => {
    expect(prefixRangeEnd(Buffer.from("a"))).toEqual(Buffer.from("b"));
    expect(prefixRangeEnd(Buffer.from("/ovs-sdn/"))).toEqual(Buffer.from("/ovs-sdn0"));
    expect(prefixRangeEnd(Buffer.from([0x61, 0xff, 0xff]))).toEqual(Buffer.from("b"));
    expect(prefixRangeEnd(Buffer.from([0xff]))).toEqual(Buffer.from([0]));
    expect(prefixRangeEnd(Buffer.alloc(0))).toEqual(Buffer.from([0]));
  });

  it("a key lies in [prefix, end) exactly when it starts with the prefix", () => {
    const bytes = fc.uint8Array({ maxLength: 6 }).map((a) => Buffer.from(a.map((b) => [0x00, 0x2f, 0x61, 0xfe, 0xff][b % 5] as number)));
    fc.assert(
      fc.property(bytes, bytes, (prefix, suffix) => {
        const end = prefixRangeEnd(prefix);
        const unbounded = end.equals(Buffer.from([0]));
        for (const key of [Buffer.concat([prefix, suffix]), suffix]) {
          const inRange = Buffer.compare(key, prefix) >= 0 && (unbounded || Buffer.compare(key, end) < 0);
          expect(inRange).toBe(key.subarray(0, prefix.length).equals(prefix));
        }
      }),
    );
  });
});

describe("KeySpace", () => {
  const keys = new KeySpace("/ovs-sdn/");

  it("puts store keys under the deployment prefix and back", () => {
    expect(fromBase64(keys.key("leases/n1/s1/10.0.0.5"))).toBe("/ovs-sdn/leases/n1/s1/10.0.0.5");
    expect(keys.storeKey(keys.key("a/b"))).toBe("a/b");
    expect(keys.storeKey(b64("/other/a"))).toBeUndefined();
  });

  it("ranges cover a store prefix, or the whole deployment for the empty prefix", () => {
    expect(keys.range("leases/")).toEqual({ key: b64("/ovs-sdn/leases/"), range_end: b64("/ovs-sdn/leases0") });
    expect(keys.range("")).toEqual({ key: b64("/ovs-sdn/"), range_end: b64("/ovs-sdn0") });
  });

  it("accepts only prefixes that begin and end with /", () => {
    expect(new KeySpace("/").prefix).toBe("/");
    expect(new KeySpace("/a/b/").prefix).toBe("/a/b/");
    for (const bad of ["", "ovs-sdn/", "/ovs-sdn", "/a\u0001/"]) expect(() => new KeySpace(bad)).toThrow(StoreError);
  });
});

describe("int64 and values", () => {
  it("reads etcd's decimal int64 text; absent is 0; beyond 2^53 is an error", () => {
    expect(int64("42")).toBe(42);
    expect(int64(undefined)).toBe(0);
    expect(() => int64("9007199254740993")).toThrow(StoreError);
  });

  it("values are JSON in base64; undefined and non-JSON are errors", () => {
    expect(decodeValue(encodeValue({ a: [1, "✓"] }), "k")).toEqual({ a: [1, "✓"] });
    expect(() => encodeValue(undefined)).toThrow(StoreError);
    expect(() => decodeValue(b64("{not json"), "k")).toThrow(/k is not JSON/);
  });
});

describe("LineSplitter", () => {
  it("cuts newline-delimited messages across chunks without breaking multi-byte characters", () => {
    const text = Buffer.from('{"a":"✓"}\n\n{"b":2}\n{"c":');
    const splitter = new LineSplitter();
    const lines: string[] = [];
    // Byte by byte: every split point, including inside "✓" (3 bytes).
    for (const byte of text) lines.push(...splitter.push(Buffer.from([byte])));
    expect(lines).toEqual(['{"a":"✓"}', '{"b":2}']);
    lines.push(...splitter.push(Buffer.from("3}")));
    expect(splitter.end()).toEqual(['{"c":3}']);
    expect(splitter.end()).toEqual([]);
  });
});

describe("eventsOf", () => {
  it("turns a watch result into store events, skipping keys outside the prefix", () => {
    const keys = new KeySpace("/p/");
    const events = eventsOf(keys, {
      events: [
        { kv: { key: b64("/p/a"), value: encodeValue(1), mod_revision: "7" } },
        { type: "DELETE", kv: { key: b64("/p/b"), mod_revision: "8" } },
        { kv: { key: b64("/q/c"), value: encodeValue(3), mod_revision: "9" } },
      ],
    });
    expect(events).toEqual([
      { type: "put", key: "a", value: 1, revision: 7 },
      { type: "delete", key: "b", revision: 8 },
    ]);
    expect(eventsOf(keys, { created: true })).toEqual([]);
  });
});
