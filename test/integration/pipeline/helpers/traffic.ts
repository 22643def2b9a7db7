/**
 * Real traffic between test containers: ping, TCP and UDP exchanges (controller/lab/traffic.ts,
 * addressed by container), arping, and raw frames / frame counting (a small Python AF_PACKET script).
 */
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runFull } from "../../../../ovs/exec.js";
import * as traffic from "../../../../controller/lab/traffic.js";
import type { Container } from "./containers.js";

export { stopAll } from "../../../../controller/lab/traffic.js";

const RAWFRAME = fileURLToPath(new URL("./rawframe.py", import.meta.url));

/** An echo server in the container answering with the container's name. */
export function startEchoServer(c: Container, ports: number[]): Promise<ChildProcess> {
  return traffic.startEchoServer(c.netns, c.name, ports);
}

/** TCP/UDP exchange; resolves to the answering container's name, or undefined if nothing answered. */
export function probe(from: Container, proto: "tcp" | "udp", host: string, port: number): Promise<string | undefined> {
  return traffic.probe(from.netns, proto, host, port);
}

export function ping(from: Container, host: string, extra: string[] = []): Promise<boolean> {
  return traffic.ping(from.netns, host, extra);
}

/** arping from a chosen source address; true when a reply came back. */
export async function arping(from: Container, source: string, target: string): Promise<boolean> {
  const result = await runFull("ip", ["netns", "exec", from.netns, "arping", "-c", "1", "-w", "1", "-I", "eth0", "-s", source, target], { okExitCodes: [1, 2] });
  return result.exitCode === 0;
}

export async function sendRawFrame(from: Container, frameHex: string): Promise<void> {
  await runFull("ip", ["netns", "exec", from.netns, "python3", RAWFRAME, "send", "eth0", frameHex]);
}

/** Counts frames containing `patternHex` that reach `at` while `during` runs. */
export async function countFrames(at: Container, patternHex: string, during: () => Promise<unknown>, windowMs = 2500): Promise<number> {
  const { output } = await traffic.startReady(at.netns, "python3", [RAWFRAME, "count", "eth0", String(windowMs), patternHex]);
  await during();
  const text = await output;
  return Number(text.trim().split("\n").pop());
}

/** The TTL of the echo reply (64 from Linux; 63 once routed through the distributed gateway). */
export async function pingReplyTtl(from: Container, host: string): Promise<number | undefined> {
  const result = await runFull("ip", ["netns", "exec", from.netns, "ping", "-c", "1", "-W", "1", host], { okExitCodes: [1, 2] });
  const ttl = /ttl=(\d+)/.exec(result.stdout);
  return ttl ? Number(ttl[1]) : undefined;
}
