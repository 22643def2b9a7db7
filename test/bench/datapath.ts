/** Datapath measurements shared by the benchmarks: iperf3 TCP throughput between two test containers. */
import { spawn } from "node:child_process";
import { runFull } from "../../ovs/exec.js";
import type { Container } from "../integration/pipeline/helpers/containers.js";

/** Gbit/s received by `server` from `client` over `seconds` of iperf3 TCP to `host`. */
export async function iperfGbps(server: Container, client: Container, host: string, seconds: number): Promise<number> {
  const child = spawn("ip", ["netns", "exec", server.netns, "iperf3", "-s", "-1"], { stdio: "ignore" });
  try {
    await new Promise((r) => setTimeout(r, 300)); // the server binds before the client connects
    const out = (await runFull("ip", ["netns", "exec", client.netns, "iperf3", "-c", host, "-t", String(seconds), "-J"], { timeoutMs: (seconds + 20) * 1000 })).stdout;
    return (JSON.parse(out) as { end: { sum_received: { bits_per_second: number } } }).end.sum_received.bits_per_second / 1e9;
  } finally {
    child.kill("SIGKILL");
  }
}
