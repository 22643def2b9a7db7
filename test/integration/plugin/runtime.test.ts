/** The conflist driven the way a runtime drives it (libcni's rules, see runtime.ts). */
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { execInNetns } from "../../helpers/netns.js";
import { PluginHarness } from "./harness.js";
import { MiniRuntime, type ConfList } from "./runtime.js";

let h: PluginHarness;
let rt: MiniRuntime;
beforeAll(async () => {
  h = await PluginHarness.start("rt");
  rt = new MiniRuntime(h, join(h.dir, "cache"));
});
afterAll(async () => {
  await h?.stop();
});

const conflist = (tuningSysctl: Record<string, string>): ConfList => ({
  cniVersion: "1.0.0",
  name: "rtnet",
  plugins: [
    {
      type: "ovs-sdn",
      bridge: "br-int",
      ovsdb: h.sandbox.dbRemote,
      vlan: 42,
      stateDir: join(h.dir, "state"),
      capabilities: { mac: true, ips: true },
      ipam: { type: "host-local", subnet: "10.77.0.0/24", dataDir: h.dataDir },
    },
    { type: "tuning", sysctl: tuningSysctl },
  ],
});

it("ADD with capabilities and chaining, CHECK, DEL from the cache", async () => {
  const list = conflist({ "net.ipv4.conf.eth0.arp_filter": "1" });
  const n = await h.newNetns("rt");
  const a = { containerId: "rt-1", netns: n.path, ifname: "eth0", capabilityArgs: { mac: "02:00:00:aa:bb:cc", ips: ["10.77.0.42/24"], portMappings: [] } };
  const added = await rt.add(list, a);
  expect(added.exitCode, added.stdout).toBe(0);
  // tuning passed our result through: it is the chain's result.
  expect((added.json?.ips as { address: string }[])[0]?.address).toBe("10.77.0.42/24");
  expect((added.json?.interfaces as { name: string; mac?: string }[])[1]).toMatchObject({ name: "eth0", mac: "02:00:00:aa:bb:cc" });
  const link = await execInNetns(n.name, "ip", ["-br", "link", "show", "eth0"]);
  expect(link).toContain("02:00:00:aa:bb:cc");
  expect((await execInNetns(n.name, "cat", ["/proc/sys/net/ipv4/conf/eth0/arp_filter"])).trim()).toBe("1");
  const ports = await h.sandbox.vsctl("--columns=external_ids", "list", "Interface", String((added.json?.interfaces as { name: string }[])[0]?.name));
  expect(ports).toContain('"ovs-sdn/pod-name"=web-0');

  for (const r of await rt.check(list, a)) expect({ code: r.exitCode, out: r.stdout }).toEqual({ code: 0, out: "" });
  for (const r of await rt.del(list, a)) expect({ code: r.exitCode, out: r.stdout }).toEqual({ code: 0, out: "" });
  expect(rt.cachedResult(list, a)).toBeUndefined();
  expect(await h.ports()).toEqual([]);
  expect(h.leases("rtnet")).toEqual([]);
});

it("a failing second plugin fails the ADD; the runtime's DEL without prevResult cleans up", async () => {
  const list = conflist({ "net.ipv4.conf.eth0.no_such_sysctl": "1" });
  const n = await h.newNetns("rf");
  const a = { containerId: "rt-2", netns: n.path, ifname: "eth0" };
  const added = await rt.add(list, a);
  expect(added.exitCode).toBe(1);
  expect(rt.cachedResult(list, a)).toBeUndefined();
  expect(await h.ports()).toHaveLength(1); // ovs-sdn's ADD had succeeded
  for (const r of await rt.del(list, a)) expect(r.exitCode, r.stdout).toBe(0);
  expect(await h.ports()).toEqual([]);
  expect(await h.hostVeths()).toEqual([]);
  expect(h.leases("rtnet")).toEqual([]);
  expect((await execInNetns(n.name, "ip", ["-br", "link"])).includes("eth0")).toBe(false);
});

it("honours prevResult when it is not first in the chain (after loopback)", async () => {
  const base = conflist({});
  const list: ConfList = { ...base, name: "rtchain", plugins: [{ type: "loopback" }, base.plugins[0] as Record<string, unknown>] };
  const n = await h.newNetns("rc");
  const a = { containerId: "rt-3", netns: n.path, ifname: "eth0" };
  const added = await rt.add(list, a);
  expect(added.exitCode, added.stdout).toBe(0);
  const interfaces = added.json?.interfaces as { name: string; sandbox?: string }[];
  expect(interfaces.map((i) => i.name)).toEqual(["lo", expect.stringMatching(/^osd/), "eth0"]);
  const ips = added.json?.ips as { address: string; interface: number }[];
  expect(ips.map((i) => [i.address, i.interface])).toEqual([["127.0.0.1/8", 0], ["::1/128", 0], [expect.stringMatching(/^10\.77\.0\./), 2]]);
  for (const r of await rt.check(list, a)) expect({ code: r.exitCode, out: r.stdout }).toEqual({ code: 0, out: "" });
  for (const r of await rt.del(list, a)) expect(r.exitCode, r.stdout).toBe(0);
  expect(await h.ports()).toEqual([]);
  expect(h.leases("rtchain")).toEqual([]);
});
