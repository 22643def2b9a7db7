/**
 * The OVSDB protocol (RFC 7047 + ovsdb-server(7) extensions) on top of a Session: the RPC methods,
 * transaction error mapping, monitor routing, locks, and answering the server's echo.
 */
import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import { OvsdbOperationError, OvsdbProtocolError, OvsdbRpcError, OvsdbTransportError } from "./errors.js";
import type { JsonRpcConnection } from "./jsonrpc.js";
import { Monitor, type MonitorMethod, type MonitorRequests } from "./monitor.js";
import type { Operation, OperationResult } from "./ops.js";
import { kindsFromSchema, typedKinds, type ResolvedKinds } from "./monitor-kinds.js";
import type { DatabaseSchema } from "./schema.js";
import { Session, type ReconnectOptions } from "./session.js";
import { openStream, parseRemote, type TlsCredentials } from "./transport.js";

export interface ClientOptions {
  /** Needed for ssl: remotes. */
  tls?: TlsCredentials;
  /** Timeout of each call unless the call gives its own (default 10 s). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** Reconnect when the connection drops, re-establishing monitors and locks (default off). */
  reconnect?: boolean | ReconnectOptions;
  /** Send echo after this much silence; close the connection if it goes unanswered (default off). */
  keepaliveMs?: number;
  maxMessageBytes?: number;
}

export interface TransactOptions {
  timeoutMs?: number;
  /** Operation index -> what it means when it fails, prefixed to the server's error (e.g. "bridge br0 does not exist"). */
  hints?: Record<number, string>;
}

export interface MonitorOptions {
  /** Default monitor_cond. monitor_cond_since falls back to monitor_cond on servers without it. */
  method?: MonitorMethod;
  /** Column shapes come from here, else from the typed vswitch tables, else from get_schema. */
  schema?: DatabaseSchema;
  timeoutMs?: number;
}

export interface ClientEvents {
  locked: [lockId: string];
  stolen: [lockId: string];
  disconnected: [reason: OvsdbTransportError];
  reconnected: [];
  closed: [reason: OvsdbTransportError];
}

export class OvsdbClient extends EventEmitter<ClientEvents> {
  private session!: Session;
  private readonly monitors = new Map<string, Monitor>();
  private readonly wantedLocks = new Set<string>();
  private readonly schemas = new Map<string, DatabaseSchema>();
  private nextMonitorId = 1;
  private readonly timeoutMs: number;

  private constructor(options: ClientOptions) {
    super();
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Connects to "unix:PATH", "tcp:HOST:PORT" or "ssl:HOST:PORT". */
  static async connect(remote: string, options: ClientOptions = {}): Promise<OvsdbClient> {
    const parsed = parseRemote(remote);
    const open = () => openStream(parsed, { tls: options.tls, connectTimeoutMs: options.connectTimeoutMs });
    return OvsdbClient.overStreams(open, options);
  }

  /** A client over any duplex stream the factory opens (used by tests with in-memory pairs). */
  static async overStreams(open: () => Promise<Duplex>, options: ClientOptions = {}): Promise<OvsdbClient> {
    const client = new OvsdbClient(options);
    const reconnect = options.reconnect === true ? {} : options.reconnect || undefined;
    client.session = await Session.start({
      open,
      timeoutMs: client.timeoutMs,
      maxMessageBytes: options.maxMessageBytes,
      reconnect,
      keepaliveMs: options.keepaliveMs,
      handlers: {
        onRequest: (method, params) => client.onRequest(method, params),
        onNotification: (method, params) => client.onNotification(method, params),
      },
      onReconnected: (conn) => client.resubscribe(conn),
      onDisconnected: (reason) => client.emit("disconnected", reason),
      onClosed: (reason) => client.closed(reason),
    });
    return client;
  }

  get connected(): boolean {
    return this.session.connected;
  }

  listDbs(): Promise<string[]> {
    return this.session.request<string[]>("list_dbs", []);
  }

  async getSchema(db: string): Promise<DatabaseSchema> {
    const schema = await this.session.request<DatabaseSchema>("get_schema", [db]);
    this.schemas.set(db, schema);
    return schema;
  }

  echo(...args: unknown[]): Promise<unknown[]> {
    return this.session.request<unknown[]>("echo", args);
  }

  /** Runs a transaction; throws OvsdbOperationError naming the failing operation. */
  async transact(db: string, ops: readonly Operation[], options: TransactOptions = {}): Promise<OperationResult[]> {
    const results = await this.session.request<unknown>("transact", [db, ...ops], options.timeoutMs);
    if (!Array.isArray(results)) throw new OvsdbProtocolError("transact reply is not an array");
    const index = results.findIndex((r) => r !== null && typeof r === "object" && "error" in r && r.error !== null);
    if (index >= 0) {
      const failed = results[index] as OperationResult;
      const operation = ops[index];
      throw new OvsdbOperationError(
        {
          index,
          op: operation?.op ?? "commit",
          table: operation && "table" in operation ? operation.table : undefined,
          error: String(failed.error),
          details: failed.details,
        },
        options.hints?.[index],
      );
    }
    return results as OperationResult[];
  }

  /** Starts a monitor; resolves once its replica holds the initial rows. */
  async monitor(db: string, requests: MonitorRequests, options: MonitorOptions = {}): Promise<Monitor> {
    const { kinds, filled } = await this.kindsFor(db, requests, options.schema);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    let method = options.method ?? "monitor_cond";
    for (;;) {
      const id = `m${this.nextMonitorId++}`;
      const monitor = new Monitor(id, db, filled, kinds, method, (m) => this.cancelMonitor(m));
      this.monitors.set(id, monitor);
      try {
        await monitor.subscribe(await this.session.connection(timeoutMs), timeoutMs);
        return monitor;
      } catch (err) {
        this.monitors.delete(id);
        monitor.close(err as Error);
        const unknownMethod = err instanceof OvsdbRpcError && JSON.stringify(err.rpcError).includes("unknown method");
        if (method === "monitor_cond_since" && unknownMethod) method = "monitor_cond";
        else throw err;
      }
    }
  }

  /** Asks for a lock; true if granted now, else a "locked" event follows when it is. */
  async lock(id: string): Promise<boolean> {
    this.wantedLocks.add(id);
    const result = await this.session.request<{ locked?: boolean }>("lock", [id]);
    return result.locked === true;
  }

  /** Takes a lock from its holder (who gets "stolen"). */
  async steal(id: string): Promise<void> {
    this.wantedLocks.add(id);
    await this.session.request("steal", [id]);
  }

  async unlock(id: string): Promise<void> {
    this.wantedLocks.delete(id);
    await this.session.request("unlock", [id]);
  }

  /** Closes the connection for good; pending calls and monitor waits reject. */
  close(): void {
    this.session.close();
  }

  private onRequest(method: string, params: unknown[]): unknown {
    if (method === "echo") return params;
    throw new Error(`unknown method ${method}`);
  }

  private onNotification(method: string, params: unknown[]): void {
    const first = params[0];
    if (method === "update" || method === "update2" || method === "update3") {
      this.monitors.get(String(first))?.handle(method, params);
    } else if (method === "locked" || method === "stolen") {
      this.emit(method, String(first));
    } else if (method === "monitor_canceled") {
      const monitor = this.monitors.get(String(first));
      this.monitors.delete(String(first));
      monitor?.close(new OvsdbTransportError(`monitor ${String(first)} cancelled by the server`));
    }
  }

  private async resubscribe(conn: JsonRpcConnection): Promise<void> {
    const monitors = [...this.monitors.values()].map((m) => m.subscribe(conn, this.timeoutMs));
    const locks = [...this.wantedLocks].map(async (id) => {
      const result = await conn.request<{ locked?: boolean }>("lock", [id], this.timeoutMs);
      if (result.locked) this.emit("locked", id);
    });
    await Promise.all([...monitors, ...locks]);
    this.emit("reconnected");
  }

  private async cancelMonitor(monitor: Monitor): Promise<void> {
    this.monitors.delete(monitor.id);
    if (this.session.connected) await this.session.request("monitor_cancel", [monitor.id]).catch(() => undefined);
  }

  private closed(reason: OvsdbTransportError): void {
    for (const monitor of this.monitors.values()) monitor.close(reason);
    this.monitors.clear();
    this.emit("closed", reason);
  }

  /** Column shapes for the monitored tables: from the schema given, the typed tables, or get_schema. */
  private async kindsFor(db: string, requests: MonitorRequests, schema?: DatabaseSchema): Promise<ResolvedKinds> {
    const typed = schema ? undefined : typedKinds(db, requests);
    return typed ?? kindsFromSchema(requests, schema ?? this.schemas.get(db) ?? (await this.getSchema(db)));
  }
}
