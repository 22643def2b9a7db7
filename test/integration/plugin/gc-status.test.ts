/**
 * GC removes exactly the stale attachments of its network (ports, veths and leases; ports of other
 * networks and foreign ports stay); STATUS is ready with OVS up and reports code 50 with it down.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { hostIfName } from "../../../plugin/link/names.js";
import { PluginHarness } from "./harness.js";

let h: PluginHarness;
beforeAll(async () => {
  h = await PluginHarness.start("gc");
});
afterAll(async () => {
  await h?.stop();
});

const cfg = (name: string, extra: Record<string, unknown> = {}) =>
  h.config(name, { cniVersion: "1.1.0", ipam: { type: "host-local", subnet: name === "gca" ? "10.73.0.0/24" : "10.73.1.0/24", dataDir: h.dataDir }, ...extra });

it("GC removes only the stale attachments of its own network", async () => {
  const ids = ["k1", "k2", "k3"];
  for (const id of ids) {
    const n = await h.newNetns(id);
    expect((await h.call("ADD", cfg("gca"), { containerId: id, netns: n.path, ifname: "eth0" })).exitCode).toBe(0);
  }
  const other = await h.newNetns("o");
  expect((await h.call("ADD", cfg("gcb"), { containerId: "o1", netns: other.path, ifname: "eth0" })).exitCode).toBe(0);
  const foreign = "osdforeign0";
  await h.sandbox.vsctl("add-port", "br-int", foreign, "--", "set", "Interface", foreign, "type=internal");

  const gc = await h.call("GC", { ...cfg("gca"), "cni.dev/valid-attachments": [{ containerID: "k2", ifname: "eth0" }] });
  expect({ code: gc.exitCode, out: gc.stdout }).toEqual({ code: 0, out: "" });
  const kept = [hostIfName("k2", "eth0"), hostIfName("o1", "eth0")];
  expect(await h.ports()).toEqual([...kept, foreign].sort());
  expect((await h.hostVeths()).filter((v) => v !== foreign).sort()).toEqual(kept.sort());
  expect(h.leases("gca")).toHaveLength(1);
  expect(h.leases("gcb")).toHaveLength(1);

  // cni.dev/attachments is accepted too, and an empty list collects everything of the network.
  const all = await h.call("GC", { ...cfg("gca"), "cni.dev/attachments": [] });
  expect(all.exitCode, all.stdout).toBe(0);
  expect(await h.ports()).toEqual([hostIfName("o1", "eth0"), foreign].sort());
  expect(h.leases("gca")).toEqual([]);
  await h.sandbox.vsctl("del-port", "br-int", foreign);
  expect((await h.call("DEL", cfg("gcb"), { containerId: "o1", netns: other.path, ifname: "eth0" })).exitCode).toBe(0);
});

it("GC without a list of valid attachments is refused", async () => {
  const r = await h.call("GC", cfg("gca"));
  expect(r.json).toEqual({ cniVersion: "1.1.0", code: 7, msg: "cni.dev/valid-attachments: required for GC" });
});

it("STATUS is ready with OVS up, code 50 with OVSDB down, ready again after", async () => {
  const ok = await h.call("STATUS", cfg("gca"));
  expect({ code: ok.exitCode, out: ok.stdout }).toEqual({ code: 0, out: "" });
  await h.sandbox.stopOvsdbServer();
  try {
    const down = await h.call("STATUS", cfg("gca"));
    expect(down.exitCode).toBe(1);
    expect(down.json?.code).toBe(50);
    expect(String(down.json?.msg)).toMatch(new RegExp(`^OVSDB ${h.sandbox.dbRemote} does not answer: `));
  } finally {
    await h.sandbox.startOvsdbServer();
  }
  const again = await h.call("STATUS", cfg("gca"));
  expect(again.exitCode, again.stdout).toBe(0);
});

it("STATUS and GC need cniVersion 1.1.0", async () => {
  const r = await h.call("STATUS", cfg("gca", { cniVersion: "1.0.0" }));
  expect(r.json?.code).toBe(1);
  expect(r.json?.msg).toBe("config version does not allow STATUS");
});
