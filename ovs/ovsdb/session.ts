/**
 * Keeps a JSON-RPC connection to one OVSDB server alive: optional reconnect with exponential
 * backoff (calling `onConnected` on each new connection so the client can re-establish monitors
 * and locks before anything else is sent) and optional keepalive echoes that close a connection
 * whose peer went silent.
 */
import type { Duplex } from "node:stream";
import { OvsdbTimeoutError, OvsdbTransportError } from "./errors.js";
import { JsonRpcConnection, type JsonRpcHandlers } from "./jsonrpc.js";

export interface ReconnectOptions {
  /** First delay before reconnecting (doubles per failed attempt). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Give up after this many failed attempts in a row (default: never). */
  maxAttempts?: number;
}

export interface SessionOptions {
  open(): Promise<Duplex>;
  handlers: JsonRpcHandlers;
  timeoutMs: number;
  maxMessageBytes?: number;
  reconnect?: ReconnectOptions;
  /** Send an echo when nothing was received for this long; close if it gets no reply in as long. */
  keepaliveMs?: number;
  /** Runs on every connection after the first (re-subscribe). Its failure drops that connection. */
  onReconnected?(connection: JsonRpcConnection): Promise<void>;
  onDisconnected?(reason: OvsdbTransportError): void;
  /** Final: no more connections will be made. */
  onClosed?(reason: OvsdbTransportError): void;
}

export class Session {
  private conn: JsonRpcConnection | undefined;
  private waiters: Array<{ resolve(c: JsonRpcConnection): void; reject(e: Error): void }> = [];
  private finalReason: OvsdbTransportError | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  /** Failed reconnect attempts since the last good connection: drives the backoff. */
  private failures = 0;

  private constructor(private readonly options: SessionOptions) {}

  /** Opens the first connection; a failure here is thrown, not retried. */
  static async start(options: SessionOptions): Promise<Session> {
    const session = new Session(options);
    session.adopt(await options.open());
    return session;
  }

  get connected(): boolean {
    return this.conn !== undefined && !this.conn.isClosed;
  }

  /** The live connection, waiting for a reconnect (up to timeoutMs) if one is under way. */
  connection(timeoutMs = this.options.timeoutMs): Promise<JsonRpcConnection> {
    if (this.finalReason) return Promise.reject(this.finalReason);
    if (this.conn && !this.conn.isClosed) return Promise.resolve(this.conn);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new OvsdbTimeoutError("reconnect", timeoutMs));
      }, timeoutMs);
      const waiter = {
        resolve: (c: JsonRpcConnection) => (clearTimeout(timer), resolve(c)),
        reject: (e: Error) => (clearTimeout(timer), reject(e)),
      };
      this.waiters.push(waiter);
    });
  }

  async request<T>(method: string, params: unknown[], timeoutMs = this.options.timeoutMs): Promise<T> {
    const conn = await this.connection(timeoutMs);
    return conn.request<T>(method, params, timeoutMs);
  }

  /** Closes for good: no reconnect; pending and future calls reject. */
  close(reason = new OvsdbTransportError("OVSDB client closed")): void {
    if (this.finalReason) return;
    this.finalReason = reason;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepaliveTimer);
    this.conn?.close(reason);
    for (const w of this.waiters.splice(0)) w.reject(reason);
    this.options.onClosed?.(reason);
  }

  private adopt(stream: Duplex): JsonRpcConnection {
    const conn = new JsonRpcConnection(stream, this.options.handlers, {
      timeoutMs: this.options.timeoutMs,
      maxMessageBytes: this.options.maxMessageBytes,
    });
    this.conn = conn;
    this.startKeepalive(conn);
    void conn.closed.then((reason) => this.lost(conn, reason));
    return conn;
  }

  private lost(conn: JsonRpcConnection, reason: OvsdbTransportError): void {
    clearInterval(this.keepaliveTimer);
    if (this.finalReason || conn !== this.conn) return;
    this.options.onDisconnected?.(reason);
    if (!this.options.reconnect) return this.close(reason);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const attempt = this.failures;
    const { initialDelayMs = 100, maxDelayMs = 5_000, maxAttempts } = this.options.reconnect ?? {};
    if (maxAttempts !== undefined && attempt >= maxAttempts) {
      return this.close(new OvsdbTransportError(`OVSDB reconnect gave up after ${attempt} attempts`, { retryable: true }));
    }
    const delay = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    this.reconnectTimer = setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect(): Promise<void> {
    let conn: JsonRpcConnection | undefined;
    try {
      const stream = await this.options.open();
      if (this.finalReason) return void stream.destroy();
      conn = this.adopt(stream);
      await this.options.onReconnected?.(conn);
    } catch (err) {
      if (this.finalReason) return;
      this.failures++;
      if (!conn) return this.scheduleReconnect();
      // A connection that closes re-enters lost(), which schedules the next attempt.
      const reason = err instanceof OvsdbTransportError ? err : new OvsdbTransportError(`OVSDB re-subscribe failed: ${String(err)}`, { cause: err });
      return conn.close(reason);
    }
    this.failures = 0;
    for (const w of this.waiters.splice(0)) w.resolve(conn);
  }

  private startKeepalive(conn: JsonRpcConnection): void {
    const interval = this.options.keepaliveMs;
    if (!interval) return;
    clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = setInterval(() => {
      if (Date.now() - conn.lastReceivedAt < interval) return;
      conn.request("echo", ["keepalive"], interval).catch((err: unknown) => {
        if (err instanceof OvsdbTimeoutError) {
          conn.close(new OvsdbTransportError(`OVSDB server sent nothing for ${2 * interval} ms (no echo reply)`, { retryable: true }));
        }
      });
    }, interval);
    this.keepaliveTimer.unref();
  }
}
