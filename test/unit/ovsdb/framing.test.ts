import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OvsdbProtocolError } from "../../../ovs/ovsdb/errors.js";
import { JsonValueSplitter } from "../../../ovs/ovsdb/framing.js";

/** Feeds `bytes` cut at `cuts` and returns every value parsed. */
function feed(bytes: Buffer, cuts: number[]): unknown[] {
  const splitter = new JsonValueSplitter();
  const out: unknown[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...splitter.push(bytes.subarray(start, cut)).map((t) => JSON.parse(t) as unknown));
    start = cut;
  }
  expect(splitter.hasPartialValue).toBe(false);
  return out;
}

// Strings full of what trips naive splitters: braces, brackets, quotes, backslashes, multibyte UTF-8.
const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.constantFrom('{"', "}", "]", "[", '\\"', "\\", '"}]', "é", "€", "😀", "\u0000", "\n"),
);
const messages = fc.array(
  fc.record({
    id: fc.oneof(fc.integer(), fc.constant(null), tricky),
    method: tricky,
    params: fc.array(fc.jsonValue({ maxDepth: 3 }).chain((v) => fc.constantFrom(v, { s: v }, [v]))),
  }),
  { minLength: 1, maxLength: 5 },
);
const whitespace = fc.constantFrom("", " ", "\n", "\r\n", "\t ");

describe("JsonValueSplitter", () => {
  it("splits several objects sent in one chunk", () => {
    const bytes = Buffer.from('{"id":1,"result":[]}{"id":2,"result":{}}\n{"method":"echo","params":[],"id":"echo"}');
    expect(feed(bytes, [])).toEqual([
      { id: 1, result: [] },
      { id: 2, result: {} },
      { method: "echo", params: [], id: "echo" },
    ]);
  });

  it("handles strings holding braces, brackets and escaped quotes", () => {
    const value = { s: '}{]["\\"}', t: "a\\\\", u: ["{", "\\\"", "]"] };
    const text = JSON.stringify(value);
    expect(feed(Buffer.from(text + text), [])).toEqual([value, value]);
  });

  it("reassembles a multibyte UTF-8 character split between chunks", () => {
    const bytes = Buffer.from(JSON.stringify({ name: "br-€😀" }));
    const euro = bytes.indexOf(Buffer.from("€"));
    for (const cut of [euro + 1, euro + 2, euro + 4, euro + 5]) {
      expect(feed(bytes, [cut])).toEqual([{ name: "br-€😀" }]);
    }
  });

  it("property: any messages, cut at every byte position, come out intact and in order", () => {
    fc.assert(
      fc.property(messages, whitespace, (msgs, gap) => {
        const bytes = Buffer.from(msgs.map((m) => JSON.stringify(m)).join(gap));
        const expected = msgs.map((m) => JSON.parse(JSON.stringify(m)) as unknown);
        for (let cut = 0; cut <= bytes.length; cut++) expect(feed(bytes, [cut])).toEqual(expected);
      }),
      { numRuns: 20 },
    );
  });

  it("property: any messages fed in random chunk sizes (down to one byte) come out intact", () => {
    fc.assert(
      fc.property(messages, fc.array(fc.integer({ min: 0, max: 10_000 })), (msgs, rawCuts) => {
        const bytes = Buffer.from(msgs.map((m) => JSON.stringify(m)).join(""));
        const cuts = [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        expect(feed(bytes, cuts)).toEqual(msgs.map((m) => JSON.parse(JSON.stringify(m)) as unknown));
        const oneByteCuts = Array.from({ length: bytes.length }, (_, i) => i);
        expect(feed(bytes, oneByteCuts)).toEqual(msgs.map((m) => JSON.parse(JSON.stringify(m)) as unknown));
      }),
      { numRuns: 60 },
    );
  });

  it("keeps a partial value across chunks even when the caller reuses its buffer", () => {
    const splitter = new JsonValueSplitter();
    const buffer = Buffer.from('{"a":"xy');
    expect(splitter.push(buffer)).toEqual([]);
    buffer.fill(0x20); // the caller overwrites its chunk
    expect(splitter.push(Buffer.from('z"}'))).toEqual(['{"a":"xyz"}']);
  });

  it("rejects bytes that cannot start a message", () => {
    expect(() => new JsonValueSplitter().push(Buffer.from('{"a":1} x'))).toThrow(OvsdbProtocolError);
  });

  it("rejects a message larger than the limit", () => {
    const splitter = new JsonValueSplitter(16);
    expect(() => splitter.push(Buffer.from('{"a":"0123456789abcdef'))).toThrow(/larger than 16 bytes/);
  });
});
