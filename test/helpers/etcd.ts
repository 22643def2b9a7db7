/**
 * A private etcd for tests: one member or a cluster of several on loopback (or inside a netns),
 * random free ports, a temp data dir (in /dev/shm when there is one: etcd fsyncs every write).
 * stop() kills exactly the members it started and removes the dir; also run on process exit.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../ovs/exec.js";

export const ETCD_BINARY = "/usr/bin/etcd";

export interface EtcdMember {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  pid(): number;
  running(): boolean;
  /** SIGKILL, as a crashed host. */
  kill(): Promise<void>;
  /** Starts the killed member again on its data dir and ports. */
  restart(): Promise<void>;
  log(): string;
}

export interface EtcdCluster {
  readonly endpoints: string[];
  readonly members: EtcdMember[];
  readonly dir: string;
  /** PEM files for clients when started with `tls`: the CA, and a client certificate and key. */
  readonly tls?: { ca: string; cert: string; key: string };
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  /** Number of members (default 1). */
  members?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  /** Run the members inside this network namespace (which must have `host` and lo up). */
  netns?: string;
  /** Serve clients over TLS and require client certificates (a throw-away CA made with openssl). */
  tls?: boolean;
}

/** Free TCP ports on `host`: all listeners stay open until every port is chosen, so none repeats. */
async function freePorts(count: number, host: string): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, host, resolve));
      ports.push((server.address() as { port: number }).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", () => r()));
}

export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdCluster> {
  if (!existsSync(ETCD_BINARY)) throw new Error(`${ETCD_BINARY} is missing: install Debian's etcd-server (apt-get install -y etcd-server)`);
  const count = options.members ?? 1;
  const host = options.host ?? "127.0.0.1";
  // Ports are probed in this netns; inside another netns they are free anyway (a fresh stack).
  const ports = await freePorts(2 * count, options.netns ? "127.0.0.1" : host);
  const dir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "ovs-sdn-etcd-"));
  const token = `ovs-sdn-test-${randomBytes(4).toString("hex")}`;
  const names = Array.from({ length: count }, (_, i) => `m${i}`);
  const peerUrl = (i: number) => `http://${host}:${ports[2 * i + 1]}`;
  const clientUrl = (i: number) => `${options.tls ? "https" : "http"}://${host}:${ports[2 * i]}`;
  const tls = options.tls ? await makeCertificates(dir, host).catch((err: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }) : undefined;
  const tlsArgs = tls ? ["--cert-file", tls.serverCert, "--key-file", tls.serverKey, "--client-cert-auth", "--trusted-ca-file", tls.caFile] : [];
  const initialCluster = names.map((n, i) => `${n}=${peerUrl(i)}`).join(",");
  const children: ChildProcess[] = [];
  const killAll = () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill("SIGKILL"));
  process.once("exit", killAll);

  const members: EtcdMember[] = names.map((name, i) => {
    const logPath = join(dir, `${name}.log`);
    const args = [
      ...["--name", name, "--data-dir", join(dir, name)],
      ...["--listen-client-urls", clientUrl(i), "--advertise-client-urls", clientUrl(i)],
      ...["--listen-peer-urls", peerUrl(i), "--initial-advertise-peer-urls", peerUrl(i)],
      ...["--initial-cluster", initialCluster, "--initial-cluster-state", "new", "--initial-cluster-token", token],
      // Short raft timers: a killed leader is replaced in about a second.
      ...["--heartbeat-interval", "50", "--election-timeout", "500"],
      ...["--logger", "zap", "--log-outputs", "stderr"],
      ...tlsArgs,
    ];
    const launch = (): ChildProcess => {
      const fd = openSync(logPath, "a");
      const [file, argv] = options.netns ? ["ip", ["netns", "exec", options.netns, ETCD_BINARY, ...args]] : [ETCD_BINARY, args];
      const child = spawn(file, argv, { stdio: ["ignore", fd, fd] });
      closeSync(fd);
      children.push(child);
      return child;
    };
    let child = launch();
    const running = () => child.exitCode === null && child.signalCode === null;
    const log = () => (existsSync(logPath) ? readFileSync(logPath, "utf8") : "");
    return {
      name,
      clientUrl: clientUrl(i),
      peerUrl: peerUrl(i),
      pid: () => child.pid ?? -1,
      running,
      kill: async () => {
        child.kill("SIGKILL");
        await exited(child);
      },
      restart: async () => {
        if (running()) throw new Error(`etcd member ${name} is still running`);
        const before = log().length;
        child = launch();
        // Same data dir: the member rejoins with its data. Ready once it serves clients again.
        await waitFor(() => log().slice(before).includes("serving client traffic"), () => running(), `etcd member ${name} restart`);
      },
      log,
    };
  });

  let stopped = false;
  const cluster: EtcdCluster = {
    endpoints: members.map((m) => m.clientUrl),
    members,
    dir,
    ...(tls ? { tls: tls.client } : {}),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
      const timer = setTimeout(killAll, 5000);
      await Promise.all(children.map(exited));
      clearTimeout(timer);
      process.removeListener("exit", killAll);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await waitReady(members);
  } catch (err) {
    const logs = members.map((m) => `--- ${m.name}\n${m.log().split("\n").slice(-15).join("\n")}`).join("\n");
    await cluster.stop();
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
  return cluster;
}

/** A member logs "serving client traffic" once it has joined the cluster and serves clients. */
function waitReady(members: EtcdMember[]): Promise<void> {
  return waitFor(
    () => members.every((m) => m.log().includes("serving client traffic")),
    () => members.every((m) => m.running()),
    "etcd start-up",
  );
}

async function waitFor(ready: () => boolean, alive: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive()) throw new Error(`${what}: an etcd member exited`);
    if (ready()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A CA, a server certificate for `host` and a client certificate (P-256 keys: quick to make). */
async function makeCertificates(dir: string, host: string) {
  const f = (name: string) => join(dir, name);
  const key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", ["req", "-x509", ...key, "-keyout", f("ca.key"), "-out", f("ca.crt"), "-days", "1", "-subj", "/CN=ovs-sdn test CA"]);
  // The gateway inside etcd dials etcd's own gRPC with the server certificate: it needs clientAuth too.
  for (const [name, ext] of [["server", `subjectAltName=IP:${host}\nextendedKeyUsage=serverAuth,clientAuth`], ["client", "extendedKeyUsage=clientAuth"]] as const) {
    writeFileSync(f(`${name}.ext`), ext);
    await run("openssl", ["req", ...key, "-keyout", f(`${name}.key`), "-out", f(`${name}.csr`), "-subj", `/CN=ovs-sdn test ${name}`]);
    await run("openssl", ["x509", "-req", "-in", f(`${name}.csr`), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial", "-out", f(`${name}.crt`), "-days", "1", "-extfile", f(`${name}.ext`)]);
  }
  const read = (name: string) => readFileSync(f(name), "utf8");
  return {
    caFile: f("ca.crt"),
    serverCert: f("server.crt"),
    serverKey: f("server.key"),
    client: { ca: read("ca.crt"), cert: read("client.crt"), key: read("client.key") },
  };
}
