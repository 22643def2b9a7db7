/**
 * Real traffic between test containers: ping, TCP and UDP exchanges (tiny Node scripts run with
 * `ip netns exec`), and raw frames / frame counting (a small Python AF_PACKET script).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { runFull } from "../../../../ovs/exec.js";
import type { Container } from "./containers.js";

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const ECHO_SERVER = here("./echo-server.mjs");
const PROBE = here("./probe.mjs");
const RAWFRAME = here("./rawframe.py");

/** Node without the CA bundle variable: it only slows every start-up of these helper scripts. */
function quickEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Starts a long-running process in a netns and resolves once it prints "ready". */
function startReady(netns: string, cmd: string, args: string[]): Promise<{ child: ChildProcess; output: Promise<string> }> {
  const child = spawn("ip", ["netns", "exec", netns, cmd, ...args], { env: quickEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const output = new Promise<string>((resolve) => child.on("close", () => resolve(out)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${cmd} in ${netns} never got ready`)), 10_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.startsWith("ready\n")) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    });
    child.on("error", reject);
    child.on("close", (code) => reject(new Error(`${cmd} in ${netns} exited with ${code} before it was ready`)));
  });
}

export async function startEchoServer(c: Container, ports: number[]): Promise<ChildProcess> {
  return (await startReady(c.netns, "node", [ECHO_SERVER, c.name, ...ports.map(String)])).child;
}

/** TCP/UDP exchange; resolves to the answering container's name, or undefined if nothing answered. */
export async function probe(from: Container, proto: "tcp" | "udp", host: string, port: number): Promise<string | undefined> {
  const result = await runFull("ip", ["netns", "exec", from.netns, "node", PROBE, proto, host, String(port)], { env: quickEnv(), okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim().split(" ")[0] : undefined;
}

export async function ping(from: Container, host: string, extra: string[] = []): Promise<boolean> {
  const result = await runFull("ip", ["netns", "exec", from.netns, "ping", "-c", "1", "-W", "1", ...extra, host], { okExitCodes: [1, 2] });
  return result.exitCode === 0;
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
  const { output } = await startReady(at.netns, "python3", [RAWFRAME, "count", "eth0", String(windowMs), patternHex]);
  await during();
  const text = await output;
  return Number(text.trim().split("\n").pop());
}

export function stopAll(children: readonly ChildProcess[]): void {
  for (const child of children) if (child.exitCode === null && child.pid !== undefined) child.kill("SIGKILL");
}

/** The TTL of the echo reply (64 from Linux; 63 once routed through the distributed gateway). */
export async function pingReplyTtl(from: Container, host: string): Promise<number | undefined> {
  const result = await runFull("ip", ["netns", "exec", from.netns, "ping", "-c", "1", "-W", "1", host], { okExitCodes: [1, 2] });
  const ttl = /ttl=(\d+)/.exec(result.stdout);
  return ttl ? Number(ttl[1]) : undefined;
}
