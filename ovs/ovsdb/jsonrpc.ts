/**
 * A JSON-RPC 1.0 peer over one byte stream (unix, TCP, TLS or an in-memory duplex in tests).
 * It knows nothing of OVSDB: it matches replies to requests by id, gives every request a timeout,
 * hands the peer's requests and notifications to handlers, and rejects every pending request
 * the moment the stream closes.
 */
import type { Duplex } from "node:stream";
import { OvsdbProtocolError, OvsdbRpcError, OvsdbTimeoutError, OvsdbTransportError } from "./errors.js";
import { JsonValueSplitter } from "./framing.js";

export interface JsonRpcHandlers {
  /** A request from the peer (e.g. OVSDB's "echo"); the return value is the reply's result. */
  onRequest?(method: string, params: unknown[]): unknown;
  /** A notification from the peer (e.g. "update2", "locked"). Throwing closes the connection. */
  onNotification?(method: string, params: unknown[]): void;
}

export interface JsonRpcOptions {
  /** Timeout of a request when the call does not give one. */
  timeoutMs?: number;
  maxMessageBytes?: number;
}

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Message {
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: unknown;
}

export class JsonRpcConnection {
  /** Resolves (never rejects) with the reason once the connection is closed. */
  readonly closed: Promise<OvsdbTransportError>;
  /** Date.now() of the last message received; keepalives use it to spot a silent peer. */
  lastReceivedAt = Date.now();
  private readonly pending = new Map<number, Pending>();
  private readonly splitter: JsonValueSplitter;
  private readonly defaultTimeoutMs: number;
  private nextId = 1;
  private closeReason: OvsdbTransportError | undefined;
  private resolveClosed!: (reason: OvsdbTransportError) => void;
  private uncorkScheduled = false;

  constructor(
    private readonly stream: Duplex,
    private readonly handlers: JsonRpcHandlers = {},
    options: JsonRpcOptions = {},
  ) {
    this.defaultTimeoutMs = options.timeoutMs ?? 10_000;
    this.splitter = new JsonValueSplitter(options.maxMessageBytes);
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    stream.on("data", (chunk: Buffer | string) => this.receive(typeof chunk === "string" ? Buffer.from(chunk) : chunk));
    stream.on("error", (err: NodeJS.ErrnoException) =>
      this.close(new OvsdbTransportError(`OVSDB connection failed: ${err.message}`, { errno: err.code, cause: err })),
    );
    stream.on("end", () => this.close(new OvsdbTransportError("OVSDB connection closed by the server", { retryable: true })));
    stream.on("close", () => this.close(new OvsdbTransportError("OVSDB connection closed", { retryable: true })));
  }

  get isClosed(): boolean {
    return this.closeReason !== undefined;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  request<T = unknown>(method: string, params: unknown[], timeoutMs = this.defaultTimeoutMs): Promise<T> {
    if (this.closeReason) return Promise.reject(this.closeReason);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new OvsdbTimeoutError(method, timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject, timer });
      this.send({ method, params, id });
    });
  }

  notify(method: string, params: unknown[]): void {
    if (!this.closeReason) this.send({ method, params, id: null });
  }

  /** Closes the stream and rejects every pending request with `reason`. Idempotent. */
  close(reason: OvsdbTransportError = new OvsdbTransportError("OVSDB connection closed by the client")): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(reason);
    }
    this.stream.destroy();
    this.resolveClosed(reason);
  }

  private send(message: object): void {
    // Cork until the next tick so requests issued together (pipelining) leave in one write.
    if (!this.uncorkScheduled) {
      this.uncorkScheduled = true;
      this.stream.cork();
      process.nextTick(() => {
        this.uncorkScheduled = false;
        this.stream.uncork();
      });
    }
    this.stream.write(JSON.stringify(message));
  }

  private receive(chunk: Buffer): void {
    if (this.closeReason) return;
    this.lastReceivedAt = Date.now();
    try {
      for (const text of this.splitter.push(chunk)) {
        this.dispatch(JSON.parse(text) as Message);
        if (this.closeReason) return;
      }
    } catch (err) {
      const reason = err instanceof OvsdbTransportError ? err : new OvsdbProtocolError(errorMessage(err));
      this.close(reason);
    }
  }

  private dispatch(msg: Message): void {
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) throw new OvsdbProtocolError("message is not an object");
    if (typeof msg.method === "string") {
      const params = Array.isArray(msg.params) ? msg.params : [];
      if (msg.id === null || msg.id === undefined) this.handlers.onNotification?.(msg.method, params);
      else this.answer(msg.id, msg.method, params);
      return;
    }
    if (typeof msg.id !== "number") return; // a reply we never asked for: ignore
    const p = this.pending.get(msg.id);
    if (!p) return; // already timed out
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.error !== null && msg.error !== undefined) p.reject(new OvsdbRpcError(p.method, msg.error));
    else p.resolve(msg.result);
  }

  private answer(id: unknown, method: string, params: unknown[]): void {
    const handler = this.handlers.onRequest;
    if (!handler) {
      this.send({ id, result: null, error: { error: "unknown method", details: method } });
      return;
    }
    Promise.resolve()
      .then(() => handler(method, params))
      .then(
        (result) => !this.closeReason && this.send({ id, result: result ?? null, error: null }),
        (err: unknown) => !this.closeReason && this.send({ id, result: null, error: { error: errorMessage(err) } }),
      );
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
