/**
 * Applying the pipeline: one atomic bundle per change, only our cookies, only what changed; the
 * same desired state twice changes nothing; a policy change touches only its rule's flows and
 * loses no packet; after an ovs-vswitchd restart (every flow gone) one sync restores traffic.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { OfctlFlowApplier } from "../../../ovs/openflow/applier.js";
import { syncFlows } from "../../../ovs/openflow/sync.js";
import { cookieOf, purposeOf } from "../../../ovs/openflow/cookie.js";
import { OpenFlowError } from "../../../ovs/openflow/errors.js";
import { compileDesiredFlows } from "../../../controller/pipeline/compile.js";
import { PURPOSE } from "../../../controller/pipeline/purposes.js";
import { acmePolicy, BRIDGE, scenarioInput, startWorld, type World } from "./helpers/scenario.js";
import { ping, probe } from "./helpers/traffic.js";

const FOREIGN = "cookie=0x1234,table=200,priority=7,ip actions=drop";

describe("pipeline reconcile", () => {
  let w: World;
  let total = 0;

  beforeAll(async () => {
    w = await startWorld("precon");
    await w.sandbox.ofctl(BRIDGE, "add-flow", FOREIGN);
  });

  afterAll(async () => {
    await w?.stop();
  });

  const foreignFlows = async () => (await w.sandbox.ofctl(BRIDGE, "dump-flows", "table=200")).split("\n").filter((l) => l.includes("cookie=0x1234"));

  it("installs the whole pipeline in one sync and reads exactly it back", async () => {
    const desired = compileDesiredFlows(scenarioInput()).flows;
    total = desired.length;
    const diff = await w.sync();
    expect(diff).toMatchObject({ remove: [], unchanged: 0 });
    expect(diff.add).toHaveLength(total);
    const installed = await w.applier.dumpFlows();
    expect(installed.map((f) => f.cookie).sort()).toEqual(desired.map((f) => f.cookie).sort());
    expect(await foreignFlows()).toHaveLength(1);
    expect(await ping(w.c("a1"), "10.1.0.12")).toBe(true);
  });

  it("shows table names", async () => {
    const named = await w.sandbox.ofctl(BRIDGE, "--names", "dump-flows");
    for (const table of ["Classifier", "SpoofGuard", "Neighbor", "Acl", "L3Route", "L2Forward", "Output"]) expect(named).toContain(`table=${table},`);
  });

  it("changes nothing when the same state is applied again, even by a fresh applier (a restarted controller)", async () => {
    expect(await w.sync()).toMatchObject({ add: [], remove: [], unchanged: total });
    const fresh = new OfctlFlowApplier({ target: `unix:${w.sandbox.mgmtSocket(BRIDGE)}` });
    expect(await syncFlows(fresh, compileDesiredFlows(scenarioInput()).flows)).toMatchObject({ add: [], remove: [], unchanged: total });
  });

  it("touches only the changed rule's flows, keeps other counters and loses no packet", async () => {
    const a1 = w.c("a1");
    const classifierPackets = async () => (await w.applier.dumpFlows()).filter((f) => purposeOf(f.cookie) === PURPOSE.classifierPort).reduce((n, f) => n + f.packets, 0);
    // A ping stream runs across three policy changes: no reply may go missing.
    const stream = spawn("ip", ["netns", "exec", a1.netns, "ping", "-q", "-c", "40", "-i", "0.05", "10.1.0.12"]);
    let streamOut = "";
    stream.stdout.on("data", (d: Buffer) => (streamOut += d.toString()));
    const streamDone = new Promise<number | null>((resolve) => stream.on("close", resolve));
    const before = await classifierPackets();
    expect(before).toBeGreaterThan(0);

    const changed = await w.sync(scenarioInput([acmePolicy(9000)]));
    expect(changed.add.length).toBeGreaterThan(0);
    expect(changed.add.every((f) => f.purpose === PURPOSE.aclRule)).toBe(true);
    expect(changed.remove.every((r) => purposeOf(r.cookie) === PURPOSE.aclRule)).toBe(true);
    expect(changed.add.length + changed.remove.length).toBeLessThanOrEqual(8);
    expect(await classifierPackets()).toBeGreaterThanOrEqual(before);
    expect(await probe(a1, "tcp", "10.2.0.11", 9000)).toBe("b1");
    expect(await probe(a1, "tcp", "10.2.0.11", 80)).toBeUndefined();

    await w.sync(scenarioInput([acmePolicy(80)]));
    await w.sync(scenarioInput([acmePolicy(9000)]));
    expect(await streamDone).toBe(0);
    expect(streamOut).toMatch(/40 packets transmitted, 40 received, 0% packet loss/);
    expect(await foreignFlows()).toHaveLength(1);
  });

  it("applies a bundle whole or not at all", async () => {
    const before = await w.applier.dumpFlows();
    const valid = { table: 0, priority: 9, purpose: 1, text: "table=0,priority=9,in_port=99 actions=drop" };
    // ovs-vswitchd itself refuses this one (no meter 5: OFPMMFC_INVALID_METER) after ovs-ofctl sent
    // the whole bundle: the valid flow and the removals must not land either.
    const invalid = { table: 0, priority: 8, purpose: 1, text: "table=0,priority=8,in_port=98 actions=meter:5,output:1" };
    const add = [valid, invalid].map((f) => ({ ...f, cookie: cookieOf(f.purpose, f.text) }));
    await expect(w.applier.apply({ add, remove: before.slice(0, 3), unchanged: 0 })).rejects.toThrow(OpenFlowError);
    expect((await w.applier.dumpFlows()).map((f) => f.cookie).sort()).toEqual(before.map((f) => f.cookie).sort());
  });

  it("restores every flow and the traffic after ovs-vswitchd restarts", async () => {
    const input = scenarioInput([acmePolicy(9000)]);
    await w.sandbox.restartVswitchd();
    expect(await w.applier.dumpFlows()).toEqual([]);
    expect(await ping(w.c("a1"), "10.1.0.12")).toBe(false); // fail closed: no flows, no traffic
    const restored = await w.sync(input);
    expect(restored.add).toHaveLength(compileDesiredFlows(input).flows.length);
    expect(await ping(w.c("a1"), "10.1.0.12")).toBe(true);
    expect(await probe(w.c("a1"), "tcp", "10.2.0.11", 9000)).toBe("b1");
    expect(await probe(w.c("g1"), "tcp", "10.1.0.11", 80)).toBe("a1");
  });
});
