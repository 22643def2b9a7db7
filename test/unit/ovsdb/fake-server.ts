/**
 * A scripted OVSDB peer on the far end of an in-memory duplex pair: it records what the client
 * sends and answers with raw JSON written by the test, as ovsdb-server would put it on the wire.
 */
import { Duplex } from "node:stream";
import { JsonValueSplitter } from "../../../ovs/ovsdb/framing.js";

export interface WireMessage {
  id?: unknown;
  method?: string;
  params?: unknown[];
  result?: unknown;
  error?: unknown;
}

/** Two connected in-memory streams (node:stream duplexPair() is Node >= 22.6). */
export function duplexPair(): [Duplex, Duplex] {
  const pair: Duplex[] = [];
  const make = (peer: () => Duplex | undefined) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        peer()?.push(chunk);
        callback();
      },
      // Like a socket: corked writes leave together (the peer sees one chunk).
      writev(chunks, callback) {
        peer()?.push(Buffer.concat(chunks.map((c) => c.chunk as Buffer)));
        callback();
      },
      final(callback) {
        peer()?.push(null);
        callback();
      },
      destroy(err, callback) {
        const other = peer();
        if (other && !other.destroyed) other.destroy();
        callback(err);
      },
    });
  const left = make(() => pair[1]);
  const right = make(() => pair[0]);
  pair.push(left, right);
  return [left, right];
}

type Handler = (params: unknown[], msg: WireMessage) => unknown;

export class FakeServer {
  readonly received: WireMessage[] = [];
  /** How many messages each chunk read from the stream held (pipelining shows as > 1). */
  readonly messagesPerChunk: number[] = [];
  private readonly handlers = new Map<string, Handler>();
  private readonly waiters: Array<{ match: (m: WireMessage) => boolean; resolve: (m: WireMessage) => void }> = [];
  private readonly splitter = new JsonValueSplitter();

  constructor(readonly stream: Duplex) {
    stream.on("data", (chunk: Buffer) => {
      const texts = this.splitter.push(chunk);
      this.messagesPerChunk.push(texts.length);
      for (const text of texts) this.receive(JSON.parse(text) as WireMessage);
    });
    stream.on("error", () => undefined);
  }

  /** Answers requests for `method` with the handler's return value as result; `undefined` = no reply. */
  on(method: string, handler: Handler): this {
    this.handlers.set(method, handler);
    return this;
  }

  sendRaw(text: string): void {
    this.stream.write(text);
  }

  send(message: object): void {
    this.stream.write(JSON.stringify(message));
  }

  notify(method: string, params: unknown[]): void {
    this.send({ method, params, id: null });
  }

  /** Resolves with the first message (already received or future) that matches. */
  next(match: (m: WireMessage) => boolean): Promise<WireMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }

  close(): void {
    this.stream.destroy();
  }

  private receive(msg: WireMessage): void {
    this.received.push(msg);
    for (const w of [...this.waiters]) {
      if (w.match(msg)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
    const handler = msg.method === undefined ? undefined : this.handlers.get(msg.method);
    if (!handler || msg.id === null || msg.id === undefined) return;
    const result = handler(msg.params ?? [], msg);
    if (result === undefined) return;
    if (result !== null && typeof result === "object" && "__error" in result) this.send({ id: msg.id, result: null, error: result.__error });
    else this.send({ id: msg.id, result, error: null });
  }
}

/** Return this from a handler to answer with a JSON-RPC error instead of a result. */
export function rpcError(error: string, details?: string): { __error: { error: string; details?: string } } {
  return { __error: details === undefined ? { error } : { error, details } };
}
