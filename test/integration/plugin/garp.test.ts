/**
 * Gratuitous ARP on ADD: a container that re-appears with the same IP and a new MAC updates its
 * neighbours' ARP caches without them asking (the kernel's arp_notify, set by the plugin).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { execInNetns } from "../../helpers/netns.js";
import { PluginHarness } from "./harness.js";
import { ping } from "../../../controller/lab/traffic.js";

let h: PluginHarness;
beforeAll(async () => {
  h = await PluginHarness.start("garp");
});
afterAll(async () => {
  await h?.stop();
});

it("a new MAC behind a known IP reaches the neighbours' ARP caches", async () => {
  const cfg = (mac?: string) => ({ ...h.config("garp", { ipam: { type: "static", addresses: [{ address: mac ? "10.79.0.2/24" : "10.79.0.1/24" }] } }), ...(mac ? { runtimeConfig: { mac } } : {}) });
  const [a, b] = [await h.newNetns("a"), await h.newNetns("b")];
  expect((await h.call("ADD", cfg(), { containerId: "ga", netns: a.path, ifname: "eth0" })).exitCode).toBe(0);
  const first = await h.call("ADD", cfg("02:00:00:00:79:01"), { containerId: "gb", netns: b.path, ifname: "eth0" });
  expect(first.exitCode, first.stdout).toBe(0);
  expect(await ping(a.name, "10.79.0.2")).toBe(true);
  expect(await execInNetns(a.name, "ip", ["neigh", "show", "10.79.0.2"])).toContain("02:00:00:00:79:01");

  expect((await h.call("DEL", cfg("02:00:00:00:79:01"), { containerId: "gb", netns: b.path, ifname: "eth0" })).exitCode).toBe(0);
  const again = await h.call("ADD", cfg("02:00:00:00:79:02"), { containerId: "gb2", netns: b.path, ifname: "eth0" });
  expect(again.exitCode, again.stdout).toBe(0);
  // No traffic from a: only the gratuitous ARP can have told it.
  let neigh = "";
  for (let i = 0; i < 50 && !neigh.includes("02:00:00:00:79:02"); i++) {
    neigh = await execInNetns(a.name, "ip", ["neigh", "show", "10.79.0.2"]);
    if (!neigh.includes("02:00:00:00:79:02")) await new Promise((r) => setTimeout(r, 20));
  }
  expect(neigh).toContain("02:00:00:00:79:02");
});
