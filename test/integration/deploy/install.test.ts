/** deploy/install.sh into temp dirs only (never the host's /usr, /etc, /opt/cni): install, run, uninstall. */
import { afterAll, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runFull } from "../../../ovs/exec.js";

const root = mkdtempSync(join(tmpdir(), "ovs-sdn-install-"));
const env = {
  ...process.env,
  PREFIX: join(root, "usr"),
  ETC_DIR: join(root, "etc/ovs-sdn"),
  UNIT_DIR: join(root, "systemd"),
  CNI_BIN_DIR: join(root, "opt/cni/bin"),
  CNI_CONF_DIR: join(root, "etc/cni/net.d"),
  NO_SYSTEMCTL: "1",
};

afterAll(() => rmSync(root, { recursive: true, force: true }));

it("installs the controller, CLI, unit, config and plugin, and uninstalls them again", async () => {
  await runFull("deploy/install.sh", ["install"], { env });
  const unit = readFileSync(join(root, "systemd/ovs-sdn-controller.service"), "utf8");
  expect(unit).toContain(`ExecStart=/usr/bin/env node ${join(root, "usr/lib/ovs-sdn")}/ovs-sdn-controller.js --config ${join(root, "etc/ovs-sdn")}/controller.json`);
  expect(JSON.parse(readFileSync(join(root, "etc/ovs-sdn/controller.json"), "utf8"))).toMatchObject({ bridge: "br-int", apiSocket: "/var/run/ovs-sdn/controller.sock" });
  // The installed executables run: the CLI's help and the controller's own check of its config.
  expect((await runFull(join(root, "usr/bin/ovs-sdnctl"), ["--help"], { env })).stdout).toContain("Usage: ovs-sdnctl");
  writeFileSync(join(root, "bad.json"), JSON.stringify({ brige: "typo" }));
  const bad = await runFull("node", [join(root, "usr/lib/ovs-sdn/ovs-sdn-controller.js"), "--config", join(root, "bad.json")], { env, okExitCodes: [1] });
  expect(bad.stderr).toContain('unknown key "brige"');
  const version = await runFull(join(root, "opt/cni/bin/ovs-sdn"), [], { env: { ...env, CNI_COMMAND: "VERSION" }, input: '{"cniVersion":"1.1.0"}' });
  expect(JSON.parse(version.stdout).supportedVersions).toContain("1.1.0");

  await runFull("deploy/install.sh", ["uninstall"], { env });
  for (const path of ["systemd/ovs-sdn-controller.service", "usr/bin/ovs-sdnctl", "usr/lib/ovs-sdn", "opt/cni/bin/ovs-sdn", "opt/cni/bin/ovs-sdn.d", "etc/cni/net.d/10-ovs-sdn.conflist"]) {
    expect(existsSync(join(root, path)), path).toBe(false);
  }
  expect(existsSync(join(root, "etc/ovs-sdn/controller.json"))).toBe(true); // configuration is kept
});
