/**
 * The OVSDB client against a real ovsdb-server + ovs-vswitchd (the sandbox): ports added and
 * removed through our transactions are what ovs-vsctl sees, monitors see vswitchd fill in ofports,
 * and failures come back as typed errors that say what failed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CniCode } from "../../../plugin/cni/errors.js";
import { OvsSandbox } from "../../../ovs/sandbox.js";
import {
  addAccessPort,
  addAccessPortAndWait,
  deletePort,
  ensureBridge,
  findPorts,
  getPort,
  InterfaceTable,
  OvsApplyError,
  OvsdbClient,
  OvsdbConflictError,
  OvsdbOperationError,
  mutation,
  namedUuid,
  op,
  VSWITCH_DB,
  waitApplied,
  where,
} from "../../../ovs/ovsdb/index.js";

const BRIDGE = "br-int";

describe("OVSDB client on a real Open vSwitch", () => {
  let sandbox: OvsSandbox;
  let client: OvsdbClient;
  let vethCount = 0;

  /** A veth pair inside the sandbox's host netns (removed with it); returns the host end's name. */
  async function veth(): Promise<string> {
    const name = `odb${vethCount++}`;
    await sandbox.execInHost("ip", ["link", "add", name, "type", "veth", "peer", "name", `${name}p`]);
    await sandbox.execInHost("ip", ["link", "set", name, "up"]);
    return name;
  }

  beforeAll(async () => {
    sandbox = await OvsSandbox.start({ prefix: "odb" });
    client = await OvsdbClient.connect(sandbox.dbRemote);
    const bridge = await ensureBridge(client, { name: BRIDGE, datapathType: "netdev", failMode: "secure", protocols: ["OpenFlow13"] });
    await waitApplied(client, { nextCfg: bridge.nextCfg as number, interfaceName: BRIDGE, timeoutMs: 10_000 });
  });

  afterAll(async () => {
    client?.close();
    await sandbox?.stop();
  });

  it("lists the databases and reads the schema", async () => {
    expect(await client.listDbs()).toContain(VSWITCH_DB);
    const schema = await client.getSchema(VSWITCH_DB);
    expect(Object.keys(schema.tables)).toEqual(expect.arrayContaining(["Open_vSwitch", "Bridge", "Port", "Interface"]));
  });

  it("ensureBridge created the bridge as asked and is idempotent", async () => {
    expect(await sandbox.vsctl("get", "Bridge", BRIDGE, "fail_mode", "datapath_type", "protocols")).toBe("secure\nnetdev\n[OpenFlow13]\n");
    const again = await ensureBridge(client, { name: BRIDGE, datapathType: "netdev", failMode: "secure", protocols: ["OpenFlow13"] });
    expect(again).toMatchObject({ created: false, updated: false, nextCfg: undefined });
    const changed = await ensureBridge(client, { name: BRIDGE, protocols: ["OpenFlow13", "OpenFlow15"], otherConfig: { "mac-aging-time": "60" } });
    expect(changed).toMatchObject({ created: false, updated: true });
    expect(await sandbox.vsctl("get", "Bridge", BRIDGE, "protocols", "other_config:mac-aging-time")).toBe('[OpenFlow13, OpenFlow15]\n"60"\n');
  });

  it("adds a port with tag and external_ids that ovs-vsctl sees, then deletes it", async () => {
    const name = await veth();
    const added = await addAccessPort(client, {
      bridge: BRIDGE,
      portName: name,
      tag: 101,
      portExternalIds: { "ovs-sdn/owner": "ovs-sdn", "ovs-sdn/container-id": "c1" },
      interfaceExternalIds: { "ovs-sdn/owner": "ovs-sdn", "iface-id": "c1_eth0" },
    });
    expect(added.nextCfg).toBeGreaterThan(0);
    expect((await sandbox.vsctl("list-ports", BRIDGE)).split("\n")).toContain(name);
    expect(await sandbox.vsctl("get", "Port", name, "tag", "external_ids:ovs-sdn/container-id", "_uuid")).toBe(`101\nc1\n${added.portUuid}\n`);
    expect(await sandbox.vsctl("get", "Interface", name, "external_ids:iface-id")).toBe("c1_eth0\n");

    const applied = await waitApplied(client, { nextCfg: added.nextCfg, interfaceName: name, timeoutMs: 10_000 });
    expect(applied.ofport).toBeGreaterThan(0);
    expect(await sandbox.vsctl("get", "Interface", name, "ofport")).toBe(`${applied.ofport}\n`);

    expect(await deletePort(client, { bridge: BRIDGE, portName: name, requireExternalIds: { "ovs-sdn/owner": "ovs-sdn" } })).toBe(true);
    expect((await sandbox.vsctl("list-ports", BRIDGE)).split("\n")).not.toContain(name);
    // Removing the Port from Bridge.ports garbage-collected the Port and Interface rows.
    expect(await sandbox.vsctl("--bare", "--columns=name", "find", "Interface", `name=${name}`)).toBe("");
    expect(await deletePort(client, { bridge: BRIDGE, portName: name })).toBe(false);
  });

  it("a monitor sees vswitchd fill in the ofport of a port added by someone else", async () => {
    const name = await veth();
    const monitor = await client.monitor(VSWITCH_DB, { Interface: { where: [where.eq("name", name)] } });
    expect(monitor.replica.rows(InterfaceTable)).toEqual([]);
    const ofport = monitor.waitFor((r) => {
      const iface = r.find(InterfaceTable, (i) => i.name === name);
      return iface?.ofport !== undefined && iface.ofport > 0 ? iface.ofport : undefined;
    }, 10_000);
    await sandbox.vsctl("--no-wait", "add-port", BRIDGE, name);
    expect(await ofport).toBe(Number((await sandbox.vsctl("get", "Interface", name, "ofport")).trim()));
    await monitor.cancel();
    await sandbox.vsctl("--no-wait", "del-port", BRIDGE, name);
  });

  it("addAccessPortAndWait returns the ofport, and findPorts/getPort read the port back", async () => {
    const name = await veth();
    const ids = { "ovs-sdn/owner": "ovs-sdn", "ovs-sdn/container-id": "c2" };
    const added = await addAccessPortAndWait(client, {
      bridge: BRIDGE,
      portName: name,
      tag: 7,
      portExternalIds: ids,
      interfaceExternalIds: { ...ids, "ovs-sdn/ifname": "eth0" },
      timeoutMs: 10_000,
    });
    expect(await sandbox.vsctl("get", "Interface", name, "ofport")).toBe(`${added.ofport}\n`);
    const expected = {
      name,
      uuid: added.portUuid,
      bridge: BRIDGE,
      tag: 7,
      interfaceUuid: added.interfaceUuid,
      ofport: added.ofport,
      error: undefined,
      externalIds: { ...ids, "ovs-sdn/ifname": "eth0" },
    };
    expect(await getPort(client, name)).toMatchObject(expected);
    expect(await findPorts(client, { bridge: BRIDGE, externalIds: { "ovs-sdn/container-id": "c2", "ovs-sdn/ifname": "eth0" } })).toMatchObject([expected]);
    expect(await findPorts(client, { externalIds: { "ovs-sdn/container-id": "nobody" } })).toEqual([]);
    expect(await getPort(client, "no-such-port")).toBeUndefined();

    const refused = await deletePort(client, { bridge: BRIDGE, portName: name, requireExternalIds: { "ovs-sdn/container-id": "other" } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OvsdbConflictError);
    expect((await sandbox.vsctl("list-ports", BRIDGE)).split("\n")).toContain(name);
    expect(await deletePort(client, { bridge: BRIDGE, portName: name, requireExternalIds: ids })).toBe(true);
  });

  it("a port on a missing device reports vswitchd's error (ofport -1, Interface.error)", async () => {
    const err = await addAccessPortAndWait(client, { bridge: BRIDGE, portName: "nodev0", timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OvsApplyError);
    expect(err).toMatchObject({ code: CniCode.OvsApplyFailure });
    expect((err as OvsApplyError).interfaceError).toMatch(/could not open network device nodev0/);
    expect(await sandbox.vsctl("get", "Interface", "nodev0", "ofport")).toBe("-1\n");
    expect((await getPort(client, "nodev0"))?.error).toMatch(/No such device/);
    expect(await deletePort(client, { bridge: BRIDGE, portName: "nodev0" })).toBe(true);
  });

  it("a bad transaction is a typed error naming the operation that failed", async () => {
    const missingBridge = await addAccessPort(client, { bridge: "br-nope", portName: "x1" }).catch((e: unknown) => e);
    expect(missingBridge).toBeInstanceOf(OvsdbOperationError);
    expect(missingBridge).toMatchObject({ code: CniCode.OvsdbFailure, index: 0, op: "wait", table: "Bridge" });
    expect(String(missingBridge)).toContain('bridge "br-nope" does not exist');

    const badColumn = await client
      .transact(VSWITCH_DB, [op.comment("test"), op.update("Port", [where.eq("name", "x")], { no_such_column: 1 })])
      .catch((e: unknown) => e);
    expect(badColumn).toMatchObject({ index: 1, op: "update", table: "Port" });
    expect((badColumn as OvsdbOperationError).serverError).toMatch(/unknown column|syntax error/);

    const name = await veth();
    await addAccessPort(client, { bridge: BRIDGE, portName: name });
    const duplicate = await addAccessPort(client, { bridge: BRIDGE, portName: name }).catch((e: unknown) => e);
    expect(duplicate).toMatchObject({ index: 1, op: "wait", table: "Port" });
    expect(String(duplicate)).toContain(`port "${name}" already exists`);

    // A constraint only the commit can check: the interface name is taken by another port.
    const clash = await client
      .transact(VSWITCH_DB, [
        op.insert("Interface", { name }, "i"),
        op.insert("Port", { name: `${name}b`, interfaces: [namedUuid("i")] }, "p"),
        op.mutate("Bridge", [where.eq("name", BRIDGE)], [mutation("ports", "insert", [namedUuid("p")])]),
      ])
      .catch((e: unknown) => e);
    expect(clash).toMatchObject({ index: 3, op: "commit", serverError: "constraint violation" });
    await deletePort(client, { bridge: BRIDGE, portName: name });
  });
});
