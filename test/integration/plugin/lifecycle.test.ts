/**
 * The whole life of attachments for each supported cniVersion: ADD two containers on one VLAN and
 * a third on another VLAN in the same subnet; ping, TCP and UDP (IPv4 and IPv6) work inside the
 * VLAN and nothing crosses VLANs; CHECK; DEL; DEL again; nothing left behind.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginHarness } from "./harness.js";
import { exchange, ping } from "../../../controller/lab/traffic.js";

let h: PluginHarness;
beforeAll(async () => {
  h = await PluginHarness.start("life");
});
afterAll(async () => {
  await h?.stop();
});

const ipam = (dataDir: string, start: number, end: number) => ({
  type: "host-local",
  dataDir,
  ranges: [
    [{ subnet: "10.71.0.0/24", rangeStart: `10.71.0.${start}`, rangeEnd: `10.71.0.${end}`, gateway: "10.71.0.1" }],
    [{ subnet: "fd10:71::/64", rangeStart: `fd10:71::${start}`, rangeEnd: `fd10:71::${end}` }],
  ],
});

const addressOf = (result: Record<string, unknown> | undefined, family: 4 | 6): string => {
  const ips = (result?.ips ?? []) as { address: string }[];
  const ip = ips.find((i) => (family === 6) === i.address.includes(":"));
  if (!ip) throw new Error(`no IPv${family} address in ${JSON.stringify(result)}`);
  return ip.address.split("/")[0] as string;
};

describe.each(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"])("cniVersion %s", (version) => {
  it("ADD, traffic within the VLAN only, CHECK, DEL, DEL again", async () => {
    const blue = h.config("blue", { cniVersion: version, vlan: 100, ipam: ipam(h.dataDir, 10, 50) });
    const red = h.config("red", { cniVersion: version, vlan: 200, ipam: ipam(h.dataDir, 100, 150) });
    const [a, b, c] = [await h.newNetns("a"), await h.newNetns("b"), await h.newNetns("c")];
    const calls = [
      { cfg: blue, call: { containerId: `a-${version}`, netns: a.path, ifname: "eth0" } },
      { cfg: blue, call: { containerId: `b-${version}`, netns: b.path, ifname: "eth0" } },
      { cfg: red, call: { containerId: `c-${version}`, netns: c.path, ifname: "eth0" } },
    ];
    const results = [];
    for (const { cfg, call } of calls) {
      const r = await h.call("ADD", cfg, call);
      expect(r.stdout, r.stderr).toContain(`"cniVersion":"${version}"`);
      expect(r.exitCode, r.stdout).toBe(0);
      results.push(r.json);
    }
    const [ra, rb, rc] = results;
    // Result shape per version: 0.3.x/0.4.0 carry ips[].version, 1.x does not.
    const firstIp = (ra?.ips as Record<string, unknown>[])[0];
    if (version.startsWith("0.")) expect(firstIp?.version).toBe("4");
    else expect(firstIp).not.toHaveProperty("version");
    expect((ra?.interfaces as { sandbox?: string }[])[1]?.sandbox).toBe(a.path);

    expect(await ping(a.name, addressOf(rb, 4))).toBe(true);
    expect(await ping(a.name, addressOf(rb, 6))).toBe(true);
    expect(await exchange("tcp", b.name, addressOf(rb, 4), a.name)).toBe(true);
    expect(await exchange("udp", b.name, addressOf(rb, 4), a.name)).toBe(true);
    expect(await exchange("tcp", b.name, addressOf(rb, 6), a.name)).toBe(true);
    // Same subnet, other VLAN: unreachable.
    expect(await ping(a.name, addressOf(rc, 4))).toBe(false);
    expect(await exchange("udp", c.name, addressOf(rc, 4), a.name)).toBe(false);

    for (const [i, { cfg, call }] of calls.entries()) {
      const check = await h.call("CHECK", { ...cfg, prevResult: results[i] }, call);
      if (version === "0.3.0" || version === "0.3.1") expect(check.json?.code).toBe(1);
      else expect({ code: check.exitCode, out: check.stdout }).toEqual({ code: 0, out: "" });
    }
    for (let round = 0; round < 2; round++) {
      for (const [i, { cfg, call }] of calls.entries()) {
        const del = await h.call("DEL", { ...cfg, prevResult: results[i] }, call);
        expect({ code: del.exitCode, out: del.stdout, round }).toEqual({ code: 0, out: "", round });
      }
    }
    expect(await h.hostVeths()).toEqual([]);
    expect(await h.ports()).toEqual([]);
    expect([...h.leases("blue"), ...h.leases("red")]).toEqual([]);
  });
});

it("DEL succeeds with an empty CNI_NETNS, a deleted netns and no prevResult", async () => {
  const cfg = h.config("gone", { ipam: ipam(h.dataDir, 60, 70) });
  const n = await h.newNetns("g");
  const call = { containerId: "gone-1", netns: n.path, ifname: "eth0" };
  const added = await h.call("ADD", cfg, call);
  expect(added.exitCode, added.stdout).toBe(0);
  await h.sandbox.execInHost("ip", ["netns", "del", n.name]).catch(() => undefined);
  await import("../../helpers/netns.js").then((m) => m.deleteNetns(n.name));
  const del = await h.call("DEL", cfg, { ...call, netns: "" });
  expect({ code: del.exitCode, out: del.stdout }).toEqual({ code: 0, out: "" });
  const again = await h.call("DEL", cfg, call);
  expect({ code: again.exitCode, out: again.stdout }).toEqual({ code: 0, out: "" });
  expect(await h.hostVeths()).toEqual([]);
  expect(await h.ports()).toEqual([]);
  expect(h.leases("gone")).toEqual([]);
});
