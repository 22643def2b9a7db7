/**
 * Pure helpers for etcd's JSON gateway: it carries keys and values as base64 bytes and 64-bit
 * integers as decimal strings. Store keys ("a/b/c") live under one deployment prefix in etcd
 * ("/ovs-sdn/a/b/c"), so several deployments (or test runs) can share one etcd cluster.
 */
import { StoreError } from "../errors.js";

export const DEFAULT_KEY_PREFIX = "/ovs-sdn/";

export function toBase64(text: string | Buffer): string {
  return (typeof text === "string" ? Buffer.from(text, "utf8") : text).toString("base64");
}

export function fromBase64(data: string | undefined): string {
  return data === undefined ? "" : Buffer.from(data, "base64").toString("utf8");
}

/**
 * The smallest key greater than every key that starts with `prefix` (etcd's range_end for a
 * prefix): the prefix with its last byte below 0xff incremented and everything after it dropped.
 * A prefix of only 0xff bytes (or empty) has no such key: etcd's "\0" means "to the end".
 */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  for (let i = prefix.length - 1; i >= 0; i--) {
    const byte = prefix[i] as number;
    if (byte < 0xff) {
      const end = Buffer.from(prefix.subarray(0, i + 1));
      end[i] = byte + 1;
      return end;
    }
  }
  return Buffer.from([0]);
}

/** etcd's int64 fields arrive as decimal strings (and are omitted when zero). */
export function int64(value: string | number | undefined): number {
  if (value === undefined) return 0;
  const n = typeof value === "number" ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new StoreError(`etcd returned a number this client cannot represent: ${String(value)}`);
  return n;
}

/** Checks a deployment prefix: printable, begins and ends with "/" so prefixes never overlap by accident. */
export function checkKeyPrefix(prefix: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/^\/([^\u0000-\u001f\u007f]*\/)?$/.test(prefix)) {
    throw new StoreError(`etcd key prefix ${JSON.stringify(prefix)} must start and end with "/", e.g. "/ovs-sdn/"`);
  }
  return prefix;
}

/** Maps store keys to etcd keys and back, under one deployment prefix. */
export class KeySpace {
  constructor(readonly prefix: string = DEFAULT_KEY_PREFIX) {
    checkKeyPrefix(prefix);
  }

  /** base64 etcd key of a store key. */
  key(storeKey: string): string {
    return toBase64(this.prefix + storeKey);
  }

  /** base64 {key, range_end} covering every store key that starts with `storePrefix`. */
  range(storePrefix: string): { key: string; range_end: string } {
    const start = Buffer.from(this.prefix + storePrefix, "utf8");
    return { key: start.toString("base64"), range_end: prefixRangeEnd(start).toString("base64") };
  }

  /** Store key of a base64 etcd key; undefined for a key outside the prefix (never asked for). */
  storeKey(etcdKey: string | undefined): string | undefined {
    const text = fromBase64(etcdKey);
    return text.startsWith(this.prefix) ? text.slice(this.prefix.length) : undefined;
  }
}

/** The JSON text of a value, base64 for the gateway. */
export function encodeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new StoreError("store values must be JSON-serialisable (got undefined)");
  return toBase64(text);
}

export function decodeValue(data: string | undefined, key: string): unknown {
  const text = fromBase64(data);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new StoreError(`etcd value of ${key} is not JSON: ${text.slice(0, 80)}`, { cause: err });
  }
}

/**
 * Splits a byte stream into newline-delimited JSON messages (the gateway's streaming responses).
 * Keeps a partial line between chunks; multi-byte characters split across chunks stay intact
 * because lines are cut on bytes before decoding.
 */
export class LineSplitter {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: string[] = [];
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10)) {
      const line = data.subarray(0, nl).toString("utf8").trim();
      if (line !== "") lines.push(line);
      data = data.subarray(nl + 1);
    }
    this.pending = Buffer.from(data);
    return lines;
  }

  /** What is left when the stream ends (a last message without a newline). */
  end(): string[] {
    const rest = this.pending.toString("utf8").trim();
    this.pending = Buffer.alloc(0);
    return rest === "" ? [] : [rest];
  }
}
