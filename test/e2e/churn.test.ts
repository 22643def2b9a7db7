/**
 * Churn: 1,000 ADD/DEL cycles through the real plugin and controller leave no port, lease or flow
 * behind, and the controller's memory stays flat.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { Lab } from "../../controller/lab/lab.js";
import { run } from "../../ovs/exec.js";
import { ourCookieFilter } from "../../ovs/openflow/cookie.js";

const CYCLES = 1_000;
const PARALLEL = 4;

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

describe("churn", () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = await Lab.start({ prefix: "churn" });
    await lab.applyDefinitions([
      { kind: "Network", metadata: { name: "churn" }, spec: { tenant: "t" } },
      { kind: "Subnet", metadata: { name: "churn-a" }, spec: { network: "churn", cidr: "10.41.0.0/22" } },
    ]);
    await lab.addContainer("stay", [{ network: "churn" }]);
  });

  afterAll(async () => {
    await lab?.stop();
  });

  async function ourFlowCount(): Promise<number> {
    const out = await lab.sandbox.ofctl("br-int", "dump-aggregate", ourCookieFilter());
    return Number(/flow_count=(\d+)/.exec(out)?.[1]);
  }

  it(`${CYCLES} ADD/DEL cycles leave no port, lease or flow behind and memory flat`, { timeout: 600_000 }, async () => {
    const baselineFlows = await ourFlowCount();
    const baselinePorts = await lab.sandbox.vsctl("list-ports", "br-int");
    const pid = lab.controllerPid!;
    const rss = new Map<number, number>();
    let done = 0;
    const worker = async (w: number) => {
      for (let i = w; i < CYCLES; i += PARALLEL) {
        const name = `c${i}`;
        await lab.addContainer(name, [{ network: "churn" }]);
        await lab.removeContainer(name);
        if (++done % 250 === 0 || done === 100) rss.set(done, rssMb(pid));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, (_, w) => worker(w)));

    expect(await lab.sandbox.vsctl("list-ports", "br-int")).toBe(baselinePorts);
    const leases = await lab.client.call<Array<{ containerId: string }>>("GET", "/v1/leases");
    expect(leases.map((l) => l.containerId)).toEqual([lab.containers.get("stay")!.containerId]);
    await expect.poll(ourFlowCount, { timeout: 5_000 }).toBe(baselineFlows);
    const hostLinks = await run("ip", ["-n", lab.sandbox.netns, "-br", "link"]);
    expect(hostLinks.split("\n").filter((l) => l.startsWith("osd"))).toHaveLength(1);
    console.log(`controller RSS (MB) after n cycles: ${[...rss].map(([n, mb]) => `${n}: ${mb.toFixed(1)}`).join(", ")}`);
    // Flat once warm: the second half of the run adds no more than V8's heap slack, not per-cycle state.
    const half = rss.get(CYCLES / 2)!;
    expect(Math.max(rss.get((3 * CYCLES) / 4)!, rss.get(CYCLES)!) - half).toBeLessThan(25);
  });
});
