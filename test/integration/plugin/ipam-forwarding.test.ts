/**
 * STATUS and GC are forwarded to an IPAM that speaks CNI 1.1.0 (Debian's host-local does not: its
 * GC fallback, one DEL per stale attachment, is covered by gc-status.test.ts). The IPAM here is a
 * small recording script.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { hostIfName } from "../../../plugin/link/names.js";
import { PluginHarness } from "./harness.js";

let h: PluginHarness;
beforeAll(async () => {
  h = await PluginHarness.start("fwd");
  const d = h.dir;
  writeFileSync(
    join(h.cniPath, "rec-ipam"),
    `#!/bin/sh
input=$(cat)
echo "$CNI_COMMAND $CNI_CONTAINERID $input" >> ${d}/calls.log
case "$CNI_COMMAND" in
VERSION) echo '{"cniVersion":"1.1.0","supportedVersions":["0.4.0","1.0.0","1.1.0"]}' ;;
STATUS) if [ -e ${d}/ipam-down ]; then echo '{"cniVersion":"1.1.0","code":50,"msg":"address pool unreachable"}'; exit 1; fi ;;
ADD) n=$(($(cat ${d}/counter 2>/dev/null || echo 10) + 1)); echo $n > ${d}/counter
     echo "{\\"cniVersion\\":\\"1.1.0\\",\\"ips\\":[{\\"address\\":\\"10.81.0.$n/24\\"}]}" ;;
esac
exit 0
`,
  );
  chmodSync(join(h.cniPath, "rec-ipam"), 0o755);
});
afterAll(async () => {
  await h?.stop();
});

const cfg = () => h.config("fwd", { cniVersion: "1.1.0", ipam: { type: "rec-ipam" } });
const calls = () => (existsSync(join(h.dir, "calls.log")) ? readFileSync(join(h.dir, "calls.log"), "utf8").trim().split("\n") : []);

it("STATUS asks the IPAM and returns its code 50", async () => {
  const ok = await h.call("STATUS", cfg());
  expect({ code: ok.exitCode, out: ok.stdout }).toEqual({ code: 0, out: "" });
  expect(calls().some((c) => c.startsWith("STATUS"))).toBe(true);
  writeFileSync(join(h.dir, "ipam-down"), "");
  const down = await h.call("STATUS", cfg());
  expect(down.json).toEqual({ cniVersion: "1.1.0", code: 50, msg: "ipam rec-ipam STATUS: address pool unreachable" });
});

it("GC removes the stale port and hands the valid list to the IPAM's own GC", async () => {
  for (const id of ["f1", "f2"]) {
    const n = await h.newNetns(id);
    const r = await h.call("ADD", cfg(), { containerId: id, netns: n.path, ifname: "eth0" });
    expect(r.exitCode, r.stdout).toBe(0);
  }
  const valid = [{ containerID: "f2", ifname: "eth0" }];
  const gc = await h.call("GC", { ...cfg(), "cni.dev/valid-attachments": valid });
  expect({ code: gc.exitCode, out: gc.stdout }).toEqual({ code: 0, out: "" });
  expect(await h.ports()).toEqual([hostIfName("f2", "eth0")]);
  const gcCall = calls().find((c) => c.startsWith("GC"));
  expect(gcCall).toContain('"cni.dev/valid-attachments":[{"containerID":"f2","ifname":"eth0"}]');
  expect(calls().filter((c) => c.startsWith("DEL"))).toEqual([]);
});
