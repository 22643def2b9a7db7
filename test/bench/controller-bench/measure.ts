/** Small measuring helpers of the controller benchmark: percentiles, memory, our flow count. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
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
