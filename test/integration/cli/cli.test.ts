/**
 * ovs-sdnctl end to end against a real OVS sandbox and the real controller process: apply/get in
 * table, JSON and YAML form, managed ports attached by hand, the pipeline shown with table names,
 * traces whose verdicts real pings confirm, doctor passing then failing (leaked port, controller
 * stopped), gc, delete, and the exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { OvsSandbox } from "../../../ovs/sandbox.js";
import { ourCookieFilter } from "../../../ovs/openflow/cookie.js";
import { ControllerClient } from "../../../controller/api/client.js";
import { TABLES } from "../../../controller/pipeline/tables.js";
import { deleteNetns, netnsPath } from "../../helpers/netns.js";
import { attachContainer, BRIDGE, controllerPaths, ping, sdnctl, startController, stopController, type Paths, type TestContainer } from "./helpers.js";

const DEFINITIONS = `# one tenant, two subnets; icmp allowed from blue-a to blue-b only
apiVersion: ovs-sdn.io/v1alpha1
kind: Network
metadata: {name: blue}
spec: {tenant: acme, interSubnet: deny}
---
apiVersion: ovs-sdn.io/v1alpha1
kind: Subnet
metadata: {name: blue-a}
spec: {network: blue, cidr: 10.61.0.0/24}
---
apiVersion: ovs-sdn.io/v1alpha1
kind: Subnet
metadata: {name: blue-b}
spec: {network: blue, cidr: 10.62.0.0/24}
---
apiVersion: ovs-sdn.io/v1alpha1
kind: IsolationPolicy
metadata: {name: a-to-b-icmp}
spec:
  tenant: acme
  rules:
    - {action: allow, from: [{subnet: blue-a}], to: [{subnet: blue-b}], protocol: icmp}
`;

describe("ovs-sdnctl", () => {
  let sandbox: OvsSandbox;
  let dir: string;
  let paths: Paths;
  let controller: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  const containers: TestContainer[] = [];
  const ctl = (...args: string[]) => sdnctl(env, args);
  const c = (pod: string) => containers.find((x) => x.pod === pod)!;

  beforeAll(async () => {
    sandbox = await OvsSandbox.start({ prefix: "cli" });
    dir = mkdtempSync(join(tmpdir(), "ovs-sdnctl-it-"));
    paths = controllerPaths(dir);
    controller = await startController(sandbox, paths);
    env = {
      ...process.env,
      OVS_SDNCTL_API_SOCKET: paths.apiSocket,
      OVS_SDNCTL_OVSDB: sandbox.dbRemote,
      OVS_SDNCTL_OPENFLOW_TARGET: `unix:${sandbox.mgmtSocket(BRIDGE)}`,
      OVS_SDNCTL_APPCTL_TARGET: sandbox.controlSocket("ovs-vswitchd"),
    };
    writeFileSync(join(dir, "defs.yaml"), DEFINITIONS);
  });

  afterAll(async () => {
    await stopController(controller);
    for (const container of containers) await deleteNetns(container.netns);
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("applies a multi-document YAML file and reports each definition", async () => {
    const r = await ctl("apply", "-f", join(dir, "defs.yaml"));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe("network/blue created\nsubnet/blue-a created\nsubnet/blue-b created\nisolationpolicy/a-to-b-icmp created\n");
    expect((await ctl("apply", "-f", join(dir, "defs.yaml"))).stdout).toContain("network/blue unchanged\n");
  });

  it("refuses an invalid definition with exit code 1, naming the field", async () => {
    writeFileSync(join(dir, "bad.yaml"), "kind: Subnet\nmetadata: {name: bad}\nspec: {network: blue, cidr: 10.63.0.0/24, gateway: 10.99.0.1}\n");
    const r = await ctl("apply", "-f", join(dir, "bad.yaml"));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^ovs-sdnctl: invalid definition: Subnet "bad": spec\.gateway/);
    expect(r.stdout).toBe("");
  });

  it("shows definitions as tables, JSON and YAML", async () => {
    const networks = await ctl("get", "networks");
    expect(networks.stdout).toMatch(/^NAME +TENANT +VLAN +VNI +MTU +INTER-SUBNET\nblue +acme +\d+ +\d+ +1500 +deny\n$/);
    const subnets = await ctl("list", "subnets");
    expect(subnets.stdout.split("\n").filter((l) => l !== "")).toEqual([
      expect.stringMatching(/^NAME +NETWORK +CIDR +GATEWAY/),
      expect.stringMatching(/^blue-a +blue +10\.61\.0\.0\/24 +10\.61\.0\.1 /),
      expect.stringMatching(/^blue-b +blue +10\.62\.0\.0\/24 +10\.62\.0\.1 /),
    ]);
    const json = JSON.parse((await ctl("get", "subnets", "-o", "json")).stdout) as Array<{ metadata: { name: string } }>;
    expect(json.map((s) => s.metadata.name)).toEqual(["blue-a", "blue-b"]);
    const one = parseYaml((await ctl("get", "subnet", "blue-b", "-o", "yaml")).stdout) as { kind: string; spec: { gateway: string } };
    expect(one).toMatchObject({ kind: "Subnet", spec: { gateway: "10.62.0.1" } });
    expect((await ctl("get", "policies")).stdout).toMatch(/\na-to-b-icmp +acme +100 +1 +allow icmp\n/);
    const missing = await ctl("get", "network", "nope");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('Network "nope" not found');
  });

  it("sees managed ports attached by hand, with their flows installed", async () => {
    const [network] = JSON.parse((await ctl("get", "networks", "-o", "json")).stdout) as Array<{ spec: { vlan: number } }>;
    const vlan = network!.spec.vlan;
    const base = { prefix: 24, vlan, network: "blue" };
    containers.push(await attachContainer(sandbox, { ...base, pod: "a1", ip: "10.61.0.11", gateway: "10.61.0.1", mac: "02:00:00:61:00:11" }));
    containers.push(await attachContainer(sandbox, { ...base, pod: "a2", ip: "10.61.0.12", gateway: "10.61.0.1", mac: "02:00:00:61:00:12" }));
    containers.push(await attachContainer(sandbox, { ...base, pod: "b1", ip: "10.62.0.11", gateway: "10.62.0.1", mac: "02:00:00:62:00:11" }));
    const client = new ControllerClient(paths.apiSocket);
    for (const x of containers) expect(await client.waitFlows(x.containerId, "eth0", 5_000)).toMatchObject({ installed: true, portName: x.hostIf });

    const table = (await ctl("get", "ports")).stdout;
    for (const x of containers) expect(table).toMatch(new RegExp(`^${x.hostIf} +\\d+ +${vlan} +managed +blue +${x.containerId.slice(0, 12)} +eth0 +${x.ip}/24 +${x.mac} +default/${x.pod} +-$`, "m"));
    const json = JSON.parse((await ctl("get", "ports", "-o", "json")).stdout) as Array<{ name: string; identity: { podName: string } }>;
    expect(json.map((p) => p.identity.podName).sort()).toEqual(["a1", "a2", "b1"]);
    expect(JSON.parse((await ctl("get", "port", "default/b1", "-o", "json")).stdout)).toMatchObject({ name: c("b1").hostIf });
    expect((await ctl("get", "leases", "--network", "blue")).stdout).toBe("<none>\n");
    // a2's address leased the way the plugin asks for it (a fixed IP).
    const a2 = c("a2");
    await client.attach({ containerId: a2.containerId, ifname: "eth0", netns: netnsPath(a2.netns), network: "blue", podNamespace: "default", podName: "a2", requestedIps: [a2.ip], requestedMac: a2.mac });
    expect((await ctl("get", "leases")).stdout).toMatch(new RegExp(`^NETWORK +SUBNET +IP +KIND +CONTAINER +IFNAME +OWNER +AGE\nblue +blue-a +${a2.ip} +fixed +${a2.containerId.slice(0, 12)} +eth0 +default/a2 +\\d+s\n$`));
    expect(JSON.parse((await ctl("get", "lease", a2.ip, "-o", "json")).stdout)).toEqual([expect.objectContaining({ containerId: a2.containerId, subnet: "blue-a" })]);
    expect((await ctl("get", "leases", "--network", "other")).stdout).toBe("<none>\n");
  });

  it("shows the pipeline with table names, grouped by port and network, with packet counters", async () => {
    expect(await ping(c("a1"), c("a2").ip)).toBe(true);
    const text = (await ctl("flows")).stdout;
    for (const t of TABLES) expect(text).toMatch(new RegExp(`^${t.name} \\(table ${t.id}\\): \\d+ flows?, \\d+ packets?$`, "m"));
    for (const x of containers) expect(text).toContain(`  port ${x.hostIf} (${x.containerId.slice(0, 12)}/eth0, network blue): `);
    expect(text).toMatch(/^ {2}network blue: \d+ packets?$/m);
    expect(text).toMatch(new RegExp(`^ +[1-9]\\d* +100 +classifierPort +in_port=${c("a1").hostIf},`, "m"));

    const acl = (await ctl("flows", "--table", "acl")).stdout;
    expect(acl.match(/^\S.*\(table \d+\)/gm)).toEqual([expect.stringMatching(/^Acl \(table 50\)/)]);
    const mine = JSON.parse((await ctl("flows", "--port", "default/a1", "-o", "json")).stdout) as Array<{ table: string; match: string; packets: number }>;
    expect(new Set(mine.map((f) => f.table))).toEqual(new Set(["Classifier", "SpoofGuard", "Neighbor", "L3Route", "L2Forward"]));
    expect(mine.every((f) => !f.match.includes(c("a2").ip) && !f.match.includes(c("b1").hostIf))).toBe(true);
    const all = JSON.parse((await ctl("flows", "-o", "json")).stdout) as Array<{ table: string }>;
    const installed = (await sandbox.ofctl(BRIDGE, "dump-flows", ourCookieFilter())).split("\n").filter((l) => l.includes("cookie=")).length;
    expect(all).toHaveLength(installed);
  });

  it("traces an allowed and a blocked packet; real pings agree", async () => {
    const same = await ctl("trace", "default/a1", "default/a2");
    expect(same.exitCode, same.stderr).toBe(0);
    expect(same.stdout).toContain(`Verdict: DELIVERED: delivered to ${c("a2").hostIf} (container ${c("a2").containerId.slice(0, 12)}/eth0, network blue)`);
    expect(same.stdout).toContain(`Next hop: on-link ${c("a2").ip} (subnet blue-a) is at ${c("a2").mac} (answered by the pipeline's ARP responder)`);
    expect(same.stdout).toMatch(/^ +50 Acl +same subnet: allowed \[aclIntraSubnet/m);

    const allowed = await ctl("trace", c("a1").containerId, c("b1").ip, "icmp");
    expect(allowed.stdout).toContain(`Verdict: DELIVERED: delivered to ${c("b1").hostIf}`);
    expect(allowed.stdout).toMatch(/Next hop: via gateway 10\.61\.0\.1 \(subnet blue-a\) is at 0a:5d:/);
    expect(allowed.stdout).toMatch(/^ +50 Acl +isolation policy rule: allow \[aclRule/m);
    expect(allowed.stdout).toMatch(/^ +61 L3Route +routed by the distributed gateway/m);
    expect(await ping(c("a1"), c("b1").ip)).toBe(true);

    const blocked = await ctl("trace", "default/b1", c("a1").ip);
    expect(blocked.exitCode).toBe(0);
    expect(blocked.stdout).toContain("Verdict: DROPPED: dropped in table Acl (50) by rule aclNetworkDefault: between subnets of the network: the network's inter-subnet default: deny");
    expect(await ping(c("b1"), c("a1").ip)).toBe(false);

    const json = JSON.parse((await ctl("trace", "default/b1", "default/a1", "tcp/80", "-o", "json")).stdout) as { verdict: { kind: string; tableName: string }; flow: string };
    expect(json.verdict).toMatchObject({ kind: "dropped", tableName: "Acl" });
    expect(json.flow).toContain("tcp_dst=80");
  });

  it("doctor passes on a healthy node", async () => {
    const r = await ctl("doctor");
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter((l) => /^(OK|FAIL|SKIP) /.test(l))).toHaveLength(7);
    expect(r.stdout).toMatch(/^OK {4}bridge fail-secure: bridge br-int: fail_mode=secure, datapath netdev$/m);
    expect(r.stdout).toMatch(/^OK {4}flows in sync: (\d+) flow\(s\) installed, as the controller expects$/m);
    expect(r.stdout).toMatch(/^OK {4}checksum offload: userspace datapath: tx checksum offload off in 3 container\(s\)$/m);
    expect(r.stdout).toMatch(/all checks passed\n$/);
  });

  it("doctor finds a leaked port (exit 3) and gc removes it", async () => {
    const vlan = (JSON.parse((await ctl("get", "network", "blue", "-o", "json")).stdout) as { spec: { vlan: number } }).spec.vlan;
    const leaky = await attachContainer(sandbox, { pod: "lk", ip: "10.61.0.50", prefix: 24, gateway: "10.61.0.1", mac: "02:00:00:61:00:50", vlan, network: "blue", recordedNetns: join(dir, "no-such-netns") });
    containers.push(leaky);
    // And a lease whose ADD never attached a port.
    const client = new ControllerClient(paths.apiSocket);
    await client.attach({ containerId: "ghost-0123456789", ifname: "eth0", netns: join(dir, "ghost"), network: "blue", requestedIps: ["10.61.0.60"] });
    const found = await ctl("doctor");
    expect(found.exitCode).toBe(3);
    expect(found.stdout).toMatch(new RegExp(`^FAIL {2}no leaked ports: 1 of 4 port\\(s\\): ${leaky.hostIf} \\(network namespace gone\\)\\n {6}hint: ovs-sdnctl gc`, "m"));
    expect(found.stdout).toMatch(/^FAIL {2}no leases without a port: 1 of 2 lease\(s\) have no port: 10\.61\.0\.60 \(ghost-012345\/eth0\)$/m);

    const gc = await ctl("gc");
    expect(gc.exitCode, gc.stderr).toBe(0);
    // The port goes at once; the young lease stays until the grace period is over (its ADD may be in flight).
    expect(gc.stdout).toBe(`removed port ${leaky.hostIf} (its network namespace is gone)\n1 port(s) removed, 0 lease(s) released\n`);
    expect((await ctl("get", "ports")).stdout).not.toContain(leaky.hostIf);
    await client.release("ghost-0123456789", "eth0");
    expect(await eventuallyHealthy()).toBe(0);
  });

  it("doctor fails with exit 3 when the controller is down; the bridge then fails closed", async () => {
    await stopController(controller);
    const r = await ctl("doctor");
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain(`FAIL  controller up: controller not reachable at ${paths.apiSocket}`);
    expect(r.stdout).toMatch(/^SKIP {2}flows in sync: needs the controller/m);
    expect(r.stdout).toMatch(/^OK {4}OVS reachable/m);

    const gc = await ctl("gc");
    expect(gc.exitCode).toBe(1);
    expect(gc.stderr).toMatch(new RegExp(`^ovs-sdnctl: controller not reachable at ${paths.apiSocket}: connect (ECONNREFUSED|ENOENT) `));

    // Flows stay after a graceful stop; once they are deleted, nothing passes (fail_mode=secure).
    expect(await ping(c("a1"), c("a2").ip)).toBe(true);
    await sandbox.ofctl(BRIDGE, "del-flows", ourCookieFilter());
    const trace = await ctl("trace", "default/a1", c("a2").ip);
    expect(trace.stdout).toMatch(/Verdict: DROPPED: the container cannot resolve 10\.61\.0\.12 .*dropped in table Classifier \(0\) by the table miss/);
    expect(await ping(c("a1"), c("a2").ip)).toBe(false);
  });

  it("a restarted controller restores the flows and doctor passes again", async () => {
    controller = await startController(sandbox, paths);
    const client = new ControllerClient(paths.apiSocket);
    expect(await client.waitFlows(c("a1").containerId, "eth0", 5_000)).toMatchObject({ installed: true });
    expect(await eventuallyHealthy()).toBe(0);
    expect((await ctl("trace", "default/a1", "default/a2")).stdout).toContain("Verdict: DELIVERED");
    expect(await ping(c("a1"), c("a2").ip)).toBe(true);
  });

  it("deletes definitions from a file in dependency order, keeps going past failures, then reports missing ones", async () => {
    const blocked = await ctl("delete", "-f", join(dir, "defs.yaml"));
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stdout).toBe("isolationpolicy/a-to-b-icmp deleted\nsubnet/blue-b deleted\n");
    expect(blocked.stderr).toMatch(/^ovs-sdnctl: 2 of 4 deletions failed\n {2}.*Subnet "blue-a".*lease.*\n {2}.*Network "blue".*blue-a/);
    await new ControllerClient(paths.apiSocket).release(c("a2").containerId, "eth0");
    const r = await ctl("delete", "-f", join(dir, "defs.yaml"), "--ignore-not-found");
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe("isolationpolicy/a-to-b-icmp not found (ignored)\nsubnet/blue-a deleted\nsubnet/blue-b not found (ignored)\nnetwork/blue deleted\n");
    expect((await ctl("get", "networks")).stdout).toBe("<none>\n");
    const again = await ctl("delete", "network", "blue");
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe("ovs-sdnctl: network/blue not found\n");
    expect((await ctl("delete", "network", "blue", "--ignore-not-found")).exitCode).toBe(0);
  });

  it("exits 2 on usage errors", async () => {
    for (const args of [["bogus"], ["get"], ["get", "widgets"], ["flows", "-o", "xml"], ["trace", "a1"]]) {
      const r = await ctl(...args);
      expect(r.exitCode, args.join(" ")).toBe(2);
      expect(r.stderr).not.toBe("");
    }
    expect((await ctl("--help")).exitCode).toBe(0);
  });

  /** Doctor until it passes (the controller converges asynchronously after a change); its last exit code. */
  async function eventuallyHealthy(): Promise<number> {
    let last = await ctl("doctor");
    for (let i = 0; i < 50 && last.exitCode !== 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      last = await ctl("doctor");
    }
    if (last.exitCode !== 0) console.error(last.stdout);
    return last.exitCode;
  }
});
