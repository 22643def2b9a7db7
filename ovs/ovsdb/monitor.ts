/**
 * One monitor (monitor / monitor_cond / monitor_cond_since) and the replica it keeps. The client
 * routes update/update2/update3 notifications here by monitor id and calls subscribe() again on
 * every reconnect: the replica is then refilled (or, with monitor_cond_since and a server that
 * still has our last transaction, caught up) and rows that vanished meanwhile are reported deleted.
 */
import { OvsdbProtocolError, OvsdbTimeoutError, OvsdbTransportError } from "./errors.js";
import type { JsonRpcConnection } from "./jsonrpc.js";
import type { Condition } from "./ops.js";
import { Replica, type RowChange } from "./replica.js";
import type { SchemaKinds } from "./schema.js";

export interface MonitorTableRequest {
  /** Columns to replicate (default: all, or a typed table's columns). */
  columns?: string[];
  /** monitor_cond only: replicate rows matching any of these conditions (default: all rows). */
  where?: Condition[];
  select?: { initial?: boolean; insert?: boolean; delete?: boolean; modify?: boolean };
}

/** Table name -> what to replicate of it. */
export type MonitorRequests = Record<string, MonitorTableRequest>;
export type MonitorMethod = "monitor" | "monitor_cond" | "monitor_cond_since";
export type ChangeListener = (changes: RowChange[], monitor: Monitor) => void;

const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

export class Monitor {
  readonly replica: Replica;
  /** monitor_cond_since: the last transaction we have seen (sent again on reconnect). */
  lastTxnId: string | undefined;
  private readonly listeners = new Set<ChangeListener>();
  private closedReason: Error | undefined;
  private readonly closeWaiters = new Set<(e: Error) => void>();
  /**
   * Notifications that arrived while the reply to our monitor request was still on its way to
   * subscribe() (replies resolve a promise, so notifications read from the same chunk get here
   * first). They are newer than the reply's contents and are applied right after it.
   */
  private queued: Array<[string, unknown[]]> | undefined;

  constructor(
    readonly id: string,
    readonly db: string,
    readonly requests: MonitorRequests,
    kinds: SchemaKinds,
    readonly method: MonitorMethod,
    private readonly onCancel: (monitor: Monitor) => Promise<void>,
  ) {
    this.replica = new Replica(kinds);
  }

  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Sends the monitor request (synchronously, so it can be pipelined) and applies the reply. */
  async subscribe(conn: JsonRpcConnection, timeoutMs: number): Promise<void> {
    const params: unknown[] = [this.db, this.id, this.wireRequests()];
    if (this.method === "monitor_cond_since") params.push(this.lastTxnId ?? ZERO_UUID);
    this.queued = [];
    try {
      this.applyReply(await conn.request(this.method, params, timeoutMs));
    } finally {
      const queued = this.queued;
      this.queued = undefined;
      for (const [method, notification] of queued) this.handle(method, notification);
    }
  }

  private applyReply(result: unknown): void {
    const resync = this.hasRows();
    if (this.method === "monitor_cond_since") {
      if (!Array.isArray(result) || result.length !== 3) throw new OvsdbProtocolError("bad monitor_cond_since reply");
      const [found, lastTxnId, updates] = result as [boolean, string, unknown];
      this.lastTxnId = lastTxnId;
      if (found) return this.emit(this.replica.applyUpdate2(updates));
      return this.refill(() => this.replica.applyUpdate2(updates), resync);
    }
    if (this.method === "monitor_cond") return this.refill(() => this.replica.applyUpdate2(result), resync);
    return this.refill(() => this.replica.applyUpdate(result, true), resync);
  }

  /** An update/update2/update3 notification for this monitor. */
  handle(method: string, params: unknown[]): void {
    if (this.closedReason) return;
    if (this.queued) return void this.queued.push([method, params]);
    if (method === "update") this.emit(this.replica.applyUpdate(params[1]));
    else if (method === "update2") this.emit(this.replica.applyUpdate2(params[1]));
    else if (method === "update3") {
      this.lastTxnId = typeof params[1] === "string" ? params[1] : this.lastTxnId;
      this.emit(this.replica.applyUpdate2(params[2]));
    }
  }

  /** Calls listener with every batch of changes (one per notification); returns an unsubscribe. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with check's first non-undefined answer, evaluated now and after every change.
   * Rejects when check throws, on timeout (OvsdbTimeoutError) or when the monitor closes.
   */
  waitFor<T>(check: (replica: Replica) => T | undefined, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closedReason) return reject(this.closedReason);
      const done = (): void => {
        clearTimeout(timer);
        unsubscribe();
        this.closeWaiters.delete(onClose);
      };
      const evaluate = (): void => {
        try {
          const answer = check(this.replica);
          if (answer === undefined) return;
          done();
          resolve(answer);
        } catch (err) {
          done();
          reject(err as Error);
        }
      };
      const onClose = (err: Error): void => (done(), reject(err));
      const timer = setTimeout(() => (done(), reject(new OvsdbTimeoutError(`wait on monitor ${this.id}`, timeoutMs))), timeoutMs);
      const unsubscribe = this.onChange(evaluate);
      this.closeWaiters.add(onClose);
      evaluate();
    });
  }

  /** Stops the monitor on the server (monitor_cancel) and locally. */
  async cancel(): Promise<void> {
    if (this.closedReason) return;
    this.close(new OvsdbTransportError(`monitor ${this.id} cancelled`));
    await this.onCancel(this);
  }

  /** Local end: no more updates; pending waits reject with reason. */
  close(reason: Error): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    for (const waiter of [...this.closeWaiters]) waiter(reason);
    this.listeners.clear();
  }

  private hasRows(): boolean {
    return Object.keys(this.requests).some((t) => this.replica.table(t).size > 0);
  }

  private wireRequests(): Record<string, unknown[]> {
    const wire: Record<string, unknown[]> = {};
    for (const [table, req] of Object.entries(this.requests)) {
      if (req.where && this.method === "monitor") throw new TypeError(`monitor of ${table}: "where" needs monitor_cond`);
      wire[table] = [req];
    }
    return wire;
  }

  /** Replaces the replica's contents; on a resync, rows that disappeared are reported deleted. */
  private refill(apply: () => RowChange[], resync: boolean): void {
    const before = new Map(Object.keys(this.requests).map((t) => [t, new Map(this.replica.table(t))]));
    this.replica.reset();
    const changes = apply();
    if (resync) {
      for (const [table, rows] of before) {
        const now = this.replica.table(table);
        for (const [uuid, row] of rows) if (!now.has(uuid)) changes.push({ table, uuid, kind: "delete", old: row, new: undefined });
      }
    }
    this.emit(changes);
  }

  private emit(changes: RowChange[]): void {
    for (const listener of [...this.listeners]) listener(changes, this);
  }
}
