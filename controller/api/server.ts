/**
 * HTTP + JSON on a unix socket. Routes are data: method, a path pattern with named groups, a
 * handler. Handlers throw CniError; the server turns it into an error body and an HTTP status.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { chmodSync, mkdirSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { CniCode, CniError, asCniError } from "../../plugin/cni/errors.js";
import type { ApiErrorBody } from "./protocol.js";

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}

export interface Route {
  method: "GET" | "POST" | "PUT" | "DELETE";
  /** e.g. /^\/v1\/attachments\/(?<containerId>[^/]+)\/(?<ifname>[^/]+)$/ */
  path: RegExp;
  handler: (req: RouteRequest) => Promise<unknown>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function httpStatusOf(code: number): number {
  switch (code) {
    case CniCode.UnknownContainer:
      return 404;
    case CniCode.InvalidConfig:
    case CniCode.InvalidDefinition:
    case CniCode.DecodeFailure:
    case CniCode.UnsupportedField:
      return 400;
    case CniCode.IpamFailure:
      return 409;
    case CniCode.TryAgainLater:
    case CniCode.PluginNotAvailable:
      return 503;
    default:
      return 500;
  }
}

export class ApiServer {
  private readonly server: Server;

  constructor(
    private readonly routes: readonly Route[],
    private readonly onError: (err: CniError, method: string, path: string) => void = () => undefined,
  ) {
    this.server = createServer((req, res) => void this.dispatch(req, res));
  }

  /** Listens on a unix socket readable by root only; a stale socket file is replaced. */
  async listen(socketPath: string): Promise<void> {
    mkdirSync(dirname(socketPath), { recursive: true });
    rmSync(socketPath, { force: true });
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(socketPath, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    chmodSync(socketPath, 0o600);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://controller");
    const method = req.method ?? "GET";
    try {
      const { route, params } = this.match(method, url.pathname);
      const body = await readJsonBody(req);
      const result = await route.handler({ params, query: url.searchParams, body });
      if (result === undefined) {
        res.writeHead(204).end();
      } else {
        const text = JSON.stringify(result);
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
      }
    } catch (thrown) {
      const err = asCniError(thrown);
      this.onError(err, method, url.pathname);
      const body: ApiErrorBody = { code: err.code, msg: err.message };
      if (err.details) body.details = err.details;
      const text = JSON.stringify(body);
      res.writeHead(httpStatusOf(err.code), { "content-type": "application/json" }).end(text);
    }
  }

  private match(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    let pathKnown = false;
    for (const route of this.routes) {
      const m = route.path.exec(pathname);
      if (!m) continue;
      pathKnown = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      for (const [key, value] of Object.entries(m.groups ?? {})) params[key] = decodeURIComponent(value);
      return { route, params };
    }
    throw new CniError(CniCode.InvalidConfig, pathKnown ? `method ${method} not allowed on ${pathname}` : `no such API path: ${pathname}`);
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new CniError(CniCode.InvalidConfig, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch (err) {
    throw new CniError(CniCode.DecodeFailure, `request body is not valid JSON: ${(err as Error).message}`);
  }
}
