/**
 * One policy change end to end through the controller: POST /v1/definitions (one rule's port
 * changed) until the new rule's flow is in OVS. "In OVS" is observed with an OpenFlow flow monitor
 * (`ovs-ofctl monitor BRIDGE watch:!initial`): vswitchd sends event=ADDED when it commits the
 * flow, so the time is exact to the pipe's latency and nothing polls while the controller works.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { Lab } from "../../../controller/lab/lab.js";
import { BRIDGE } from "../../../controller/lab/lab.js";
import { ourCookieFilter } from "../../../ovs/openflow/cookie.js";
import { waitInSync } from "./ports.js";
import { changedPolicy } from "./world.js";

export class FlowMonitor {
  private readonly seen = new Map<number, number>();
  private readonly waiters = new Map<number, (at: number) => void>();
  private buffer = "";
  private readonly child: ChildProcess;

  constructor(lab: Lab) {
    this.child = spawn("ovs-ofctl", ["-O", "OpenFlow13", "monitor", `unix:${lab.sandbox.mgmtSocket(BRIDGE)}`, "watch:!initial"], { env: lab.sandbox.env, stdio: ["ignore", "pipe", "pipe"] });
    // ovs-ofctl prints asynchronous updates on stderr, the first reply on stdout: read both.
    for (const stream of [this.child.stdout, this.child.stderr]) stream?.on("data", (chunk: Buffer) => this.onData(chunk.toString()));
  }

  /** Resolves with the time an ADDED event matching tp_dst=port arrived (also if it came already). */
  addedAt(port: number, timeoutMs: number): Promise<number> {
    const seen = this.seen.get(port);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no flow with tp_dst=${port} appeared within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(port, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
  }

  private onData(text: string): void {
    const now = performance.now();
    this.buffer += text;
    const lines = this.buffer.split("\n");
    this.buffer = lines.pop() ?? "";
    for (const line of lines) {
      const match = /event=ADDED\b.*\btp_dst=(\d+)\b/.exec(line);
      if (!match) continue;
      const port = Number(match[1]);
      if (this.seen.has(port)) continue;
      this.seen.set(port, now);
      this.waiters.get(port)?.(now);
      this.waiters.delete(port);
    }
  }
}

export interface ChangeSamples {
  /** POST start -> the new flow's ADDED event. */
  endToEnd: number[];
  /** POST start -> the API's answer (definitions validated and committed to the store). */
  post: number[];
}

/** `count` changes of rule 0's port (basePort, basePort + 1, ...), each after the controller is back in sync. */
export async function measurePolicyChanges(lab: Lab, ports: number, count: number, basePort: number): Promise<ChangeSamples> {
  const monitor = new FlowMonitor(lab);
  const samples: ChangeSamples = { endToEnd: [], post: [] };
  try {
    await new Promise((r) => setTimeout(r, 300)); // the monitor's request is registered
    for (let i = 0; i < count; i++) {
      const port = basePort + i;
      await waitInSync(lab, ports);
      await new Promise((r) => setTimeout(r, 150)); // let a drift probe or round in flight pass
      const t0 = performance.now();
      const added = monitor.addedAt(port, 30_000);
      await lab.applyDefinitions([changedPolicy(port)]);
      samples.post.push(performance.now() - t0);
      samples.endToEnd.push((await added) - t0);
      const present = await lab.sandbox.ofctl(BRIDGE, "dump-flows", `${ourCookieFilter()},tcp,tp_dst=${port}`);
      if (!present.includes(`tp_dst=${port}`)) throw new Error(`monitor reported tp_dst=${port} but dump-flows does not show it:\n${present}`);
    }
  } finally {
    monitor.stop();
  }
  return samples;
}
