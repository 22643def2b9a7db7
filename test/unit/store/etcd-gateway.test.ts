/**
 * The gateway client's failover rules, against small HTTP servers on loopback that answer like
 * etcd members in states a real cluster shows only by chance (no leader, a timed-out proposal, a
 * member that never answers). The real-etcd behaviour is in test/integration/etcd/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { CniCode } from "../../../plugin/cni/errors.js";
import { EtcdRequestError, EtcdUnavailableError } from "../../../controller/store/etcd/errors.js";
import { EtcdGateway } from "../../../controller/store/etcd/gateway.js";

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;

interface Member {
  url: string;
  requests: { path: string; hasleader: string | undefined }[];
}

const servers: Server[] = [];
const gateways: EtcdGateway[] = [];

async function member(behaviour: Behaviour): Promise<Member> {
  const requests: Member["requests"] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      requests.push({ path: req.url ?? "", hasleader: req.headers["grpc-metadata-hasleader"] as string | undefined });
      behaviour(req, res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

/** A URL nobody listens on. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await new Promise((r) => server.close(r));
  return url;
}

const ok: Behaviour = (_req, res) => res.end(JSON.stringify({ header: { revision: "7" } }));
const grpcError = (code: number, message: string, status = 503): Behaviour => (_req, res) => {
  res.statusCode = status;
  res.end(JSON.stringify({ error: message, message, code }));
};
const silent: Behaviour = () => undefined;

function gateway(endpoints: string[], requestTimeoutMs = 2000): EtcdGateway {
  const g = new EtcdGateway({ endpoints, requestTimeoutMs });
  gateways.push(g);
  return g;
}

afterEach(async () => {
  for (const g of gateways.splice(0)) g.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe("etcd gateway failover", () => {
  it("skips a refused endpoint, then starts at the one that answered", async () => {
    const good = await member(ok);
    const g = gateway([await deadUrl(), good.url]);
    expect(await g.call("/v3/kv/range", {}, "read")).toEqual({ header: { revision: "7" } });
    await g.call("/v3/kv/txn", {}, "write");
    expect(good.requests.map((r) => r.path)).toEqual(["/v3/kv/range", "/v3/kv/txn"]);
    expect(good.requests.every((r) => r.hasleader === "true")).toBe(true);
  });

  it("retries a write that a member refused with 'no leader' on the next member", async () => {
    const leaderless = await member(grpcError(14, "etcdserver: no leader"));
    const good = await member(ok);
    await gateway([leaderless.url, good.url]).call("/v3/kv/txn", {}, "write");
    expect([leaderless.requests.length, good.requests.length]).toEqual([1, 1]);
  });

  it("a write whose proposal timed out is not sent again: code 11, outcome unknown; a read moves on", async () => {
    const timedOut = await member(grpcError(14, "etcdserver: request timed out"));
    const good = await member(ok);
    const g = gateway([timedOut.url, good.url]);
    const write = g.call("/v3/kv/txn", {}, "write");
    await expect(write).rejects.toBeInstanceOf(EtcdUnavailableError);
    await expect(write).rejects.toMatchObject({ code: CniCode.TryAgainLater, message: expect.stringMatching(/may or may not have been applied/) });
    expect(good.requests).toHaveLength(0);
    await g.call("/v3/kv/range", {}, "read");
    expect(good.requests).toHaveLength(1);
  });

  it("a member that never answers: a write fails when the budget is spent, a read asks the next member", async () => {
    const hung = await member(silent);
    const good = await member(ok);
    const g = gateway([hung.url, good.url], 2400);
    await expect(g.call("/v3/kv/txn", {}, "write")).rejects.toMatchObject({ code: CniCode.TryAgainLater, message: expect.stringMatching(/no answer within/) });
    expect(good.requests).toHaveLength(0);
    const g2 = gateway([hung.url, good.url], 2400);
    await g2.call("/v3/kv/range", {}, "read"); // the first attempt gets half the budget
    expect(good.requests).toHaveLength(1);
  });

  it("etcd refusing a request is final: EtcdRequestError with etcd's message and code", async () => {
    const refusing = await member(grpcError(3, "etcdserver: request is too large", 400));
    const good = await member(ok);
    const failure = gateway([refusing.url, good.url]).call("/v3/kv/put", {}, "write");
    await expect(failure).rejects.toBeInstanceOf(EtcdRequestError);
    await expect(failure).rejects.toMatchObject({ grpcCode: 3, code: CniCode.IoFailure, message: expect.stringMatching(/request is too large/) });
    expect(good.requests).toHaveLength(0);
  });

  it("nobody reachable: code 11 naming every endpoint, after the budget", async () => {
    const [a, b] = [await deadUrl(), await deadUrl()];
    const failure = gateway([a, b], 300).call("/v3/kv/range", {}, "read");
    await expect(failure).rejects.toMatchObject({ code: CniCode.TryAgainLater, message: expect.stringContaining(`${a}, ${b}`) });
  });

  it("rejects endpoints that are not http(s) URLs", () => {
    expect(() => new EtcdGateway({ endpoints: ["127.0.0.1:2379"] })).toThrow(/not a URL|only http/);
    expect(() => new EtcdGateway({ endpoints: ["unix:///run/etcd.sock"] })).toThrow(/only http/);
    expect(() => new EtcdGateway({ endpoints: [] })).toThrow(/at least one endpoint/);
  });
});
