/**
 * A second, bare ovsdb-server (no vswitchd) in a test's temp dir, listening on loopback TCP or
 * SSL on a port the kernel picks; and a throwaway CA + server + client certificates from openssl.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../ovs/exec.js";

export interface Pki {
  caCert: string;
  serverKey: string;
  serverCert: string;
  clientKey: string;
  clientCert: string;
}

/** An EC CA and two certificates it signed, as files in `dir`. */
export async function makePki(dir: string): Promise<Pki> {
  const p = (name: string) => join(dir, name);
  const newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await run("openssl", ["req", "-x509", ...newKey, "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2", "-subj", "/CN=ovs-sdn test CA"]);
  for (const who of ["server", "client"]) {
    await run("openssl", ["req", ...newKey, "-keyout", p(`${who}.key`), "-out", p(`${who}.csr`), "-subj", `/CN=ovs-sdn test ${who}`]);
    await run("openssl", ["x509", "-req", "-in", p(`${who}.csr`), "-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-CAcreateserial", "-out", p(`${who}.pem`), "-days", "2"]);
  }
  return { caCert: p("ca.pem"), serverKey: p("server.key"), serverCert: p("server.pem"), clientKey: p("client.key"), clientCert: p("client.pem") };
}

export class ExtraOvsdbServer {
  private constructor(
    readonly dir: string,
    /** The TCP port ovsdb-server bound (it was asked for port 0). */
    readonly port: number,
  ) {}

  /** Starts ovsdb-server with the vswitch schema and `--remote=REMOTE` (e.g. "ptcp:0:127.0.0.1"). */
  static async start(remote: string, extraArgs: (dir: string) => Promise<string[]> = async () => []): Promise<ExtraOvsdbServer> {
    const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-extra-ovsdb-"));
    const server = new ExtraOvsdbServer(dir, 0);
    try {
      await run("ovsdb-tool", ["create", join(dir, "conf.db"), "/usr/share/openvswitch/vswitch.ovsschema"]);
      await run("ovsdb-server", [
        join(dir, "conf.db"),
        `--remote=${remote}`,
        `--pidfile=${join(dir, "ovsdb-server.pid")}`,
        `--unixctl=${join(dir, "ovsdb-server.ctl")}`,
        `--log-file=${join(dir, "ovsdb-server.log")}`,
        "--detach",
        "--no-chdir",
        ...(await extraArgs(dir)),
      ]);
      return new ExtraOvsdbServer(dir, await listeningPort(join(dir, "ovsdb-server.log")));
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  /** Stops the server this object started (by its own pidfile) and removes its dir. */
  async stop(): Promise<void> {
    const pidFile = join(this.dir, "ovsdb-server.pid");
    if (existsSync(pidFile)) {
      const pid = Number(readFileSync(pidFile, "utf8").trim());
      await run("ovs-appctl", ["-t", join(this.dir, "ovsdb-server.ctl"), "exit"]).catch(() => undefined);
      for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
      if (alive(pid)) process.kill(pid, "SIGKILL");
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** ovsdb-server logs "...: listening on port N" once its passive remote is bound. */
async function listeningPort(logFile: string): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const match = existsSync(logFile) ? /listening on port (\d+)/.exec(readFileSync(logFile, "utf8")) : null;
    if (match) return Number(match[1]);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`ovsdb-server did not log a listening port in ${logFile}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
