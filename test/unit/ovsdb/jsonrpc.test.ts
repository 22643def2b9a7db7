import { describe, expect, it } from "vitest";
import { CniCode } from "../../../plugin/cni/errors.js";
import { OvsdbProtocolError, OvsdbRpcError, OvsdbTimeoutError, OvsdbTransportError } from "../../../ovs/ovsdb/errors.js";
import { JsonRpcConnection } from "../../../ovs/ovsdb/jsonrpc.js";
import { duplexPair, FakeServer } from "./fake-server.js";

function setup(handlers = {}, timeoutMs = 1000) {
  const [clientSide, serverSide] = duplexPair();
  const conn = new JsonRpcConnection(clientSide, handlers, { timeoutMs });
  const server = new FakeServer(serverSide);
  return { conn, server };
}

describe("JsonRpcConnection", () => {
  it("matches replies to requests by id, whatever order and chunking they arrive in", async () => {
    const { conn, server } = setup();
    const a = conn.request("list_dbs", []);
    const b = conn.request("get_schema", ["Open_vSwitch"]);
    const [ma, mb] = await Promise.all([server.next((m) => m.method === "list_dbs"), server.next((m) => m.method === "get_schema")]);
    expect(ma).toEqual({ method: "list_dbs", params: [], id: 1 });
    const text = JSON.stringify({ id: mb.id, result: { name: "Open_vSwitch" }, error: null }) + JSON.stringify({ id: ma.id, result: ["x"], error: null });
    server.sendRaw(text.slice(0, 7));
    server.sendRaw(text.slice(7, 40));
    server.sendRaw(text.slice(40));
    expect(await a).toEqual(["x"]);
    expect(await b).toEqual({ name: "Open_vSwitch" });
    conn.close();
  });

  it("sends requests issued together in one write (pipelining)", async () => {
    const { conn, server } = setup();
    void conn.request("echo", [1]).catch(() => undefined);
    void conn.request("echo", [2]).catch(() => undefined);
    await server.next((m) => m.id === 2);
    expect(server.messagesPerChunk).toEqual([2]);
    conn.close();
  });

  it("rejects a call with OvsdbTimeoutError when no reply comes, and ignores a late reply", async () => {
    const { conn, server } = setup({}, 30);
    const call = conn.request("transact", ["Open_vSwitch"]);
    await expect(call).rejects.toBeInstanceOf(OvsdbTimeoutError);
    await expect(call).rejects.toMatchObject({ code: CniCode.TryAgainLater, method: "transact" });
    expect(conn.pendingCount).toBe(0);
    server.send({ id: 1, result: [], error: null });
    expect(conn.isClosed).toBe(false);
    conn.close();
  });

  it("rejects every pending call when the server closes the connection", async () => {
    const { conn, server } = setup();
    const calls = [conn.request("transact", []), conn.request("monitor_cond", [])];
    await server.next((m) => m.method === "monitor_cond");
    server.close();
    for (const call of calls) await expect(call).rejects.toBeInstanceOf(OvsdbTransportError);
    expect(await conn.closed).toBeInstanceOf(OvsdbTransportError);
    await expect(conn.request("list_dbs", [])).rejects.toBeInstanceOf(OvsdbTransportError);
  });

  it("rejects every pending call when the client closes", async () => {
    const { conn } = setup();
    const call = conn.request("transact", []);
    conn.close();
    await expect(call).rejects.toThrow(/closed by the client/);
  });

  it("maps an error reply to OvsdbRpcError carrying the server's error", async () => {
    const { conn, server } = setup();
    server.on("get_schema", () => ({ __error: { error: "unknown database", details: "no db nope" } }));
    const err = await conn.request("get_schema", ["nope"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbRpcError);
    expect(err).toMatchObject({ code: CniCode.OvsdbFailure, rpcError: { error: "unknown database" } });
    expect(String(err)).toContain("unknown database: no db nope");
    conn.close();
  });

  it("answers the server's requests through onRequest and refuses unknown ones", async () => {
    const { conn, server } = setup({ onRequest: (method: string, params: unknown[]) => (method === "echo" ? params : undefined) });
    server.send({ method: "echo", params: ["ping", 1], id: "echo" });
    const reply = await server.next((m) => m.id === "echo" && m.method === undefined);
    expect(reply).toEqual({ id: "echo", result: ["ping", 1], error: null });
    conn.close();

    const bare = setup();
    bare.server.send({ method: "whatever", params: [], id: 9 });
    expect(await bare.server.next((m) => m.id === 9)).toMatchObject({ result: null, error: { error: "unknown method" } });
    bare.conn.close();
  });

  it("hands notifications to onNotification", async () => {
    const seen: unknown[] = [];
    const { conn, server } = setup({ onNotification: (method: string, params: unknown[]) => seen.push([method, params]) });
    server.send({ method: "locked", params: ["l1"], id: null });
    server.send({ method: "update2", params: ["m1", {}] });
    await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual([["locked", ["l1"]], ["update2", ["m1", {}]]]);
    conn.close();
  });

  it("closes with OvsdbProtocolError on garbage, rejecting pending calls", async () => {
    const { conn, server } = setup();
    const call = conn.request("list_dbs", []);
    server.sendRaw("HTTP/1.1 400 Bad Request\r\n");
    await expect(call).rejects.toBeInstanceOf(OvsdbProtocolError);
    expect(await conn.closed).toBeInstanceOf(OvsdbProtocolError);
  });
});
