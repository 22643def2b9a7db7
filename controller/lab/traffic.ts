/**
 * Real packets between network namespaces, for the lab, the demo and the tests: ping, and TCP or
 * UDP exchanges with an echo server that answers with its own name, so a client learns *who*
 * answered (two tenants may use the same address). Both ends are tiny Node scripts run with
 * `ip netns exec`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { runFull } from "../../ovs/exec.js";

// Answers every TCP connection and UDP datagram on the given ports (IPv4 and IPv6) with
// "<name> <what it received>"; prints "ready" once every socket is bound. Args: NAME PORT...
const ECHO_SERVER = `
const { createServer } = require("node:net");
const { createSocket } = require("node:dgram");
const [name, ...ports] = process.argv.slice(1);
let pending = ports.length * 2;
const bound = () => { if (--pending === 0) process.stdout.write("ready\\n"); };
for (const port of ports.map(Number)) {
  createServer((socket) => {
    socket.once("data", (data) => socket.end(name + " " + data.toString()));
    socket.on("error", () => socket.destroy());
  }).listen({ port, host: "::", ipv6Only: false }, bound);
  const udp = createSocket({ type: "udp6", ipv6Only: false });
  udp.on("message", (data, from) => udp.send(name + " " + data.toString(), from.port, from.address));
  udp.bind(port, "::", bound);
}`;

// One exchange: sends "probe", prints the answer and exits 0, or exits 1 when nothing answers in
// time. Args: tcp|udp HOST PORT TIMEOUT_MS
const PROBE = `
const { connect, isIPv6 } = require("node:net");
const { createSocket } = require("node:dgram");
const [proto, host, port, timeoutMs] = process.argv.slice(1);
setTimeout(() => process.exit(1), Number(timeoutMs)).unref();
const done = (answer) => { process.stdout.write(answer + "\\n"); process.exit(0); };
if (proto === "tcp") {
  const socket = connect({ host, port: Number(port) }, () => socket.write("probe"));
  let answer = "";
  socket.on("data", (d) => (answer += d.toString()));
  socket.on("end", () => done(answer));
  socket.on("error", () => process.exit(1));
} else {
  const udp = createSocket(isIPv6(host) ? "udp6" : "udp4");
  udp.on("message", (d) => done(d.toString()));
  udp.send("probe", Number(port), host);
}`;

/** Node without the CA bundle variable: it only slows every start of these scripts (no TLS here). */
function quickEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** Starts a long-running command in a netns; resolves once its stdout begins with "ready". */
export function startReady(netns: string, cmd: string, args: string[]): Promise<{ child: ChildProcess; output: Promise<string> }> {
  const child = spawn("ip", ["netns", "exec", netns, cmd, ...args], { env: quickEnv(), stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const output = new Promise<string>((resolve) => child.on("close", () => resolve(out)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${cmd} in ${netns} never got ready`));
    }, 10_000);
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

/** An echo server in `netns` on `ports` (TCP and UDP each), answering as `name`; stop it with stopAll. */
export async function startEchoServer(netns: string, name: string, ports: number[]): Promise<ChildProcess> {
  return (await startReady(netns, "node", ["-e", ECHO_SERVER, name, ...ports.map(String)])).child;
}

/** One TCP or UDP exchange from `fromNetns`; resolves to the name of the server that answered, or undefined. */
export async function probe(fromNetns: string, proto: "tcp" | "udp", host: string, port: number, timeoutMs = 1500): Promise<string | undefined> {
  const result = await runFull("ip", ["netns", "exec", fromNetns, "node", "-e", PROBE, proto, host, String(port), String(timeoutMs)], { env: quickEnv(), okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim().split(" ")[0] : undefined;
}

/** TCP or UDP from clientNetns to host:port; true only if a server in serverNetns itself answered. */
export async function exchange(proto: "tcp" | "udp", serverNetns: string, host: string, clientNetns: string, port = 7777): Promise<boolean> {
  const server = await startEchoServer(serverNetns, serverNetns, [port]);
  try {
    return (await probe(clientNetns, proto, host, port, 3000)) === serverNetns;
  } finally {
    stopAll([server]);
  }
}

/** One ping from a netns; `extra` adds ping options (e.g. ["-I", source]). */
export async function ping(fromNetns: string, host: string, extra: string[] = []): Promise<boolean> {
  const result = await runFull("ip", ["netns", "exec", fromNetns, "ping", "-c", "1", "-W", "1", ...extra, host], { okExitCodes: [1, 2] });
  return result.exitCode === 0;
}

export function stopAll(children: readonly ChildProcess[]): void {
  for (const child of children) if (child.exitCode === null && child.pid !== undefined) child.kill("SIGKILL");
}
