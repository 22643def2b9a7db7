/**
 * The protocol corners against a real ovsdb-server: locks between two clients (lock, locked,
 * steal, stolen, unlock, assert), monitor_cond_since with update3, the original monitor with
 * update, and the abort operation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OvsSandbox } from "../../../ovs/sandbox.js";
import { OvsdbClient, OvsdbOperationError, PortTable, VSWITCH_DB, op, where } from "../../../ovs/ovsdb/index.js";

describe("OVSDB protocol on a real ovsdb-server", () => {
  let sandbox: OvsSandbox;
  let a: OvsdbClient;
  let b: OvsdbClient;

  beforeAll(async () => {
    sandbox = await OvsSandbox.start({ prefix: "odbp" });
    await sandbox.vsctl("add-br", "br-p", "--", "set", "Bridge", "br-p", "datapath_type=netdev");
    a = await OvsdbClient.connect(sandbox.dbRemote);
    b = await OvsdbClient.connect(sandbox.dbRemote);
  });

  afterAll(async () => {
    a?.close();
    b?.close();
    await sandbox?.stop();
  });

  it("locks: granted, queued, handed over on unlock, stolen, and checked by assert", async () => {
    const notifications: string[] = [];
    a.on("stolen", (id) => notifications.push(`a stolen ${id}`));
    b.on("locked", (id) => notifications.push(`b locked ${id}`));
    const assertOwner = (client: OvsdbClient) => client.transact(VSWITCH_DB, [op.assert("ctl"), op.comment("holder only")]);

    expect(await a.lock("ctl")).toBe(true);
    expect(await b.lock("ctl")).toBe(false);
    await assertOwner(a);
    const notOwner = await assertOwner(b).catch((e: unknown) => e);
    expect(notOwner).toBeInstanceOf(OvsdbOperationError);
    expect(notOwner).toMatchObject({ index: 0, op: "assert", serverError: "not owner" });

    const handedOver = new Promise((resolve) => b.once("locked", resolve));
    await a.unlock("ctl");
    expect(await handedOver).toBe("ctl");
    await assertOwner(b);

    const stolen = new Promise((resolve) => b.once("stolen", resolve));
    await a.steal("ctl");
    expect(await stolen).toBe("ctl");
    await assertOwner(a);
    await a.unlock("ctl");
    expect(notifications).toContain("b locked ctl");
  });

  it("monitor_cond_since replicates and follows update3 notifications", async () => {
    const monitor = await a.monitor(VSWITCH_DB, { Port: { columns: ["name", "tag"], where: [where.eq("name", "sp1")] } }, { method: "monitor_cond_since" });
    expect(monitor.method).toBe("monitor_cond_since");
    expect(typeof monitor.lastTxnId).toBe("string");
    const seen = monitor.waitFor((r) => r.find(PortTable, (p) => p.name === "sp1" && p.tag === 12), 10_000);
    await sandbox.vsctl("--no-wait", "add-port", "br-p", "sp1", "tag=12");
    await sandbox.vsctl("--no-wait", "add-port", "br-p", "sp2", "tag=13"); // filtered out by the condition
    expect((await seen).tag).toBe(12);
    expect(monitor.replica.rows(PortTable).map((p) => p.name)).toEqual(["sp1"]);
    await monitor.cancel();
  });

  it("the original monitor method follows update notifications", async () => {
    const monitor = await a.monitor(VSWITCH_DB, { Port: { columns: ["name", "tag"] } }, { method: "monitor" });
    const retagged = monitor.waitFor((r) => r.find(PortTable, (p) => p.name === "sp1" && p.tag === 99), 10_000);
    await sandbox.vsctl("--no-wait", "set", "Port", "sp1", "tag=99");
    expect((await retagged).name).toBe("sp1");
    const gone = monitor.waitFor((r) => (r.find(PortTable, (p) => p.name === "sp2") ? undefined : true), 10_000);
    await sandbox.vsctl("--no-wait", "del-port", "br-p", "sp2");
    await gone;
    await monitor.cancel();
  });

  it("abort rolls the transaction back and names itself as the failed operation", async () => {
    const err = await a
      .transact(VSWITCH_DB, [op.update("Port", [where.eq("name", "sp1")], { tag: [1] }), op.abort()])
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ index: 1, op: "abort", serverError: "aborted" });
    expect(await sandbox.vsctl("get", "Port", "sp1", "tag")).toBe("99\n");
  });
});
