/**
 * The transport to etcd: its gRPC gateway's JSON API (POST /v3/...) over node:http(s), with
 * keep-alive connections, a time budget per call, and failover across the cluster's endpoints.
 * Why the gateway and not a gRPC client: docs/etcd.md "Client".
 *
 * Retrying on another member is safe when the request certainly did not reach etcd (connection
 * refused, TLS handshake failed, "no leader"). Reads are also retried
 * after a timeout or a broken connection; writes are not, since a member may have proposed the write
 * before failing: the caller gets EtcdUnavailableError (code 11) saying the outcome is unknown.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { StoreError } from "../errors.js";
import { EtcdRequestError, EtcdUnavailableError, requestError, retryOf, type Retry } from "./errors.js";

export interface EtcdTlsOptions {
  /** PEM: the CA that signed the members' certificates. */
  ca?: string | Buffer;
  /** PEM client certificate and key, when etcd requires client certificates. */
  cert?: string | Buffer;
  key?: string | Buffer;
}

export interface GatewayOptions {
  /** Client URLs of the members, e.g. ["http://10.0.0.1:2379", "http://10.0.0.2:2379"]. */
  endpoints: readonly string[];
  /** Time budget of one call, failover and retries included (default 5000 ms). */
  requestTimeoutMs?: number;
  tls?: EtcdTlsOptions;
}

/** Whether a request may be sent again after its outcome became unknown. */
export type RequestKind = "read" | "write";


class AttemptError extends Error {
  constructor(
    readonly retry: Retry,
    message: string,
  ) {
    super(message);
  }
}

const BACKOFF_MS = [0, 50, 100, 200, 400];

function parseEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new StoreError(`etcd endpoint ${JSON.stringify(text)} is not a URL (e.g. http://127.0.0.1:2379)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new StoreError(`etcd endpoint ${text}: only http:// and https:// are supported`);
  return url;
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code && !e.message.includes(e.code) ? `${e.code} ${e.message}` : e.message;
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of res) chunks.push(chunk as Buffer);
  } catch (err) {
    throw new AttemptError("reads-only", `connection lost while reading the answer: ${describe(err)}`);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export class EtcdGateway {
  readonly endpoints: readonly string[];
  private readonly urls: URL[];
  private readonly timeoutMs: number;
  private readonly httpAgent = new http.Agent({ keepAlive: true });
  private readonly httpsAgent: https.Agent;
  private preferred = 0;
  private closed = false;

  constructor(options: GatewayOptions) {
    if (options.endpoints.length === 0) throw new StoreError("etcd store needs at least one endpoint");
    this.urls = options.endpoints.map(parseEndpoint);
    this.endpoints = this.urls.map((u) => u.origin);
    this.timeoutMs = options.requestTimeoutMs ?? 5000;
    this.httpsAgent = new https.Agent({ keepAlive: true, ...options.tls });
  }

  /** A unary call; resolves with etcd's JSON answer. */
  async call<T>(path: string, body: object, kind: RequestKind): Promise<T> {
    return this.withFailover(path, body, kind, {}, async (res, endpoint) => {
      const text = await readBody(res);
      if (res.statusCode !== 200) throw requestError(text, res.statusCode, endpoint);
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new StoreError(`etcd ${endpoint}${path}: answer is not JSON: ${text.slice(0, 200)}`);
      }
    });
  }

  /** A streaming call (watch): resolves with the open response once a member accepted it. */
  async stream(path: string, body: object, signal: AbortSignal): Promise<IncomingMessage> {
    return this.withFailover(path, body, "read", { signal, keepOpen: true }, async (res, endpoint) => {
      if (res.statusCode === 200) return res;
      throw requestError(await readBody(res), res.statusCode, endpoint);
    });
  }

  private async withFailover<R>(
    path: string,
    body: object,
    kind: RequestKind,
    opts: { signal?: AbortSignal; keepOpen?: boolean },
    handle: (res: IncomingMessage, endpoint: string) => Promise<R>,
  ): Promise<R> {
    const payload = JSON.stringify(body);
    const deadline = Date.now() + this.timeoutMs;
    let lastReason = "no attempt made";
    for (let round = 0; ; round++) {
      const first = this.preferred; // fixed for the round: failures below move `preferred` on
      for (let i = 0; i < this.urls.length; i++) {
        if (this.closed) throw new StoreError("etcd store is closed");
        opts.signal?.throwIfAborted();
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new EtcdUnavailableError(this.endpoints, lastReason);
        const index = (first + i) % this.urls.length;
        const url = this.urls[index] as URL;
        const endpoint = this.endpoints[index] as string;
        // A read that hangs (its member lost the leader and waits for one) leaves time to ask another.
        const attemptMs = kind === "read" && this.urls.length > 1 ? Math.min(remaining, Math.max(1000, this.timeoutMs / 2)) : remaining;
        const attempt = this.send(url, path, payload, attemptMs, opts);
        try {
          const result = await handle(await attempt.response, endpoint);
          this.preferred = index;
          return result;
        } catch (err) {
          attempt.done();
          const failure = err instanceof EtcdRequestError ? retryOf(err) : err instanceof AttemptError ? err.retry : undefined;
          if (failure === undefined) throw err;
          const reason = err instanceof EtcdRequestError ? err.etcdMessage : (err as Error).message;
          if (failure === "reads-only" && kind === "write") {
            throw new EtcdUnavailableError(this.endpoints, `${endpoint}: ${reason}; the write may or may not have been applied`, { cause: err });
          }
          lastReason = `${endpoint}: ${reason}`;
          if (this.preferred === index) this.preferred = (index + 1) % this.urls.length;
        } finally {
          if (!opts.keepOpen) attempt.done();
        }
      }
      await new Promise((r) => setTimeout(r, BACKOFF_MS[Math.min(round + 1, BACKOFF_MS.length - 1)]));
    }
  }

  /** One request to one member. The timer runs until done() (unary: after the body is read). */
  private send(url: URL, path: string, payload: string, timeoutMs: number, opts: { signal?: AbortSignal; keepOpen?: boolean }) {
    const secure = url.protocol === "https:";
    const req = (secure ? https : http).request(new URL(path, url), {
      method: "POST",
      agent: secure ? this.httpsAgent : this.httpAgent,
      // "hasleader": a member that knows it has no leader refuses at once ("no leader", safe to retry
      // elsewhere) instead of queueing the request; it also ends a watch stream when it loses its leader.
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), "grpc-metadata-hasleader": "true" },
    });
    let connected = false;
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    const onAbort = () => req.destroy(new Error("aborted"));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    };
    const response = new Promise<IncomingMessage>((resolve, reject) => {
      req.on("socket", (socket) => {
        socket.setKeepAlive(true, 5000);
        if (!socket.connecting) connected = true;
        else socket.once(secure ? "secureConnect" : "connect", () => (connected = true));
      });
      req.on("error", (err: NodeJS.ErrnoException) => {
        // Not connected: the request never left. A reset on a reused keep-alive socket is, as
        // Node's documentation says, almost always the member having closed (or died with) that
        // idle connection before our request arrived: safe to send elsewhere. A reset on a fresh
        // connection may follow a member that read the request and died: outcome unknown.
        const staleKeepAlive = req.reusedSocket && (err.code === "ECONNRESET" || err.code === "EPIPE");
        reject(new AttemptError(connected && !staleKeepAlive ? "reads-only" : "safe", describe(err)));
      });
      req.on("response", (res) => {
        if (opts.keepOpen) {
          clearTimeout(timer);
          res.once("close", done);
        }
        resolve(res);
      });
    });
    req.end(payload);
    return { response, done, request: req };
  }

  close(): void {
    this.closed = true;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
