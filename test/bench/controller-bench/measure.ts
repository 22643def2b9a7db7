/** Small measuring helpers of the controller benchmark: percentiles, memory, our flow count. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Lab } from "../../../controller/lab/lab.js";
import { BRIDGE } from "../../../controller/lab/lab.js";
import { ourCookieFilter } from "../../../ovs/openflow/cookie.js";

/** Nearest-rank percentile (p99 of 50 samples is the largest). */
export function pct(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const ms = (x: number) => `${x.toFixed(1)} ms`;
export const p50p99 = (values: readonly number[]) => `${pct(values, 50).toFixed(1)} / ${pct(values, 99).toFixed(1)}`;

/** VmRSS of a process, in MB. */
export function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

export function vswitchdPid(lab: Lab): number {
  return Number.parseInt(readFileSync(join(lab.sandbox.dir, "ovs-vswitchd.pid"), "utf8").trim(), 10);
}

/** Flows with our cookie marker installed on br-int, as OVS counts them. */
export async function ourFlowCount(lab: Lab): Promise<number> {
  const out = await lab.sandbox.ofctl(BRIDGE, "dump-aggregate", ourCookieFilter());
  const count = /flow_count=(\d+)/.exec(out)?.[1];
  if (count === undefined) throw new Error(`unexpected dump-aggregate output: ${out}`);
  return Number(count);
}

/**
 * How long vswitchd takes to answer, whoever asks: medians of 10 `dump-aggregate`, 10 one-flow
 * bundles (cookie 0x1, not ours, removed after) and 10 `ovs-vsctl set` (waits for vswitchd to
 * apply). Every controller round and every plugin ADD pays these, so they explain the rest.
 * `--no-names`, as the controller runs ovs-ofctl: accepting port names makes ovs-ofctl fetch the
 * whole port table first (tens of ms at 1,000 ports).
 */
export async function vswitchdLatency(lab: Lab): Promise<{ aggregate: number; bundle: number; vsctl: number }> {
  const aggregate: number[] = [];
  const bundle: number[] = [];
  const vsctl: number[] = [];
  const timed = async (into: number[], work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    into.push(performance.now() - t0);
  };
  try {
    for (let i = 0; i < 10; i++) {
      await timed(aggregate, () => lab.sandbox.ofctl(BRIDGE, "--no-names", "dump-aggregate", "cookie=0x1/-1"));
      await timed(bundle, () => lab.sandbox.ofctl(BRIDGE, "--no-names", "--bundle", "add-flow", `cookie=0x1,table=0,priority=1,tcp,tp_dst=${30_000 + i},actions=drop`));
      await timed(vsctl, () => lab.sandbox.vsctl("set", "Open_vSwitch", ".", `external_ids:cbench-probe=${i}`));
    }
  } finally {
    await lab.sandbox.ofctl(BRIDGE, "del-flows", "cookie=0x1/-1");
  }
  return { aggregate: pct(aggregate, 50), bundle: pct(bundle, 50), vsctl: pct(vsctl, 50) };
}
