/**
 * One container on two networks at once, as Multus attaches them (two CNI calls): eth0 on VLAN
 * 300, net1 on VLAN 301. It reaches a member of each; DEL of one attachment leaves the other.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { PluginHarness } from "./harness.js";
import { exchange, ping } from "../../../controller/lab/traffic.js";

let h: PluginHarness;
beforeAll(async () => {
  h = await PluginHarness.start("multi");
});
afterAll(async () => {
  await h?.stop();
});

const ip = (r: Record<string, unknown> | undefined) => ((r?.ips as { address: string }[])[0]?.address ?? "").split("/")[0] as string;

it("eth0 and net1 on two VLANs; DEL of one leaves the other", async () => {
  const green = h.config("green", { vlan: 300, ipam: { type: "host-local", subnet: "10.74.0.0/24", dataDir: h.dataDir } });
  const blue = h.config("blue", { vlan: 301, ipam: { type: "host-local", subnet: "10.75.0.0/24", dataDir: h.dataDir } });
  const [pod, g, b] = [await h.newNetns("pod"), await h.newNetns("g"), await h.newNetns("b")];
  const podEth0 = await h.call("ADD", green, { containerId: "pod", netns: pod.path, ifname: "eth0" });
  const podNet1 = await h.call("ADD", blue, { containerId: "pod", netns: pod.path, ifname: "net1" });
  const gr = await h.call("ADD", green, { containerId: "g", netns: g.path, ifname: "eth0" });
  const br = await h.call("ADD", blue, { containerId: "b", netns: b.path, ifname: "eth0" });
  for (const r of [podEth0, podNet1, gr, br]) expect({ code: r.exitCode, out: r.stdout }).toMatchObject({ code: 0 });

  expect(await ping(pod.name, ip(gr.json))).toBe(true);
  expect(await ping(pod.name, ip(br.json))).toBe(true);
  expect(await exchange("tcp", b.name, ip(br.json), pod.name)).toBe(true);
  // The two other containers are on different VLANs and subnets: no path between them.
  expect(await ping(g.name, ip(br.json))).toBe(false);

  expect((await h.call("DEL", green, { containerId: "pod", netns: pod.path, ifname: "eth0" })).exitCode).toBe(0);
  expect(await ping(pod.name, ip(gr.json))).toBe(false);
  expect(await ping(pod.name, ip(br.json))).toBe(true);
  const check = await h.call("CHECK", { ...blue, prevResult: podNet1.json }, { containerId: "pod", netns: pod.path, ifname: "net1" });
  expect({ code: check.exitCode, out: check.stdout }).toEqual({ code: 0, out: "" });

  for (const [cfg, id, netns, ifname] of [[blue, "pod", pod.path, "net1"], [green, "g", g.path, "eth0"], [blue, "b", b.path, "eth0"]] as const) {
    expect((await h.call("DEL", cfg, { containerId: id, netns, ifname })).exitCode).toBe(0);
  }
  expect(await h.ports()).toEqual([]);
  expect([...h.leases("green"), ...h.leases("blue")]).toEqual([]);
});
