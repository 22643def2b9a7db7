/**
 * ovs-sdnctl end to end against a real OVS sandbox and the real controller process: apply/get in
 * table, JSON and YAML form, managed ports attached by hand, the pipeline shown with table names,
 * traces whose verdicts real pings confirm, delete, and the exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { ourCookieFilter } from "../../../ovs/openflow/cookie.js";
import { TABLES } from "../../../controller/pipeline/tables.js";
import { netnsPath } from "../../helpers/netns.js";
import { ping } from "./containers.js";
import { BRIDGE } from "./helpers.js";
import { CliWorld } from "./world.js";

describe("ovs-sdnctl", () => {
  let w: CliWorld;

  beforeAll(async () => {
    w = await CliWorld.start("cli");
  });

  afterAll(async () => {
    await w?.stop();
  });

  it("applies a multi-document YAML file and reports each definition", async () => {
    const r = await w.ctl("apply", "-f", w.definitionsFile);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe("network/blue created\nsubnet/blue-a created\nsubnet/blue-b created\nisolationpolicy/a-to-b-icmp created\n");
    expect((await w.ctl("apply", "-f", w.definitionsFile)).stdout).toContain("network/blue unchanged\n");
  });

  it("refuses an invalid definition with exit code 1, naming the field", async () => {
    writeFileSync(join(w.dir, "bad.yaml"), "kind: Subnet\nmetadata: {name: bad}\nspec: {network: blue, cidr: 10.63.0.0/24, gateway: 10.99.0.1}\n");
    const r = await w.ctl("apply", "-f", join(w.dir, "bad.yaml"));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^ovs-sdnctl: invalid definition: Subnet "bad": spec\.gateway/);
    expect(r.stdout).toBe("");
  });

  it("shows definitions as tables, JSON and YAML", async () => {
    const networks = await w.ctl("get", "networks");
    expect(networks.stdout).toMatch(/^NAME +TENANT +VLAN +VNI +MTU +INTER-SUBNET\nblue +acme +\d+ +\d+ +1500 +deny\n$/);
    const subnets = await w.ctl("list", "subnets");
    expect(subnets.stdout.split("\n").filter((l) => l !== "")).toEqual([
      expect.stringMatching(/^NAME +NETWORK +CIDR +GATEWAY/),
      expect.stringMatching(/^blue-a +blue +10\.61\.0\.0\/24 +10\.61\.0\.1 /),
      expect.stringMatching(/^blue-b +blue +10\.62\.0\.0\/24 +10\.62\.0\.1 /),
    ]);
    const json = JSON.parse((await w.ctl("get", "subnets", "-o", "json")).stdout) as Array<{ metadata: { name: string } }>;
    expect(json.map((s) => s.metadata.name)).toEqual(["blue-a", "blue-b"]);
    const one = parseYaml((await w.ctl("get", "subnet", "blue-b", "-o", "yaml")).stdout) as { kind: string; spec: { gateway: string } };
    expect(one).toMatchObject({ kind: "Subnet", spec: { gateway: "10.62.0.1" } });
    expect((await w.ctl("get", "policies")).stdout).toMatch(/\na-to-b-icmp +acme +100 +1 +allow icmp\n/);
    const missing = await w.ctl("get", "network", "nope");
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain('Network "nope" not found');
  });

  it("sees managed ports attached by hand, with their flows installed", async () => {
    await w.attachPods();
    const vlan = await w.vlanOf("blue");
    const table = (await w.ctl("get", "ports")).stdout;
    for (const x of w.containers) expect(table).toMatch(new RegExp(`^${x.hostIf} +\\d+ +${vlan} +managed +blue +${x.containerId.slice(0, 12)} +eth0 +${x.ip}/24 +${x.mac} +default/${x.pod} +-$`, "m"));
    const json = JSON.parse((await w.ctl("get", "ports", "-o", "json")).stdout) as Array<{ name: string; identity: { podName: string } }>;
    expect(json.map((p) => p.identity.podName).sort()).toEqual(["a1", "a2", "b1"]);
    expect(JSON.parse((await w.ctl("get", "port", "default/b1", "-o", "json")).stdout)).toMatchObject({ name: w.c("b1").hostIf });
    expect((await w.ctl("get", "leases", "--network", "blue")).stdout).toBe("<none>\n");
    // a2's address leased the way the plugin asks for it (a fixed IP).
    const a2 = w.c("a2");
    await w.client().attach({ containerId: a2.containerId, ifname: "eth0", netns: netnsPath(a2.netns), network: "blue", podNamespace: "default", podName: "a2", requestedIps: [a2.ip], requestedMac: a2.mac });
    expect((await w.ctl("get", "leases")).stdout).toMatch(new RegExp(`^NETWORK +SUBNET +IP +KIND +CONTAINER +IFNAME +OWNER +AGE\nblue +blue-a +${a2.ip} +fixed +${a2.containerId.slice(0, 12)} +eth0 +default/a2 +\\d+s\n$`));
    expect(JSON.parse((await w.ctl("get", "lease", a2.ip, "-o", "json")).stdout)).toEqual([expect.objectContaining({ containerId: a2.containerId, subnet: "blue-a" })]);
    expect((await w.ctl("get", "leases", "--network", "other")).stdout).toBe("<none>\n");
  });

  it("shows the pipeline with table names, grouped by port and network, with packet counters", async () => {
    expect(await ping(w.c("a1"), w.c("a2").ip)).toBe(true);
    const text = (await w.ctl("flows")).stdout;
    for (const t of TABLES) expect(text).toMatch(new RegExp(`^${t.name} \\(table ${t.id}\\): \\d+ flows?, \\d+ packets?$`, "m"));
    for (const x of w.containers) expect(text).toContain(`  port ${x.hostIf} (${x.containerId.slice(0, 12)}/eth0, network blue): `);
    expect(text).toMatch(/^ {2}network blue: \d+ packets?$/m);
    expect(text).toMatch(new RegExp(`^ +[1-9]\\d* +100 +classifierPort +in_port=${w.c("a1").hostIf},`, "m"));

    const acl = (await w.ctl("flows", "--table", "acl")).stdout;
    expect(acl.match(/^\S.*\(table \d+\)/gm)).toEqual([expect.stringMatching(/^Acl \(table 50\)/)]);
    const mine = JSON.parse((await w.ctl("flows", "--port", "default/a1", "-o", "json")).stdout) as Array<{ table: string; match: string; packets: number }>;
    expect(new Set(mine.map((f) => f.table))).toEqual(new Set(["Classifier", "SpoofGuard", "Neighbor", "L3Route", "L2Forward"]));
    expect(mine.every((f) => !f.match.includes(w.c("a2").ip) && !f.match.includes(w.c("b1").hostIf))).toBe(true);
    const all = JSON.parse((await w.ctl("flows", "-o", "json")).stdout) as Array<{ table: string }>;
    const installed = (await w.sandbox.ofctl(BRIDGE, "dump-flows", ourCookieFilter())).split("\n").filter((l) => l.includes("cookie=")).length;
    expect(all).toHaveLength(installed);
  });

  it("traces an allowed and a blocked packet; real pings agree", async () => {
    const same = await w.ctl("trace", "default/a1", "default/a2");
    expect(same.exitCode, same.stderr).toBe(0);
    expect(same.stdout).toContain(`Verdict: DELIVERED: delivered to ${w.c("a2").hostIf} (container ${w.c("a2").containerId.slice(0, 12)}/eth0, network blue)`);
    expect(same.stdout).toContain(`Next hop: on-link ${w.c("a2").ip} (subnet blue-a) is at ${w.c("a2").mac} (answered by the pipeline's ARP responder)`);
    expect(same.stdout).toMatch(/^ +50 Acl +same subnet: allowed \[aclIntraSubnet/m);

    const allowed = await w.ctl("trace", w.c("a1").containerId, w.c("b1").ip, "icmp");
    expect(allowed.stdout).toContain(`Verdict: DELIVERED: delivered to ${w.c("b1").hostIf}`);
    expect(allowed.stdout).toMatch(/Next hop: via gateway 10\.61\.0\.1 \(subnet blue-a\) is at 0a:5d:/);
    expect(allowed.stdout).toMatch(/^ +50 Acl +isolation policy rule: allow \[aclRule/m);
    expect(allowed.stdout).toMatch(/^ +61 L3Route +routed by the distributed gateway/m);
    expect(await ping(w.c("a1"), w.c("b1").ip)).toBe(true);

    const blocked = await w.ctl("trace", "default/b1", w.c("a1").ip);
    expect(blocked.exitCode).toBe(0);
    expect(blocked.stdout).toContain("Verdict: DROPPED: dropped in table Acl (50) by rule aclNetworkDefault: between subnets of the network: the network's inter-subnet default: deny");
    expect(await ping(w.c("b1"), w.c("a1").ip)).toBe(false);

    const json = JSON.parse((await w.ctl("trace", "default/b1", "default/a1", "tcp/80", "-o", "json")).stdout) as { verdict: { kind: string; tableName: string }; flow: string };
    expect(json.verdict).toMatchObject({ kind: "dropped", tableName: "Acl" });
    expect(json.flow).toContain("tcp_dst=80");
  });

  it("deletes definitions from a file in dependency order, keeps going past failures, then reports missing ones", async () => {
    const blocked = await w.ctl("delete", "-f", w.definitionsFile);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stdout).toBe("isolationpolicy/a-to-b-icmp deleted\nsubnet/blue-b deleted\n");
    expect(blocked.stderr).toMatch(/^ovs-sdnctl: 2 of 4 deletions failed\n {2}.*Subnet "blue-a".*lease.*\n {2}.*Network "blue".*blue-a/);
    await w.client().release(w.c("a2").containerId, "eth0");
    const r = await w.ctl("delete", "-f", w.definitionsFile, "--ignore-not-found");
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe("isolationpolicy/a-to-b-icmp not found (ignored)\nsubnet/blue-a deleted\nsubnet/blue-b not found (ignored)\nnetwork/blue deleted\n");
    expect((await w.ctl("get", "networks")).stdout).toBe("<none>\n");
    const again = await w.ctl("delete", "network", "blue");
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toBe("ovs-sdnctl: network/blue not found\n");
    expect((await w.ctl("delete", "network", "blue", "--ignore-not-found")).exitCode).toBe(0);
  });

  it("exits 2 on usage errors", async () => {
    for (const args of [["bogus"], ["get"], ["get", "widgets"], ["flows", "-o", "xml"], ["trace", "a1"]]) {
      const r = await w.ctl(...args);
      expect(r.exitCode, args.join(" ")).toBe(2);
      expect(r.stderr).not.toBe("");
    }
    expect((await w.ctl("--help")).exitCode).toBe(0);
  });
});
