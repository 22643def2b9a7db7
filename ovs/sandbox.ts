/**
 * A private Open vSwitch for tests, benchmarks and the demo: its own ovsdb-server and ovs-vswitchd
 * (userspace datapath) in a temp dir, with vswitchd inside its own "host" network namespace (the
 * userspace datapath creates its `ovs-netdev` tap where vswitchd runs: one vswitchd per netns).
 * It never touches the system OVS: every path and socket lives in `dir`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { run, type RunOptions } from "./exec.js";

const VSWITCH_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";

export interface SandboxOptions {
  /** Short tag in the netns and dir names so leftovers can be traced to their owner. */
  prefix?: string;
}

type Daemon = "ovsdb-server" | "ovs-vswitchd";

export class OvsSandbox {
  readonly dir: string;
  readonly netns: string;
  readonly dbSocket: string;
  readonly dbRemote: string;
  readonly env: NodeJS.ProcessEnv;
  private stopped = false;
  private readonly cleanupOnExit = () => this.stopSync();
  private readonly cleanupOnSignal = () => {
    this.stopSync();
    process.exit(130);
  };

  private constructor(prefix: string) {
    const id = `${prefix.slice(0, 6)}${randomBytes(3).toString("hex")}`;
    this.netns = `ovsb${id}`;
    this.dir = mkdtempSync(join(tmpdir(), `ovs-sdn-sandbox-${id}-`));
    this.dbSocket = join(this.dir, "db.sock");
    this.dbRemote = `unix:${this.dbSocket}`;
    this.env = { ...process.env, OVS_RUNDIR: this.dir, OVS_LOGDIR: this.dir, OVS_DBDIR: this.dir, OVS_SYSCONFDIR: this.dir };
  }

  /** Starts both daemons; resolves once vswitchd has applied the initial configuration. */
  static async start(options: SandboxOptions = {}): Promise<OvsSandbox> {
    const sandbox = new OvsSandbox(options.prefix ?? "sb");
    process.once("exit", sandbox.cleanupOnExit);
    process.once("SIGINT", sandbox.cleanupOnSignal);
    process.once("SIGTERM", sandbox.cleanupOnSignal);
    try {
      await run("ip", ["netns", "add", sandbox.netns]);
      await run("ip", ["-n", sandbox.netns, "link", "set", "lo", "up"]);
      await run("ovsdb-tool", ["create", join(sandbox.dir, "conf.db"), VSWITCH_SCHEMA]);
      await sandbox.startOvsdbServer();
      await sandbox.vsctl("--no-wait", "init");
      await sandbox.startVswitchd();
      return sandbox;
    } catch (err) {
      await sandbox.stop();
      throw err;
    }
  }

  mgmtSocket(bridge: string): string {
    return join(this.dir, `${bridge}.mgmt`);
  }

  controlSocket(daemon: Daemon): string {
    return join(this.dir, `${daemon}.ctl`);
  }

  /** ovs-vsctl against this sandbox's database (waits for vswitchd unless given --no-wait). */
  vsctl(...args: string[]): Promise<string> {
    return run("ovs-vsctl", [`--db=${this.dbRemote}`, "--timeout=20", ...args], { env: this.env });
  }

  /** ovs-ofctl (OpenFlow 1.3) on a bridge: leading `--options` go first, then the command, the bridge, the rest. */
  ofctl(bridge: string, ...args: string[]): Promise<string> {
    const options = args.filter((a, i) => a.startsWith("--") && args.slice(0, i).every((b) => b.startsWith("--")));
    const [command, ...rest] = args.slice(options.length);
    if (command === undefined) throw new Error("ofctl: missing command");
    return run("ovs-ofctl", ["-O", "OpenFlow13", ...options, command, `unix:${this.mgmtSocket(bridge)}`, ...rest], { env: this.env });
  }

  appctl(target: Daemon, ...args: string[]): Promise<string> {
    return run("ovs-appctl", ["-t", this.controlSocket(target), ...args], { env: this.env });
  }

  /** Runs a command inside the sandbox's host namespace with the sandbox's OVS environment. */
  execInHost(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
    return run(cmd, args, { env: this.env, ...opts, netns: this.netns });
  }

  async startOvsdbServer(): Promise<void> {
    await run(
      "ovsdb-server",
      [
        join(this.dir, "conf.db"),
        `--remote=punix:${this.dbSocket}`,
        "--remote=db:Open_vSwitch,Open_vSwitch,manager_options",
        `--pidfile=${this.pidFile("ovsdb-server")}`,
        `--unixctl=${this.controlSocket("ovsdb-server")}`,
        `--log-file=${join(this.dir, "ovsdb-server.log")}`,
        "--detach",
        "--no-chdir",
      ],
      { env: this.env },
    );
  }

  async stopOvsdbServer(): Promise<void> {
    await this.stopDaemon("ovsdb-server");
  }

  /** Starts vswitchd in the host netns; resolves when it has applied the database (cur_cfg). */
  async startVswitchd(): Promise<void> {
    await this.execInHost("ovs-vswitchd", [
      this.dbRemote,
      `--pidfile=${this.pidFile("ovs-vswitchd")}`,
      `--unixctl=${this.controlSocket("ovs-vswitchd")}`,
      `--log-file=${join(this.dir, "ovs-vswitchd.log")}`,
      "--detach",
      "--no-chdir",
    ]);
    // Without --no-wait, ovs-vsctl returns only after vswitchd has caught up with next_cfg.
    await this.vsctl("set", "Open_vSwitch", ".", `external_ids:ovs-sdn-sandbox=${this.netns}`);
  }

  async restartVswitchd(): Promise<void> {
    await this.stopDaemon("ovs-vswitchd");
    await this.startVswitchd();
  }

  /** Stops both daemons, deletes the host netns (and with it every veth end inside) and the dir. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    process.removeListener("exit", this.cleanupOnExit);
    process.removeListener("SIGINT", this.cleanupOnSignal);
    process.removeListener("SIGTERM", this.cleanupOnSignal);
    await this.stopDaemon("ovs-vswitchd");
    await this.stopDaemon("ovsdb-server");
    await run("ip", ["netns", "del", this.netns]).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private pidFile(daemon: Daemon): string {
    return join(this.dir, `${daemon}.pid`);
  }

  private readPid(daemon: Daemon): number | undefined {
    const file = this.pidFile(daemon);
    if (!existsSync(file)) return undefined;
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  }

  /** Asks the daemon to exit, then makes sure the pid from its pidfile is gone. */
  private async stopDaemon(daemon: Daemon): Promise<void> {
    const pid = this.readPid(daemon);
    if (pid === undefined || !isAlive(pid)) return;
    await this.appctl(daemon, "exit").catch(() => undefined);
    for (let waited = 0; isAlive(pid) && waited < 5000; waited += 20) await delay(20);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
    for (let waited = 0; isAlive(pid) && waited < 2000; waited += 20) await delay(20);
  }

  /** Best-effort synchronous cleanup for process exit and signals. */
  private stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const daemon of ["ovs-vswitchd", "ovsdb-server"] as const) {
      const pid = this.readPid(daemon);
      if (pid !== undefined && isAlive(pid)) process.kill(pid, "SIGKILL");
    }
    try {
      execFileSync("ip", ["netns", "del", this.netns], { stdio: "ignore" });
    } catch {
      // already gone
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** True while the process runs; a zombie (exited, not yet reaped by a slow init) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
