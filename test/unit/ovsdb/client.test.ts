import { describe, expect, it } from "vitest";
import { CniCode } from "../../../plugin/cni/errors.js";
import { OvsdbClient } from "../../../ovs/ovsdb/client.js";
import { OvsdbOperationError, OvsdbRpcError, OvsdbTransportError } from "../../../ovs/ovsdb/errors.js";
import { op, where } from "../../../ovs/ovsdb/ops.js";
import { InterfaceTable, OpenVSwitchTable, PortTable } from "../../../ovs/ovsdb/rows.js";
import type { RowChange } from "../../../ovs/ovsdb/replica.js";
import { duplexPair, FakeServer } from "./fake-server.js";

/** A client whose every (re)connection reaches a fresh FakeServer, set up by `script`. */
async function connect(script: (server: FakeServer, n: number) => void, options = {}) {
  const servers: FakeServer[] = [];
  const client = await OvsdbClient.overStreams(async () => {
    const [clientSide, serverSide] = duplexPair();
    const server = new FakeServer(serverSide);
    servers.push(server);
    script(server, servers.length);
    return clientSide;
  }, { timeoutMs: 2000, ...options });
  return { client, servers };
}

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe("OvsdbClient over an in-memory stream", () => {
  it("lists databases and answers the server's echo", async () => {
    const { client, servers } = await connect((s) => s.on("list_dbs", () => ["Open_vSwitch", "_Server"]));
    expect(await client.listDbs()).toEqual(["Open_vSwitch", "_Server"]);
    servers[0]?.send({ method: "echo", params: [], id: "echo" });
    expect(await servers[0]?.next((m) => m.id === "echo" && !m.method)).toEqual({ id: "echo", result: [], error: null });
    client.close();
  });

  it("names the failing operation: index, op, table, server error and details", async () => {
    const { client } = await connect((s) =>
      s.on("transact", () => [{}, { error: "constraint violation", details: "Transaction causes multiple rows in \"Port\" table to have identical values (p1) for index on column \"name\"." }]),
    );
    const ops = [op.comment("x"), op.insert("Port", { name: "p1" })];
    const err = await client.transact("Open_vSwitch", ops, { hints: { 1: 'port "p1" already exists' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsdbOperationError);
    expect(err).toMatchObject({ code: CniCode.OvsdbFailure, index: 1, op: "insert", table: "Port", serverError: "constraint violation" });
    expect(String(err)).toMatch(/operation 1 \(insert on Port\): port "p1" already exists \(constraint violation: Transaction causes/);
    client.close();
  });

  it("reports a commit failure (the extra result element) as op 'commit'", async () => {
    const { client } = await connect((s) => s.on("transact", () => [{ uuid: ["uuid", "u"] }, { error: "referential integrity violation", details: "d" }]));
    const err = await client.transact("Open_vSwitch", [op.insert("Port", { name: "p" })]).catch((e: unknown) => e);
    expect(err).toMatchObject({ index: 1, op: "commit", table: undefined, serverError: "referential integrity violation" });
    client.close();
  });

  it("applies the monitor_cond reply and update2 notifications to a typed replica", async () => {
    const { client, servers } = await connect((s) =>
      s.on("monitor_cond", () => ({ Interface: { i1: { initial: { name: "veth1", external_ids: ["map", [["k", "v"]]] } } } })),
    );
    const monitor = await client.monitor("Open_vSwitch", { Interface: { where: [where.eq("name", "veth1")] } });
    const request = await servers[0]!.next((m) => m.method === "monitor_cond");
    // Typed tables need no get_schema; their columns are requested explicitly.
    expect(request.params?.[0]).toBe("Open_vSwitch");
    expect((request.params?.[2] as Record<string, [{ columns: string[]; where: unknown }]>).Interface?.[0]).toMatchObject({
      columns: expect.arrayContaining(["name", "ofport", "error", "external_ids"]) as unknown,
      where: [["name", "==", "veth1"]],
    });
    expect(monitor.replica.rows(InterfaceTable)).toMatchObject([{ uuid: "i1", name: "veth1", ofport: undefined, externalIds: { k: "v" } }]);

    const seen: RowChange[][] = [];
    monitor.onChange((changes) => seen.push(changes));
    const filled = monitor.waitFor((r) => r.get(InterfaceTable, "i1")?.ofport, 1000);
    servers[0]!.notify("update2", [monitor.id, { Interface: { i1: { modify: { ofport: 3 } } } }]);
    servers[0]!.notify("update2", ["another-monitor", { Interface: { i1: { modify: { ofport: 99 } } } }]);
    expect(await filled).toBe(3);
    expect(seen[0]?.[0]).toMatchObject({ table: "Interface", uuid: "i1", kind: "modify" });
    client.close();
  });

  it("applies an update2 that arrives in the same chunk as the monitor_cond reply after the reply", async () => {
    const { client } = await connect((s) =>
      s.on("monitor_cond", (_params, msg) => {
        // Reply and the next notification in one write, as ovsdb-server may send them.
        const id = (msg.params as unknown[])[1];
        s.sendRaw(
          JSON.stringify({ id: msg.id, result: { Open_vSwitch: { o: { initial: { cur_cfg: 4 } } } }, error: null }) +
            JSON.stringify({ method: "update2", params: [id, { Open_vSwitch: { o: { modify: { cur_cfg: 5 } } } }], id: null }),
        );
        return undefined;
      }),
    );
    const monitor = await client.monitor("Open_vSwitch", { Open_vSwitch: { columns: ["cur_cfg"] } });
    expect(monitor.replica.rows(OpenVSwitchTable)[0]?.curCfg).toBe(5);
    client.close();
  });

  it("falls back from monitor_cond_since to monitor_cond on a server without it", async () => {
    const { client, servers } = await connect((s) =>
      s
        .on("monitor_cond_since", () => ({ __error: { error: "unknown method" } }))
        .on("monitor_cond", () => ({ Port: { p: { initial: { name: "p" } } } })),
    );
    const monitor = await client.monitor("Open_vSwitch", { Port: {} }, { method: "monitor_cond_since" });
    expect(monitor.method).toBe("monitor_cond");
    expect(monitor.replica.rows(PortTable).map((p) => p.name)).toEqual(["p"]);
    expect(servers[0]!.received.map((m) => m.method)).toEqual(["monitor_cond_since", "monitor_cond"]);
    client.close();
  });

  it("keeps monitor_cond_since state: last transaction id from the reply and update3", async () => {
    const { client, servers } = await connect((s) =>
      s.on("monitor_cond_since", () => [false, "txn-1", { Port: { p: { initial: { name: "p", tag: 5 } } } }]),
    );
    const monitor = await client.monitor("Open_vSwitch", { Port: {} }, { method: "monitor_cond_since" });
    expect(monitor.lastTxnId).toBe("txn-1");
    const changed = monitor.waitFor((r) => (r.get(PortTable, "p")?.tag === 6 ? true : undefined), 1000);
    servers[0]!.notify("update3", [monitor.id, "txn-2", { Port: { p: { modify: { tag: ["set", [5, 6]] } } } }]);
    await changed;
    expect(monitor.lastTxnId).toBe("txn-2");
    client.close();
  });

  it("fetches the schema for tables it has no type for", async () => {
    const schema = { name: "OVN", version: "1", tables: { Foo: { columns: { bar: { type: { key: "string", min: 0, max: "unlimited" } } } } } };
    const { client, servers } = await connect((s) =>
      s.on("get_schema", () => schema).on("monitor_cond", () => ({ Foo: { f: { initial: { bar: ["set", ["a", "b"]] } } } })),
    );
    const monitor = await client.monitor("OVN", { Foo: {} });
    servers[0]!.notify("update2", [monitor.id, { Foo: { f: { modify: { bar: "a" } } } }]);
    await tick();
    expect(monitor.replica.table("Foo").get("f")?.bar).toEqual(["b"]);
    client.close();
  });

  it("reports locks granted later (locked) and taken away (stolen)", async () => {
    const { client, servers } = await connect((s) => s.on("lock", () => ({ locked: false })).on("unlock", () => ({})));
    const events: string[] = [];
    client.on("locked", (id) => events.push(`locked ${id}`));
    client.on("stolen", (id) => events.push(`stolen ${id}`));
    expect(await client.lock("ctl")).toBe(false);
    servers[0]!.notify("locked", ["ctl"]);
    servers[0]!.notify("stolen", ["ctl"]);
    await tick();
    expect(events).toEqual(["locked ctl", "stolen ctl"]);
    await client.unlock("ctl");
    client.close();
  });

  it("rejects calls with OvsdbRpcError when the server refuses the method", async () => {
    const { client } = await connect((s) => s.on("get_schema", () => ({ __error: { error: "unknown database" } })));
    await expect(client.getSchema("nope")).rejects.toBeInstanceOf(OvsdbRpcError);
    client.close();
  });

  it("reconnects, rejects what was pending, re-creates monitors and refills the replica", async () => {
    const { client, servers } = await connect(
      (s, n) => {
        s.on("monitor_cond", () =>
          n === 1
            ? { Port: { a: { initial: { name: "a" } }, b: { initial: { name: "b" } } } }
            : { Port: { b: { initial: { name: "b", tag: 7 } }, c: { initial: { name: "c" } } } },
        );
        s.on("list_dbs", () => (n === 1 ? undefined : ["Open_vSwitch"]));
      },
      { reconnect: { initialDelayMs: 5, maxDelayMs: 20 } },
    );
    const monitor = await client.monitor("Open_vSwitch", { Port: {} });
    const changes: RowChange[] = [];
    monitor.onChange((c) => changes.push(...c));
    const events: string[] = [];
    client.on("disconnected", () => events.push("disconnected"));
    const reconnected = new Promise<void>((resolve) => client.on("reconnected", () => (events.push("reconnected"), resolve())));

    const pending = client.listDbs(); // server 1 never answers this
    await servers[0]!.next((m) => m.method === "list_dbs");
    servers[0]!.close();
    await expect(pending).rejects.toBeInstanceOf(OvsdbTransportError);
    await reconnected;

    const again = await servers[1]!.next((m) => m.method === "monitor_cond");
    expect(again.params?.[1]).toBe(monitor.id);
    expect(monitor.replica.rows(PortTable).map((p) => [p.name, p.tag])).toEqual([["b", 7], ["c", undefined]]);
    expect(changes.filter((c) => c.kind === "delete").map((c) => c.uuid)).toEqual(["a"]);
    expect(events).toEqual(["disconnected", "reconnected"]);
    expect(await client.listDbs()).toEqual(["Open_vSwitch"]);
    client.close();
  });

  it("without reconnect, a dropped connection closes the client and its monitors' waits", async () => {
    const { client, servers } = await connect((s) => s.on("monitor_cond", () => ({})));
    const monitor = await client.monitor("Open_vSwitch", { Port: {} });
    const waiting = monitor.waitFor(() => undefined, 5000);
    const closed = new Promise((resolve) => client.on("closed", resolve));
    servers[0]!.close();
    await expect(waiting).rejects.toBeInstanceOf(OvsdbTransportError);
    expect(await closed).toBeInstanceOf(OvsdbTransportError);
    await expect(client.listDbs()).rejects.toBeInstanceOf(OvsdbTransportError);
  });

  it("keepalive: sends echo after silence and drops a server that does not answer", async () => {
    const { client, servers } = await connect(() => undefined, { keepaliveMs: 20 });
    const closed = new Promise<OvsdbTransportError>((resolve) => client.on("closed", resolve));
    await servers[0]!.next((m) => m.method === "echo");
    expect((await closed).message).toMatch(/sent nothing for 40 ms/);
  });

  it("keepalive: a server that answers echo keeps the connection", async () => {
    const { client, servers } = await connect((s) => s.on("echo", (params) => params), { keepaliveMs: 10 });
    await tick(80);
    expect(servers[0]!.received.filter((m) => m.method === "echo").length).toBeGreaterThan(1);
    expect(client.connected).toBe(true);
    client.close();
  });
});
