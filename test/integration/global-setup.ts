/**
 * Integration tests need root, Open vSwitch, iproute2 and friends. Fail loudly when something is
 * missing instead of skipping: a skipped suite must never look like a passing one.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const requiredCommands = ["ovsdb-server", "ovs-vswitchd", "ovsdb-tool", "ovs-vsctl", "ovs-ofctl", "ovs-appctl", "ip", "ping", "arping", "ethtool", "nsenter", "iperf3", "python3", "openssl"];
const requiredFiles = ["/usr/share/openvswitch/vswitch.ovsschema", "/usr/lib/cni/host-local", "/usr/lib/cni/static", "/usr/lib/cni/bridge", "/usr/bin/etcd"];

export default function setup(): void {
  if (process.getuid?.() !== 0) throw new Error("integration tests need root (network namespaces, veths, OVS)");
  const missing = requiredCommands.filter((cmd) => !onPath(cmd)).concat(requiredFiles.filter((f) => !existsSync(f)));
  if (missing.length > 0) throw new Error(`integration tests need: ${missing.join(", ")} (run .ci/run or see README.md)`);
  // Tests run the bundled executables exactly as a runtime would.
  execFileSync("node", ["scripts/build.mjs"], { stdio: "inherit" });
}

function onPath(cmd: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
