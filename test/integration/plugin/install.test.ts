/** deploy/install-plugin.sh into temp dirs only: the binary works, the conflist parses, reruns keep the config. */
import { readdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { run } from "../../../ovs/exec.js";

const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-install-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("installs the plugin and the example conflist, and keeps an edited conflist", async () => {
  const [bin, conf] = [join(dir, "bin"), join(dir, "net.d")];
  const out = await run("bash", ["deploy/install-plugin.sh", bin, conf]);
  expect(out).toContain(`installed ${bin}/ovs-sdn`);
  expect(statSync(join(bin, "ovs-sdn")).mode & 0o777).toBe(0o755);
  // The launcher clears NODE_EXTRA_CA_CERTS: a missing CA file would make Node warn on stderr.
  const env = { ...process.env, CNI_COMMAND: "VERSION", NODE_EXTRA_CA_CERTS: join(dir, "no-such-ca.pem") };
  const { runFull } = await import("../../../ovs/exec.js");
  const r = await runFull(join(bin, "ovs-sdn"), [], { env, input: '{"cniVersion":"1.0.0"}' });
  expect(JSON.parse(r.stdout).supportedVersions).toEqual(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"]);
  expect(r.stderr).toBe("");
  const list = JSON.parse(readFileSync(join(conf, "10-ovs-sdn.conflist"), "utf8"));
  expect(list.plugins[0].type).toBe("ovs-sdn");

  writeFileSync(join(conf, "10-ovs-sdn.conflist"), "{}");
  expect(await run("bash", ["deploy/install-plugin.sh", bin, conf])).toContain("kept existing");
  expect(readFileSync(join(conf, "10-ovs-sdn.conflist"), "utf8")).toBe("{}");
});

it("every example conflist is a config the plugin accepts", async () => {
  const { parseConfig } = await import("../../../plugin/cni/config.js");
  const files = readdirSync("deploy/cni").filter((f) => f.endsWith(".conflist"));
  expect(files).toEqual(expect.arrayContaining(["ovs-sdn.conflist", "ovs-sdn-trunk.conflist", "ovs-sdn-managed.conflist"]));
  for (const file of files) {
    const list = JSON.parse(readFileSync(join("deploy/cni", file), "utf8")) as { cniVersion: string; name: string; plugins: Record<string, unknown>[] };
    for (const plugin of list.plugins) expect(() => parseConfig({ ...plugin, name: list.name, cniVersion: list.cniVersion })).not.toThrow();
  }
});
