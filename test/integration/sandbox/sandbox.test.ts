import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { OvsSandbox } from "../../../ovs/sandbox.js";
import { run } from "../../../ovs/exec.js";
import { createNetns, deleteNetns, execInNetns, uniqueName } from "../../helpers/netns.js";

/** Attaches a fresh netns to the sandbox bridge through a veth, as a plain access port. */
async function attachContainer(sandbox: OvsSandbox, name: string, address: string, tag: number): Promise<void> {
  await createNetns(name);
  const hostEnd = `${name}h`.slice(0, 15);
  await run("ip", ["link", "add", hostEnd, "netns", sandbox.netns, "type", "veth", "peer", "name", "eth0", "netns", name]);
  await sandbox.execInHost("ip", ["link", "set", hostEnd, "up"]);
  await execInNetns(name, "ethtool", ["-K", "eth0", "tx", "off"]);
  await execInNetns(name, "ip", ["addr", "add", address, "dev", "eth0"]);
  await execInNetns(name, "ip", ["link", "set", "eth0", "up"]);
  await sandbox.vsctl("add-port", "br-test", hostEnd, `tag=${tag}`);
}

describe("OvsSandbox", () => {
  let sandbox: OvsSandbox;
  const containers = [uniqueName("a"), uniqueName("b"), uniqueName("c")];

  beforeAll(async () => {
    sandbox = await OvsSandbox.start({ prefix: "sbx" });
    await sandbox.vsctl("add-br", "br-test", "--", "set", "bridge", "br-test", "datapath_type=netdev");
  });

  afterAll(async () => {
    for (const name of containers) await deleteNetns(name);
    await sandbox?.stop();
  });

  it("runs its own vswitchd inside its own host netns, not the system's", async () => {
    const pid = readFileSync(`${sandbox.dir}/ovs-vswitchd.pid`, "utf8").trim();
    const hostNs = await run("ip", ["netns", "identify", pid]);
    expect(hostNs.trim()).toBe(sandbox.netns);
    expect(await sandbox.vsctl("br-exists", "br-test")).toBe("");
    expect(existsSync(sandbox.mgmtSocket("br-test"))).toBe(true);
  });

  it("switches real packets between veths on one VLAN and not across VLANs", async () => {
    await attachContainer(sandbox, containers[0]!, "10.250.0.1/24", 10);
    await attachContainer(sandbox, containers[1]!, "10.250.0.2/24", 10);
    await attachContainer(sandbox, containers[2]!, "10.250.0.3/24", 20);
    await execInNetns(containers[0]!, "ping", ["-c", "2", "-W", "2", "-i", "0.2", "10.250.0.2"]);
    await expect(execInNetns(containers[0]!, "ping", ["-c", "1", "-W", "1", "10.250.0.3"])).rejects.toThrow(/exited with 1/);
  });

  it("restarts vswitchd and keeps switching", async () => {
    await sandbox.restartVswitchd();
    await execInNetns(containers[0]!, "ping", ["-c", "2", "-W", "2", "-i", "0.2", "10.250.0.2"]);
  });

  it("stop removes its processes, its netns and its directory", async () => {
    const other = await OvsSandbox.start({ prefix: "sby" });
    const pids = ["ovsdb-server", "ovs-vswitchd"].map((d) => Number(readFileSync(`${other.dir}/${d}.pid`, "utf8")));
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
    expect(await run("ip", ["netns", "list"])).not.toContain(other.netns);
    for (const pid of pids) {
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, "utf8") : "";
      expect(stat === "" || / Z /.test(stat)).toBe(true);
    }
    await other.stop(); // idempotent
  });
});
