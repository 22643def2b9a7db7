/**
 * 50 ADDs at once into 50 namespaces: all succeed, with unique addresses and OVSDB rows that match
 * each attachment. ADD racing DEL of the same container: never a half state (the per-attachment
 * lock serialises them; whichever runs last decides whether everything or nothing exists).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { hostIfName } from "../../../plugin/link/names.js";
import { PortKey } from "../../../ovs/port-identity.js";
import { findPorts, OvsdbClient } from "../../../ovs/ovsdb/index.js";
import { execInNetns } from "../../helpers/netns.js";
import { BRIDGE, PluginHarness } from "./harness.js";

let h: PluginHarness;
beforeAll(async () => {
  h = await PluginHarness.start("conc");
});
afterAll(async () => {
  await h?.stop();
});

const cfg = () => h.config("conc", { timeoutMs: 60_000, ipam: { type: "host-local", subnet: "10.76.0.0/24", dataDir: h.dataDir } });

async function ourPorts() {
  const client = await OvsdbClient.connect(h.sandbox.dbRemote);
  try {
    return await findPorts(client, { bridge: BRIDGE, externalIds: { [PortKey.network]: "conc" } });
  } finally {
    client.close();
  }
}

it("50 parallel ADDs, then 50 parallel DELs", async () => {
  const netns = await Promise.all(Array.from({ length: 50 }, (_, i) => h.newNetns(`p${i}`)));
  const results = await Promise.all(netns.map((n, i) => h.call("ADD", cfg(), { containerId: `par-${i}`, netns: n.path, ifname: "eth0" })));
  results.forEach((r) => expect(r.exitCode, r.stdout).toBe(0));
  const addresses = results.map((r) => (r.json?.ips as { address: string }[])[0]?.address);
  expect(new Set(addresses).size).toBe(50);

  const ports = await ourPorts();
  expect(ports).toHaveLength(50);
  for (const [i, address] of addresses.entries()) {
    const port = ports.find((p) => p.name === hostIfName(`par-${i}`, "eth0"));
    expect(port?.externalIds[PortKey.containerId]).toBe(`par-${i}`);
    expect(port?.externalIds[PortKey.ips]).toBe(address);
    expect(port?.tag).toBe(100);
    expect(port?.ofport).toBeGreaterThan(0);
  }
  expect(new Set(ports.map((p) => p.ofport)).size).toBe(50);
  expect(h.leases("conc")).toHaveLength(50);

  const dels = await Promise.all(netns.map((n, i) => h.call("DEL", cfg(), { containerId: `par-${i}`, netns: n.path, ifname: "eth0" })));
  dels.forEach((r) => expect(r.exitCode, r.stdout).toBe(0));
  expect(await h.ports()).toEqual([]);
  expect(await h.hostVeths()).toEqual([]);
  expect(h.leases("conc")).toEqual([]);
});

it("ADD racing DEL of the same container leaves all or nothing", async () => {
  for (let round = 0; round < 8; round++) {
    const n = await h.newNetns(`r${round}`);
    const call = { containerId: `race-${round}`, netns: n.path, ifname: "eth0" };
    const [add] = await Promise.all([h.call("ADD", cfg(), call), h.call("DEL", cfg(), call)]);
    expect(add.exitCode, add.stdout).toBe(0);
    const port = (await h.ports()).includes(hostIfName(call.containerId, "eth0"));
    const veth = (await h.hostVeths()).includes(hostIfName(call.containerId, "eth0"));
    const lease = h.leases("conc").length === 1;
    const inside = (await execInNetns(n.name, "ip", ["-br", "addr", "show"])).includes("eth0");
    expect({ port, veth, lease, inside }).toEqual(port ? { port: true, veth: true, lease: true, inside: true } : { port: false, veth: false, lease: false, inside: false });
    expect((await h.call("DEL", cfg(), call)).exitCode).toBe(0);
    expect(h.leases("conc")).toEqual([]);
  }
  expect(await h.ports()).toEqual([]);
});
