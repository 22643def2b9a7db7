/**
 * Sequential ADD/DEL cycles of the same plugin binary in both modes on the same br-int, interleaved
 * (each cycle runs one managed and one standalone ADD+DEL, the order alternating), so that load from
 * elsewhere hits both alike. Each call logs at debug level to its own file; the lines' `ms` (since
 * the plugin process started) split an ADD into phases.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { Lab, LabContainer } from "../../../controller/lab/lab.js";
import { BRIDGE } from "../../../controller/lab/lab.js";
import { invokePlugin } from "../../../controller/lab/runtime.js";
import { CYCLE_NETWORK, CYCLE_SUBNET } from "./world.js";

export type Mode = "managed" | "standalone";

/** ms since the plugin started at each debug line of an ADD, plus the wall time seen by the caller. */
export interface AddSample {
  wall: number;
  start: number;
  ready: number;
  portApplied: number;
  containerDone: number;
}

export interface CycleSamples {
  add: Record<Mode, AddSample[]>;
  del: Record<Mode, number[]>;
}

export interface CycleOptions {
  cycles: number;
  /** Temp dir for logs, the standalone IPAM's data and the plugin's stateDir. */
  dir: string;
  /** Existing network namespaces, one per mode, reused by every cycle. */
  netns: Record<Mode, string>;
  tag: string;
}

export async function runCycles(lab: Lab, options: CycleOptions): Promise<CycleSamples> {
  const samples: CycleSamples = { add: { managed: [], standalone: [] }, del: { managed: [], standalone: [] } };
  const common = { stateDir: join(options.dir, "state"), logLevel: "debug" };
  const configs: Record<Mode, Record<string, unknown>> = {
    managed: { ...lab.networkConfig(CYCLE_NETWORK), subnets: [CYCLE_SUBNET], ...common },
    standalone: {
      cniVersion: "1.1.0", name: "bench-standalone", type: "ovs-sdn", bridge: BRIDGE, ovsdb: lab.sandbox.dbRemote, vlan: 100, ...common,
      ipam: { type: "host-local", subnet: "10.62.0.0/24", dataDir: join(options.dir, "host-local") },
    },
  };
  for (let i = 0; i < options.cycles; i++) {
    const order: Mode[] = i % 2 === 0 ? ["managed", "standalone"] : ["standalone", "managed"];
    for (const mode of order) {
      const container: LabContainer = { name: `${mode}-${i}`, netns: options.netns[mode], containerId: `cb-${options.tag}-${mode}-${i}`, attachments: [] };
      const logFile = join(options.dir, `${container.containerId}.log`);
      const config = { ...configs[mode], logFile };
      let t0 = performance.now();
      await call(lab, mode, "ADD", config, container);
      const wall = performance.now() - t0;
      samples.add[mode].push({ wall, ...phases(logFile) });
      rmSync(logFile, { force: true });
      t0 = performance.now();
      await call(lab, mode, "DEL", config, container);
      samples.del[mode].push(performance.now() - t0);
      rmSync(logFile, { force: true });
    }
  }
  return samples;
}

function call(lab: Lab, mode: Mode, command: "ADD" | "DEL", config: Record<string, unknown>, container: LabContainer): Promise<unknown> {
  if (mode === "managed") return lab.plugin(command, config, container, "eth0", {});
  return invokePlugin({
    plugin: join(lab.cniPath, "ovs-sdn"),
    command,
    config,
    containerId: container.containerId,
    netns: `/var/run/netns/${container.netns}`,
    ifname: "eth0",
    cniPath: lab.cniPath,
    hostNetns: lab.sandbox.netns,
  });
}

function phases(logFile: string): Omit<AddSample, "wall"> {
  const at = new Map<string, number>();
  if (existsSync(logFile)) {
    for (const line of readFileSync(logFile, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const entry = JSON.parse(line) as { msg?: string; ms?: number };
      if (entry.msg && typeof entry.ms === "number" && !at.has(entry.msg)) at.set(entry.msg, entry.ms);
    }
  }
  const ms = (msg: string) => {
    const value = at.get(msg);
    if (value === undefined) throw new Error(`plugin log ${logFile} has no "${msg}" line`);
    return value;
  };
  return { start: ms("start"), ready: ms("veth and addresses ready"), portApplied: ms("port applied"), containerDone: ms("container end configured") };
}
