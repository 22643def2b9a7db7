import { describe, expect, it } from "vitest";
import { CniCode } from "../../../plugin/cni/errors.js";
import { OvsdbClient } from "../../../ovs/ovsdb/client.js";
import { OvsApplyError } from "../../../ovs/ovsdb/errors.js";
import { Replica } from "../../../ovs/ovsdb/replica.js";
import { InterfaceTable, OpenVSwitchTable } from "../../../ovs/ovsdb/rows.js";
import { addAccessPortAndWait, appliedState } from "../../../ovs/ovsdb/vswitch-wait.js";
import { duplexPair, FakeServer, type WireMessage } from "./fake-server.js";

function replicaWith(curCfg: number, iface?: Record<string, unknown>): Replica {
  const replica = new Replica({ Open_vSwitch: OpenVSwitchTable.columns, Interface: InterfaceTable.columns });
  replica.applyUpdate2({ Open_vSwitch: { o: { initial: { cur_cfg: curCfg } } }, ...(iface ? { Interface: { i: { initial: iface } } } : {}) });
  return replica;
}

describe("appliedState (the wait condition)", () => {
  it("waits for cur_cfg, then for an ofport", () => {
    expect(appliedState(replicaWith(4), { nextCfg: 5 })).toBeUndefined();
    expect(appliedState(replicaWith(5), { nextCfg: 5 })).toEqual({ curCfg: 5, ofport: undefined });
    expect(appliedState(replicaWith(6, { name: "v" }), { nextCfg: 5, interfaceName: "v" })).toBeUndefined();
    expect(appliedState(replicaWith(6, { name: "v", ofport: 3 }), { nextCfg: 5, interfaceName: "v" })).toEqual({ curCfg: 6, ofport: 3 });
    expect(appliedState(replicaWith(4, { name: "v", ofport: 3 }), { nextCfg: 5, interfaceName: "v" })).toBeUndefined();
  });

  it("reports ofport -1 and Interface.error as OvsApplyError with the error string", () => {
    const failed = () => appliedState(replicaWith(5, { name: "v", ofport: -1, error: "could not open network device v (No such device)" }), { nextCfg: 5, interfaceName: "v" });
    expect(failed).toThrow(OvsApplyError);
    try {
      failed();
    } catch (err) {
      expect(err).toMatchObject({ code: CniCode.OvsApplyFailure, interfaceError: "could not open network device v (No such device)", ofport: -1 });
    }
    expect(() => appliedState(replicaWith(5, { name: "v", ofport: -1 }), { nextCfg: 5, interfaceName: "v" })).toThrow(/ofport -1/);
    expect(() => appliedState(replicaWith(5), { nextCfg: 5, interfaceName: "v" })).toThrow(/does not exist/);
  });
});

describe("addAccessPortAndWait over an in-memory server", () => {
  it("pipelines monitor_cond and transact in one write, then resolves from update2 notifications", async () => {
    let server!: FakeServer;
    const client = await OvsdbClient.overStreams(async () => {
      const [c, s] = duplexPair();
      server = new FakeServer(s);
      server.on("monitor_cond", () => ({ Open_vSwitch: { o: { initial: { cur_cfg: 4 } } } }));
      server.on("transact", () => [{}, {}, { uuid: ["uuid", "iface-1"] }, { uuid: ["uuid", "port-1"] }, { count: 1 }, { count: 1 }, { rows: [{ next_cfg: 5 }] }]);
      return c;
    });
    const result = addAccessPortAndWait(client, { bridge: "br-int", portName: "veth1", tag: 3, timeoutMs: 2000 });
    const monitorRequest: WireMessage = await server.next((m) => m.method === "monitor_cond");
    await server.next((m) => m.method === "transact");
    expect(server.messagesPerChunk[0]).toBe(2);
    const id = monitorRequest.params?.[1];
    server.notify("update2", [id, { Interface: { i: { insert: { name: "veth1" } } } }]);
    server.notify("update2", [id, { Open_vSwitch: { o: { modify: { cur_cfg: 5 } } }, Interface: { i: { modify: { ofport: 9 } } } }]);
    expect(await result).toEqual({ portUuid: "port-1", interfaceUuid: "iface-1", nextCfg: 5, ofport: 9 });
    expect((await server.next((m) => m.method === "monitor_cancel")).params).toEqual([id]);
    client.close();
  });

  it("times out with an OvsApplyError that says vswitchd did not apply the change", async () => {
    const client = await OvsdbClient.overStreams(async () => {
      const [c, s] = duplexPair();
      new FakeServer(s)
        .on("monitor_cond", () => ({ Open_vSwitch: { o: { initial: { cur_cfg: 4 } } } }))
        .on("transact", () => [{}, {}, { uuid: ["uuid", "i"] }, { uuid: ["uuid", "p"] }, { count: 1 }, { count: 1 }, { rows: [{ next_cfg: 5 }] }]);
      return c;
    });
    const err = await addAccessPortAndWait(client, { bridge: "br-int", portName: "veth1", timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsApplyError);
    expect(String(err)).toMatch(/did not apply configuration 5 within 50 ms \(cur_cfg 4\)/);
    client.close();
  });
});
