/** Real packets between network namespaces (the lab, the demo and the tests): ping, and a TCP or UDP echo exchange (node on both ends). */
import { spawn } from "node:child_process";
import { runFull } from "../../ovs/exec.js";

// The server answers each message with "<message>@<identity>": a client can tell which namespace
// answered, which matters when two tenants use the same address.
const SERVER = `
const [proto, host, port, identity] = process.argv.slice(1);
const answer = (m) => m.toString() + "@" + identity;
if (proto === "tcp") {
  const s = require("net").createServer((c) => c.on("data", (d) => c.end(answer(d)))).listen(Number(port), host, () => console.log("ready"));
  setTimeout(() => s.close(), 8000).unref();
} else {
  const s = require("dgram").createSocket(host.includes(":") ? "udp6" : "udp4");
  s.on("message", (m, r) => s.send(answer(m), r.port, r.address));
  s.bind(Number(port), host, () => console.log("ready"));
  setTimeout(() => s.close(), 8000).unref();
}`;

const CLIENT = `
const [proto, host, port, identity] = process.argv.slice(1);
const fail = () => process.exit(3);
setTimeout(fail, 3000).unref();
if (proto === "tcp") {
  const c = require("net").connect(Number(port), host, () => c.write("hello-tcp"));
  c.on("data", (d) => { if (d.toString() === "hello-tcp@" + identity) { console.log("ok"); process.exit(0); } });
  c.on("error", fail);
} else {
  const s = require("dgram").createSocket(host.includes(":") ? "udp6" : "udp4");
  s.on("message", (m) => { if (m.toString() === "hello-udp@" + identity) { console.log("ok"); process.exit(0); } });
  s.send("hello-udp", Number(port), host);
}`;

const nodeEnv = () => {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS; // faster start; these processes do no TLS
  return env;
};

/** One ping from a netns; `extra` adds ping options (e.g. ["-I", source]). */
export async function ping(fromNetns: string, ip: string, extra: string[] = []): Promise<boolean> {
  const args = ["netns", "exec", fromNetns, "ping", "-c", "1", "-W", "1", ...extra, ip];
  return runFull("ip", args).then(
    () => true,
    () => false,
  );
}

/** TCP or UDP from clientNetns to host:port; true only if the server in serverNetns itself answered. */
export async function exchange(proto: "tcp" | "udp", serverNetns: string, host: string, clientNetns: string, port = 7777): Promise<boolean> {
  const server = spawn("ip", ["netns", "exec", serverNetns, "node", "-e", SERVER, proto, host, String(port), serverNetns], { env: nodeEnv(), stdio: ["ignore", "pipe", "inherit"] });
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout.on("data", (d: Buffer) => d.toString().includes("ready") && resolve());
      server.on("exit", () => reject(new Error("echo server exited early")));
    });
    const result = await runFull("ip", ["netns", "exec", clientNetns, "node", "-e", CLIENT, proto, host, String(port), serverNetns], { env: nodeEnv() }).then(
      (r) => r.stdout.includes("ok"),
      () => false,
    );
    return result;
  } finally {
    server.kill("SIGKILL");
  }
}
