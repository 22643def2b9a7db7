/**
 * JSON-RPC 1.0 over a stream has no length prefix: messages are JSON values written back to back
 * (OVSDB sends objects). This splitter finds value boundaries by tracking bracket depth outside of
 * strings. It works on bytes, so a UTF-8 character split across chunks is only decoded once the
 * whole value is there (structural characters are ASCII and never appear inside multibyte sequences).
 */
import { OvsdbProtocolError } from "./errors.js";

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export class JsonValueSplitter {
  /** Earlier chunks holding the start of the value in progress. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxValueBytes = 128 * 1024 * 1024) {}

  /** True when a value has started but is not complete yet. */
  get hasPartialValue(): boolean {
    return this.depth > 0;
  }

  /** Feeds a chunk; returns the text of every value completed by it, in order. */
  push(chunk: Uint8Array): string[] {
    const values: string[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (this.depth === 0) {
        if (isWhitespace(byte)) continue;
        if (byte !== OPEN_BRACE && byte !== OPEN_BRACKET) {
          throw new OvsdbProtocolError(`unexpected byte 0x${byte.toString(16)} between messages`);
        }
        start = i;
        this.depth = 1;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (byte === BACKSLASH) this.escaped = true;
        else if (byte === QUOTE) this.inString = false;
        continue;
      }
      if (byte === QUOTE) this.inString = true;
      else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) this.depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          values.push(this.take(chunk.subarray(start, i + 1)));
          start = -1;
        }
      }
    }
    if (this.depth > 0) this.keep(chunk.subarray(start));
    return values;
  }

  private take(tail: Uint8Array): string {
    const whole = this.pending.length === 0 ? Buffer.from(tail.buffer, tail.byteOffset, tail.length) : Buffer.concat([...this.pending, tail]);
    this.pending = [];
    this.pendingBytes = 0;
    return whole.toString("utf8");
  }

  private keep(part: Uint8Array): void {
    // Copy: the caller may reuse its buffer after push() returns.
    this.pending.push(Buffer.from(part));
    this.pendingBytes += part.length;
    if (this.pendingBytes > this.maxValueBytes) {
      throw new OvsdbProtocolError(`message larger than ${this.maxValueBytes} bytes`);
    }
  }
}
