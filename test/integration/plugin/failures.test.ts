/**
 * A failure at each step of ADD — injected through real conditions, not test hooks — leaves no
 * veth, no port and no IPAM lease behind, and reports the right CNI code.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { execInNetns } from "../../helpers/netns.js";
import { hostIfName } from "../../../plugin/link/names.js";
import { PluginHarness } from "./harness.js";

let h: PluginHarness;
beforeAll(async () => {
  h = await PluginHarness.start("fail");
});
afterAll(async () => {
  await h?.stop();
});

const NET = "fail";

async function containerLinks(netns: string): Promise<string[]> {
  const out = await execInNetns(netns, "ip", ["-j", "link", "show"]);
  return (JSON.parse(out) as { ifname: string }[]).map((l) => l.ifname).sort();
}

async function expectFailureLeavesNothing(cfg: Record<string, unknown>, code: number, prepare?: (netns: string) => Promise<void>): Promise<string> {
  const n = await h.newNetns("f");
  await prepare?.(n.name);
  const before = await containerLinks(n.name);
  const r = await h.call("ADD", cfg, { containerId: `fail-${n.name}`, netns: n.path, ifname: "eth0" });
  expect(r.exitCode, r.stdout).toBe(1);
  expect(r.json?.code, r.stdout).toBe(code);
  expect(r.stdout.trim().split("\n")).toHaveLength(1);
  expect(await h.hostVeths()).toEqual([]);
  expect(await h.ports()).toEqual([]);
  expect(h.leases(NET)).toEqual([]);
  expect(await containerLinks(n.name)).toEqual(before);
  return String(r.json?.msg);
}

it("IPAM step: the range is exhausted", async () => {
  const ipam = { type: "host-local", dataDir: h.dataDir, ranges: [[{ subnet: "10.72.0.0/24", rangeStart: "10.72.0.9", rangeEnd: "10.72.0.9" }]] };
  const cfg = h.config(NET, { ipam });
  const holder = await h.newNetns("hold");
  const held = await h.call("ADD", cfg, { containerId: "holder", netns: holder.path, ifname: "eth0" });
  expect(held.exitCode, held.stdout).toBe(0);
  const holderPort = hostIfName("holder", "eth0");
  const n = await h.newNetns("f");
  const r = await h.call("ADD", cfg, { containerId: "second", netns: n.path, ifname: "eth0" });
  expect(r.exitCode).toBe(1);
  expect(String(r.json?.msg)).toMatch(/^ipam host-local ADD: .*no IP addresses available/);
  expect(await h.hostVeths()).toEqual([holderPort]);
  expect(await h.ports()).toEqual([holderPort]);
  expect(h.leases(NET)).toEqual(["10.72.0.9"]);
  expect(await containerLinks(n.name)).toEqual(["lo"]);
  expect((await h.call("DEL", cfg, { containerId: "holder", netns: holder.path, ifname: "eth0" })).exitCode).toBe(0);
  expect(h.leases(NET)).toEqual([]);
});

it("veth step: CNI_IFNAME already exists in the netns", async () => {
  const msg = await expectFailureLeavesNothing(h.config(NET), 105, (netns) => execInNetns(netns, "ip", ["link", "add", "eth0", "type", "veth", "peer", "name", "xpeer"]).then(() => undefined));
  expect(msg).toMatch(/^CNI_IFNAME eth0 already exists in /);
});

it("OVSDB step: the bridge does not exist", async () => {
  const msg = await expectFailureLeavesNothing(h.config(NET, { bridge: "br-none" }), 100);
  expect(msg).toBe(`bridge br-none does not exist in OVSDB ${h.sandbox.dbRemote}`);
});

it("OVSDB step: nothing listens on the OVSDB socket", async () => {
  await expectFailureLeavesNothing(h.config(NET, { ovsdb: `unix:${h.dir}/no-such.sock` }), 11);
});

it("port step: a port of that name exists and belongs to someone else (it survives)", async () => {
  const n = await h.newNetns("f");
  const containerId = `foreign-${n.name}`;
  const name = hostIfName(containerId, "eth0");
  await h.sandbox.vsctl("add-br", "br-x", "--", "set", "Bridge", "br-x", "datapath_type=netdev", "--", "add-port", "br-x", name, "--", "set", "Interface", name, "type=patch", "options:peer=nothing");
  try {
    const r = await h.call("ADD", h.config(NET), { containerId, netns: n.path, ifname: "eth0" });
    expect(r.json?.code, r.stdout).toBe(100);
    expect(await h.hostVeths()).toEqual([]);
    expect(await h.ports()).toEqual([]);
    expect(h.leases(NET)).toEqual([]);
    expect((await h.sandbox.vsctl("list-ports", "br-x")).trim()).toBe(name);
    // DEL must not remove it either.
    expect((await h.call("DEL", h.config(NET, { bridge: "br-x" }), { containerId, netns: n.path, ifname: "eth0" })).exitCode).toBe(0);
    expect((await h.sandbox.vsctl("list-ports", "br-x")).trim()).toBe(name);
  } finally {
    await h.sandbox.vsctl("del-br", "br-x");
  }
});

it("apply step: ovs-vswitchd is down, the wait times out", async () => {
  await h.sandbox.appctl("ovs-vswitchd", "exit");
  try {
    await expectFailureLeavesNothing(h.config(NET, { timeoutMs: 1500 }), 101);
  } finally {
    await h.sandbox.startVswitchd();
  }
});

it("container step: an MTU too small for IPv6 makes the IPv6 address fail", async () => {
  const ipam = { type: "host-local", dataDir: h.dataDir, ranges: [[{ subnet: "10.72.1.0/24" }], [{ subnet: "fd10:72::/64" }]] };
  const msg = await expectFailureLeavesNothing(h.config(NET, { mtu: 1000, ipam }), 105);
  expect(msg).toMatch(/^configuring eth0 in .* failed$/);
});
