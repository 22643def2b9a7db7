/**
 * ovs-sdnctl doctor and gc against a real OVS sandbox and the real controller process: passing on a
 * healthy node, failing with exit code 3 on a leaked port, a lease without a port and a stopped
 * controller (after which the bridge fails closed), gc removing the leaked port, and a restarted
 * controller restoring everything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { ourCookieFilter } from "../../../ovs/openflow/cookie.js";
import { ping } from "./containers.js";
import { BRIDGE } from "./helpers.js";
import { CliWorld } from "./world.js";

describe("ovs-sdnctl doctor and gc", () => {
  let w: CliWorld;

  beforeAll(async () => {
    w = await CliWorld.start("doc");
    expect((await w.ctl("apply", "-f", w.definitionsFile)).exitCode).toBe(0);
    await w.attachPods();
  });

  afterAll(async () => {
    await w?.stop();
  });

  it("doctor passes on a healthy node", async () => {
    const r = await w.ctl("doctor");
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout.split("\n").filter((l) => /^(OK|FAIL|SKIP) /.test(l))).toHaveLength(8);
    expect(r.stdout).toMatch(/^OK {4}bridge fail-secure: bridge br-int: fail_mode=secure, datapath netdev$/m);
    expect(r.stdout).toMatch(/^OK {4}flows in sync: (\d+) flow\(s\) installed, as the controller expects$/m);
    expect(r.stdout).toMatch(/^OK {4}checksum offload: userspace datapath: tx checksum offload off in 3 container\(s\)$/m);
    // The pods here were attached without the plugin, so no ADD has written its code cache yet.
    expect(r.stdout).toMatch(/^OK {4}CNI plugin: \S+\/cni-bin\/ovs-sdn answers VERSION \(0\.3\.0 … 1\.1\.0\); no code cache yet for plugin-[0-9a-f]{16} \(the first successful ADD writes it\)$/m);
    expect(r.stdout).toMatch(/all checks passed\n$/);
  });

  it("doctor fails the plugin check when the plugin is not where it looks", async () => {
    const r = await w.ctl("doctor", "--cni-bin-dir", join(w.dir, "no-such-dir"));
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain(`FAIL  CNI plugin: ${join(w.dir, "no-such-dir")}/ovs-sdn does not answer VERSION: not installed\n      hint: deploy/install-plugin.sh`);
  });

  it("doctor finds a leaked port (exit 3) and gc removes it", async () => {
    const leaky = await w.attach({ pod: "lk", ip: "10.61.0.50", gateway: "10.61.0.1", mac: "02:00:00:61:00:50", recordedNetns: join(w.dir, "no-such-netns") });
    // And a lease whose ADD never attached a port.
    const client = w.client();
    await client.attach({ containerId: "ghost-0123456789", ifname: "eth0", netns: join(w.dir, "ghost"), network: "blue", requestedIps: ["10.61.0.60"] });
    const found = await w.ctl("doctor");
    expect(found.exitCode).toBe(3);
    expect(found.stdout).toMatch(new RegExp(`^FAIL {2}no leaked ports: 1 of 4 port\\(s\\): ${leaky.hostIf} \\(network namespace gone\\)\\n {6}hint: ovs-sdnctl gc`, "m"));
    expect(found.stdout).toMatch(/^FAIL {2}no leases without a port: 1 of 1 lease\(s\) have no port: 10\.61\.0\.60 \(ghost-012345\/eth0\)$/m);

    const gc = await w.ctl("gc");
    expect(gc.exitCode, gc.stderr).toBe(0);
    // The port goes at once; the young lease stays until the grace period is over (its ADD may be in flight).
    expect(gc.stdout).toBe(`removed port ${leaky.hostIf} (its network namespace is gone)\n1 port(s) removed, 0 lease(s) released\n`);
    expect((await w.ctl("get", "ports")).stdout).not.toContain(leaky.hostIf);
    await client.release("ghost-0123456789", "eth0");
    expect((await w.eventuallyHealthy()).exitCode).toBe(0);
  });

  it("doctor fails with exit 3 when the controller is down; the bridge then fails closed", async () => {
    await w.stopController();
    const r = await w.ctl("doctor");
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain(`FAIL  controller up: controller not reachable at ${w.paths.apiSocket}`);
    expect(r.stdout).toMatch(/^SKIP {2}flows in sync: needs the controller/m);
    expect(r.stdout).toMatch(/^OK {4}OVS reachable/m);

    const gc = await w.ctl("gc");
    expect(gc.exitCode).toBe(1);
    expect(gc.stderr).toMatch(new RegExp(`^ovs-sdnctl: controller not reachable at ${w.paths.apiSocket}: connect (ECONNREFUSED|ENOENT) `));

    // Flows stay after a graceful stop; once they are deleted, nothing passes (fail_mode=secure).
    expect(await ping(w.c("a1"), w.c("a2").ip)).toBe(true);
    await w.sandbox.ofctl(BRIDGE, "del-flows", ourCookieFilter());
    const trace = await w.ctl("trace", "default/a1", w.c("a2").ip);
    expect(trace.stdout).toMatch(/Verdict: DROPPED: the container cannot resolve 10\.61\.0\.12 .*dropped in table Classifier \(0\) by the table miss/);
    expect(await ping(w.c("a1"), w.c("a2").ip)).toBe(false);
  });

  it("a restarted controller restores the flows and doctor passes again", async () => {
    await w.startController();
    const client = w.client();
    expect(await client.waitFlows(w.c("a1").containerId, "eth0", 5_000)).toMatchObject({ installed: true });
    expect((await w.eventuallyHealthy()).exitCode).toBe(0);
    expect((await w.ctl("trace", "default/a1", "default/a2")).stdout).toContain("Verdict: DELIVERED");
    expect(await ping(w.c("a1"), w.c("a2").ip)).toBe(true);
  });
});
