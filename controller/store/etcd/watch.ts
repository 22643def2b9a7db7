/**
 * Watching etcd through the gateway's streaming POST /v3/watch: one watch per stream, events in
 * revision order. A stream that breaks (member killed, leader lost) is reopened on the next member
 * from the revision after the last one delivered, so nothing is missed or repeated; while no member
 * answers it keeps retrying until aborted. History compacted away ends it with StoreCompactedError.
 */
import { StoreCompactedError, StoreError } from "../errors.js";
import type { WatchEvent } from "../types.js";
import type { WatchMessage, WatchResult } from "./api.js";
import { decodeValue, int64, LineSplitter, type KeySpace } from "./codec.js";
import { EtcdUnavailableError, GrpcCode } from "./errors.js";
import type { EtcdGateway } from "./gateway.js";

export interface WatchLogger {
  warn(obj: object, msg: string): void;
}

export interface EtcdWatchContext {
  gateway: EtcdGateway;
  keys: KeySpace;
  /** Aborted when the store closes. */
  closing: AbortSignal;
  /** Called with every revision etcd reports. */
  observe(revision: number): void;
  logger?: WatchLogger | undefined;
}

const RETRY_MS = [100, 200, 500, 1000, 2000];

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** The events of one result, in order, as store events. */
export function eventsOf<T>(keys: KeySpace, result: WatchResult): WatchEvent<T>[] {
  const events: WatchEvent<T>[] = [];
  for (const ev of result.events ?? []) {
    const key = keys.storeKey(ev.kv?.key);
    if (key === undefined) continue;
    const revision = int64(ev.kv?.mod_revision);
    events.push(ev.type === "DELETE" ? { type: "delete", key, revision } : { type: "put", key, value: decodeValue(ev.kv?.value, key) as T, revision });
  }
  return events;
}

/** "no leader" and timeouts end a stream that another member can continue; anything else is final. */
function streamError(error: { grpc_code?: number; message?: string }, line: string): Error {
  const text = `etcd watch: ${error.message ?? line}`;
  return error.grpc_code === GrpcCode.Unavailable || error.grpc_code === GrpcCode.DeadlineExceeded ? new Error(text) : new StoreError(text);
}

export async function* watchEtcd<T>(ctx: EtcdWatchContext, prefix: string, fromRevision: number, userSignal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
  const signal = userSignal ? AbortSignal.any([ctx.closing, userSignal]) : ctx.closing;
  let next = Math.max(1, fromRevision);
  let failures = 0;
  while (!signal.aborted) {
    // One stream per connection, so that ending this generator early closes exactly this stream.
    const connection = new AbortController();
    const stop = () => connection.abort();
    signal.addEventListener("abort", stop, { once: true });
    try {
      const res = await ctx.gateway.stream("/v3/watch", { create_request: { ...ctx.keys.range(prefix), start_revision: String(next) } }, connection.signal);
      const splitter = new LineSplitter();
      for await (const chunk of res) {
        for (const line of splitter.push(chunk as Buffer)) {
          const message = JSON.parse(line) as WatchMessage;
          if (message.error) throw streamError(message.error, line);
          const result = message.result ?? {};
          const compacted = int64(result.compact_revision);
          if (compacted > 0) throw new StoreCompactedError(next, compacted);
          if (result.canceled) throw new StoreError(`etcd cancelled the watch: ${result.cancel_reason ?? "no reason given"}`);
          if (result.header?.revision) ctx.observe(int64(result.header.revision));
          failures = 0;
          for (const event of eventsOf<T>(ctx.keys, result)) {
            yield event;
            next = Math.max(next, event.revision + 1);
          }
        }
      }
      if (signal.aborted) break;
      ctx.logger?.warn({ next }, "etcd watch stream ended; reopening");
      await sleep(RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)] as number, signal);
    } catch (err) {
      if (signal.aborted) break;
      if (err instanceof StoreCompactedError) throw err;
      const retriable = err instanceof EtcdUnavailableError || (err instanceof Error && !(err instanceof StoreError));
      if (!retriable) throw err;
      ctx.logger?.warn({ next, err: (err as Error).message }, "etcd watch interrupted; retrying");
      await sleep(RETRY_MS[Math.min(failures++, RETRY_MS.length - 1)] as number, signal);
    } finally {
      signal.removeEventListener("abort", stop);
      connection.abort();
    }
  }
}
