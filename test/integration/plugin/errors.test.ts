/**
 * One test per CNI error code the plugin reports, each checking the exact JSON on stdout (one
 * line), exit code 1 and, where something could have been made, that nothing was.
 */
import { writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { lockName } from "../../../plugin/lock.js";
import { PluginHarness, type CallEnv } from "./harness.js";

let h: PluginHarness;
let n: { name: string; path: string };
beforeAll(async () => {
  h = await PluginHarness.start("err");
  n = await h.newNetns("e");
});
afterAll(async () => {
  await h?.stop();
});

const call = (extra: Partial<CallEnv> = {}): CallEnv => ({ containerId: "err-1", netns: n.path, ifname: "eth0", ...extra });

async function expectError(command: string, config: unknown, env: CallEnv, expected: Record<string, unknown>): Promise<void> {
  const r = await h.call(command, config, env);
  expect(r.exitCode).toBe(1);
  expect(r.stdout.endsWith("\n") && !r.stdout.slice(0, -1).includes("\n")).toBe(true);
  expect(r.json).toEqual(expected);
  expect(await h.hostVeths()).toEqual([]);
  expect(await h.ports()).toEqual([]);
}

it("1: unsupported cniVersion", async () => {
  await expectError("ADD", h.config("e", { cniVersion: "0.2.0" }), call(), {
    cniVersion: "1.1.0",
    code: 1,
    msg: "incompatible CNI versions",
    details: 'config is "0.2.0", plugin supports ["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]',
  });
});

it("1: CHECK in a 0.3.1 config", async () => {
  await expectError("CHECK", h.config("e", { cniVersion: "0.3.1" }), call(), {
    cniVersion: "0.3.1",
    code: 1,
    msg: "config version does not allow CHECK",
    details: "CHECK needs cniVersion 0.4.0 or later, config is 0.3.1",
  });
});

it("2: an unknown key", async () => {
  await expectError("ADD", h.config("e", { vlna: 5 }), call(), { cniVersion: "1.0.0", code: 2, msg: "unsupported field: vlna" });
});

it("2: an unknown CNI_ARGS key without IgnoreUnknown", async () => {
  await expectError("ADD", h.config("e"), call({ args: "FOO=bar" }), {
    cniVersion: "1.0.0",
    code: 2,
    msg: 'CNI_ARGS: unknown key "FOO" (set IgnoreUnknown=1 to ignore)',
  });
});

it("3: CNI_NETNS does not exist", async () => {
  await expectError("ADD", h.config("e"), call({ netns: "/var/run/netns/ovs-sdn-no-such-ns" }), {
    cniVersion: "1.0.0",
    code: 3,
    msg: "CNI_NETNS /var/run/netns/ovs-sdn-no-such-ns does not exist",
  });
});

it("4: a required variable is missing", async () => {
  await expectError("ADD", h.config("e"), call({ ifname: undefined }), { cniVersion: "1.0.0", code: 4, msg: "required env variables [CNI_IFNAME] missing" });
});

it("4: CNI_NETNS is not a network namespace", async () => {
  await expectError("ADD", h.config("e"), call({ netns: "/etc/hostname" }), { cniVersion: "1.0.0", code: 4, msg: "CNI_NETNS /etc/hostname is not a network namespace" });
});

it("5: the IPAM plugin hangs past timeoutMs", async () => {
  const bin = join(h.cniPath, "hung-ipam");
  writeFileSync(bin, "#!/bin/sh\nexec sleep 30\n");
  chmodSync(bin, 0o755);
  await expectError("ADD", h.config("e", { timeoutMs: 400, ipam: { type: "hung-ipam" } }), call(), { cniVersion: "1.0.0", code: 5, msg: `${bin}: timed out after 400 ms` });
});

it("102: the IPAM plugin fails without a CNI error", async () => {
  const bin = join(h.cniPath, "crashing-ipam");
  writeFileSync(bin, "#!/bin/sh\necho 'segfault, honestly' >&2\nexit 139\n");
  chmodSync(bin, 0o755);
  await expectError("ADD", h.config("e", { ipam: { type: "crashing-ipam" } }), call(), {
    cniVersion: "1.0.0",
    code: 102,
    msg: "ipam crashing-ipam ADD: exited with 139",
    details: "segfault, honestly",
  });
});

it("6: stdin is not JSON", async () => {
  const truncated = '{"cniVersion":"1.0.0",';
  let details = "";
  try {
    JSON.parse(truncated);
  } catch (err) {
    details = (err as Error).message; // the wording is Node's own
  }
  await expectError("ADD", truncated, call(), { cniVersion: "1.1.0", code: 6, msg: "config is not valid JSON", details });
});

it("7: a value out of range names the key", async () => {
  await expectError("ADD", h.config("e", { vlan: 4095 }), call(), { cniVersion: "1.0.0", code: 7, msg: "vlan: must be <= 4094" });
});

it("7: vlan and trunk together", async () => {
  await expectError("ADD", h.config("e", { trunk: [{ id: 5 }] }), call(), { cniVersion: "1.0.0", code: 7, msg: "vlan, trunk: give one of them, not both" });
});

it("11: another call holds the attachment's lock", async () => {
  const holder = spawn("ip", ["netns", "exec", h.sandbox.netns, "node", "-e", `require("net").createServer().listen(${JSON.stringify(lockName("err-1/eth0"))}, () => console.log("held"))`], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    await new Promise<void>((resolve) => holder.stdout.on("data", () => resolve()));
    await expectError("ADD", h.config("e", { timeoutMs: 300 }), call(), {
      cniVersion: "1.0.0",
      code: 11,
      msg: "another ovs-sdn call holds this attachment; try again later",
      details: "err-1/eth0",
    });
  } finally {
    holder.kill("SIGKILL");
  }
});

it("50: STATUS when the bridge is missing", async () => {
  await expectError("STATUS", h.config("e", { cniVersion: "1.1.0", bridge: "br-none" }), {}, {
    cniVersion: "1.1.0",
    code: 50,
    msg: `bridge br-none does not exist in OVSDB ${h.sandbox.dbRemote}`,
  });
});

it("100: ADD on a bridge that does not exist", async () => {
  await expectError("ADD", h.config("e", { bridge: "br-none" }), call(), { cniVersion: "1.0.0", code: 100, msg: `bridge br-none does not exist in OVSDB ${h.sandbox.dbRemote}` });
  expect(h.leases("e")).toEqual([]);
});

it("102: the IPAM returned no address", async () => {
  await expectError("ADD", h.config("e", { ipam: { type: "static", addresses: [] } }), call(), { cniVersion: "1.0.0", code: 102, msg: "ipam static returned no address" });
});

it("105: CNI_IFNAME exists in the netns", async () => {
  const m = await h.newNetns("x");
  await import("../../helpers/netns.js").then((x) => x.execInNetns(m.name, "ip", ["link", "add", "eth0", "type", "veth", "peer", "name", "xpeer"]));
  await expectError("ADD", h.config("e"), call({ netns: m.path }), {
    cniVersion: "1.0.0",
    code: 105,
    msg: `CNI_IFNAME eth0 already exists in ${m.path}`,
    details: "RTNETLINK answers: File exists",
  });
  expect(h.leases("e")).toEqual([]);
});

it("106: CHECK finds the address gone", async () => {
  const cfg = h.config("e");
  const added = await h.call("ADD", cfg, call());
  expect(added.exitCode, added.stdout).toBe(0);
  const address = (added.json?.ips as { address: string }[])[0]?.address as string;
  await import("../../helpers/netns.js").then((x) => x.execInNetns(n.name, "ip", ["addr", "del", address, "dev", "eth0"]));
  const r = await h.call("CHECK", { ...cfg, prevResult: added.json }, call());
  expect(r.json).toEqual({ cniVersion: "1.0.0", code: 106, msg: `CHECK failed: address ${address} missing on eth0` });
  expect((await h.call("DEL", cfg, call())).exitCode).toBe(0);
  expect(await h.hostVeths()).toEqual([]);
});
