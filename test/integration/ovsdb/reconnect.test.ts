/**
 * ovsdb-server restarted under a live client: a call in flight fails with a transport error, the
 * client reconnects by itself, re-creates its monitor, and the replica is refilled from the new
 * server (including a change made to the database file while the server was down).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../../ovs/exec.js";
import { OvsSandbox } from "../../../ovs/sandbox.js";
import { op, OvsdbClient, OvsdbTransportError, PortTable, VSWITCH_DB, where, type RowChange } from "../../../ovs/ovsdb/index.js";

describe("OVSDB client across an ovsdb-server restart", () => {
  let sandbox: OvsSandbox;
  let client: OvsdbClient;

  beforeAll(async () => {
    sandbox = await OvsSandbox.start({ prefix: "odbr" });
    await sandbox.vsctl("add-br", "br-r", "--", "set", "Bridge", "br-r", "datapath_type=netdev");
    await sandbox.vsctl("--no-wait", "add-port", "br-r", "p1", "tag=10");
    client = await OvsdbClient.connect(sandbox.dbRemote, { reconnect: { initialDelayMs: 50, maxDelayMs: 500 }, timeoutMs: 10_000 });
  });

  afterAll(async () => {
    client?.close();
    await sandbox?.stop();
  });

  it("reconnects and the monitor resumes with a refilled replica", async () => {
    const monitor = await client.monitor(VSWITCH_DB, { Port: { columns: ["name", "tag"] } });
    const tagOf = (name: string) => monitor.replica.find(PortTable, (p) => p.name === name)?.tag;
    expect(tagOf("p1")).toBe(10);
    const changes: RowChange[] = [];
    monitor.onChange((c) => changes.push(...c));
    const events: string[] = [];
    client.on("disconnected", () => events.push("disconnected"));
    const reconnected = new Promise<void>((resolve) => client.once("reconnected", resolve));

    // A transaction the server holds (a wait that cannot be met for 60 s) is in flight during the stop.
    const held = client
      .transact(VSWITCH_DB, [
        op.wait("Port", { where: [where.eq("name", "p1")], columns: ["tag"], until: "==", rows: [{ tag: 999 }], timeout: 60_000 }),
      ])
      .catch((e: unknown) => e);
    await sandbox.stopOvsdbServer();
    expect(await held).toBeInstanceOf(OvsdbTransportError);
    // Changed behind the server's back: only a full resync can show it.
    const txn = JSON.stringify([VSWITCH_DB, { op: "update", table: "Port", where: [["name", "==", "p1"]], row: { tag: 20 } }]);
    await run("ovsdb-tool", ["transact", join(sandbox.dir, "conf.db"), txn]);
    await sandbox.startOvsdbServer();
    await reconnected;

    expect(events[0]).toBe("disconnected");
    expect(tagOf("p1")).toBe(20);
    expect(changes.some((c) => c.kind === "initial" && c.new?.name === "p1")).toBe(true);

    // And live updates flow again on the new connection.
    const added = monitor.waitFor((r) => r.find(PortTable, (p) => p.name === "p2"), 10_000);
    await sandbox.vsctl("--no-wait", "add-port", "br-r", "p2", "tag=30");
    expect((await added).tag).toBe(30);
    expect(await client.listDbs()).toContain(VSWITCH_DB);
  });
});
