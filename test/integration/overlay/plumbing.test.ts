/**
 * The OVSDB plumbing of ovs/tunnel against a real sandbox: br-phy with its uplink, the tunnel port
 * and the provider patch ports are created once, found again without changes, converged when the
 * wish changes, and never taken from someone else.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OvsdbClient } from "../../../ovs/ovsdb/client.js";
import { OvsSandbox } from "../../../ovs/sandbox.js";
import { ensureBridge } from "../../../ovs/ovsdb/vswitch-bridge.js";
import { waitApplied } from "../../../ovs/ovsdb/vswitch-wait.js";
import { ensureTunnelPort } from "../../../ovs/tunnel/tunnel-port.js";
import { syncProviderPorts } from "../../../ovs/tunnel/provider-ports.js";
import { ensureUnderlayBridge, underlayMtu } from "../../../ovs/tunnel/underlay.js";
import { OvsdbConflictError } from "../../../ovs/ovsdb/errors.js";

describe("cross-host plumbing in OVSDB", () => {
  let sandbox: OvsSandbox;
  let client: OvsdbClient;
  const get = async (table: string, record: string, column: string) => (await sandbox.vsctl("get", table, record, column)).trim();

  beforeAll(async () => {
    sandbox = await OvsSandbox.start({ prefix: "ovp" });
    await sandbox.execInHost("ip", ["link", "add", "eth1", "type", "veth", "peer", "name", "eth1peer"]);
    client = await OvsdbClient.connect(sandbox.dbRemote);
    const br = await ensureBridge(client, { name: "br-int", datapathType: "netdev", failMode: "secure", protocols: ["OpenFlow13"] });
    if (br.nextCfg !== undefined) await waitApplied(client, { nextCfg: br.nextCfg, timeoutMs: 10_000 });
  });

  afterAll(async () => {
    client?.close();
    await sandbox?.stop();
  });

  it("sets up br-phy with its own MAC and the uplink as a trunk, idempotently", async () => {
    await ensureUnderlayBridge(client, { uplink: "eth1", mac: "02:5D:FF:00:00:09" });
    await ensureUnderlayBridge(client, { uplink: "eth1", mac: "02:5d:ff:00:00:09" });
    expect(await get("Bridge", "br-phy", "other_config:hwaddr")).toBe('"02:5d:ff:00:00:09"');
    expect(await get("Bridge", "br-phy", "datapath_type")).toBe("netdev");
    expect(await sandbox.vsctl("list-ports", "br-phy")).toBe("eth1\n");
    expect(await get("Port", "eth1", "tag")).toBe("[]");
    expect(await get("Port", "eth1", "trunks")).toBe("[]"); // no tag, no trunks: every VLAN
    expect(await underlayMtu(client)).toBe(1500);
  });

  it("creates the flow-based tunnel port once, then finds it unchanged, and changes its type in place", async () => {
    const first = await ensureTunnelPort(client, { type: "vxlan", localIp: "172.31.0.9" });
    expect(first.changed).toBe(true);
    expect(first.ofport).toBeGreaterThan(0);
    const again = await ensureTunnelPort(client, { type: "vxlan", localIp: "172.31.0.9" });
    expect(again).toEqual({ ...first, changed: false });
    expect(await get("Interface", "ovs-sdn-tun", "options")).toBe('{key=flow, local_ip="172.31.0.9", remote_ip=flow}');
    // Not the container ports' owner key: the port watcher and GC must never take it for a container.
    expect(await get("Interface", "ovs-sdn-tun", "external_ids")).toBe('{"ovs-sdn/plumbing"=tunnel}');
    const geneve = await ensureTunnelPort(client, { type: "geneve", localIp: "172.31.0.9" });
    expect(geneve.changed).toBe(true);
    expect(await get("Interface", "ovs-sdn-tun", "type")).toBe("geneve");
    expect(await sandbox.vsctl("list-ports", "br-int")).toBe("ovs-sdn-tun\n");
  });

  it("refuses to take over a port of that name that is not ours", async () => {
    await sandbox.vsctl("add-port", "br-int", "foreign", "--", "set", "Interface", "foreign", "type=internal");
    await expect(ensureTunnelPort(client, { name: "foreign", type: "vxlan", localIp: "172.31.0.9" })).rejects.toBeInstanceOf(OvsdbConflictError);
    expect(await get("Interface", "foreign", "type")).toBe("internal");
  });

  it("converges the provider patch pairs to the wanted VLANs and reports their br-int ofports", async () => {
    const two = await syncProviderPorts(client, { vlans: [300, 200] });
    expect(two.map((p) => p.vlan)).toEqual([200, 300]);
    for (const p of two) expect(Number(await get("Interface", `prov-int-${p.vlan}`, "ofport"))).toBe(p.ofport);
    expect(await get("Port", "prov-phy-300", "tag")).toBe("300");
    expect(await get("Interface", "prov-phy-300", "options:peer")).toBe("prov-int-300");
    expect(await syncProviderPorts(client, { vlans: [200, 300] })).toEqual(two);
    const one = await syncProviderPorts(client, { vlans: [300] });
    expect(one).toEqual(two.filter((p) => p.vlan === 300));
    expect((await sandbox.vsctl("list-ports", "br-phy")).split("\n").filter(Boolean)).toEqual(["eth1", "prov-phy-300"]);
    await syncProviderPorts(client, { vlans: [] });
    expect((await sandbox.vsctl("list-ports", "br-int")).split("\n").filter(Boolean)).toEqual(["foreign", "ovs-sdn-tun"]);
  });

  it("recreates a provider pair whose other half was removed behind its back", async () => {
    const [before] = await syncProviderPorts(client, { vlans: [400] });
    await sandbox.vsctl("del-port", "br-phy", "prov-phy-400");
    const [after] = await syncProviderPorts(client, { vlans: [400] });
    expect(after?.vlan).toBe(400);
    expect(after?.ofport).toBeGreaterThan(0);
    expect(before?.ofport).toBeGreaterThan(0);
    expect(await get("Port", "prov-phy-400", "tag")).toBe("400");
  });
});
