/**
 * A private lab on one machine: an OVS sandbox (its own ovsdb-server and vswitchd in a "host"
 * netns), the real controller process with the file store, and containers (network namespaces)
 * attached through the real plugin binary over the CNI protocol. The demo, the end-to-end tests
 * and the benchmarks all use it; stop() removes exactly what it made.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { randomBytes } from "node:crypto";
import { run } from "../../ovs/exec.js";
import { OvsSandbox } from "../../ovs/sandbox.js";
import { ControllerClient } from "../api/client.js";
import { invokePlugin } from "./runtime.js";

export const BRIDGE = "br-int";
const DIST = resolve(import.meta.dirname ?? ".", "../../dist");
const INSTALL_PLUGIN = resolve(import.meta.dirname ?? ".", "../../deploy/install-plugin.sh");

export interface LabOptions {
  prefix?: string;
  /** Directory holding cni/ovs-sdn and ovs-sdn-controller.js (default: the repository's dist/). */
  distDir?: string;
  /** The controller's lease grace period (default its own, 60 s). */
  leaseGraceMs?: number;
  /** Runs after the sandbox started, before the controller (e.g. underlay plumbing). */
  prepare?: (sandbox: OvsSandbox) => Promise<void>;
  /** More controller flags (e.g. --store etcd --tunnel-ip ...). */
  controllerArgs?: string[];
  /**
   * Run the controller in this process's netns instead of the sandbox's host netns: it talks to
   * OVS only through unix sockets, and can then reach services on this netns's loopback (etcd).
   */
  controllerInCurrentNetns?: boolean;
}

export interface AttachmentSpec {
  network: string;
  ifname?: string;
  /** Subnets to take addresses from (config "subnets"). */
  subnets?: string[];
  /** Fixed addresses (runtimeConfig.ips). */
  ips?: string[];
  podNamespace?: string;
  podName?: string;
}

export interface LabContainer {
  name: string;
  netns: string;
  containerId: string;
  attachments: Array<{ spec: AttachmentSpec; ifname: string; result: Record<string, unknown> }>;
}

export class Lab {
  readonly containers = new Map<string, LabContainer>();
  readonly client: ControllerClient;
  private controller: ChildProcess | undefined;
  private stopping = false;
  /** Last resort on process exit (e.g. Ctrl-C, where the sandbox exits at once): no netns or controller left. */
  private readonly cleanupOnExit = () => {
    this.controller?.kill("SIGKILL");
    for (const c of this.containers.values()) {
      try {
        execFileSync("ip", ["netns", "del", c.netns], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  };
  private readonly runId = randomBytes(2).toString("hex");

  private constructor(
    readonly sandbox: OvsSandbox,
    readonly dir: string,
    readonly distDir: string,
    private readonly options: LabOptions,
  ) {
    this.client = new ControllerClient(this.apiSocket, 30_000);
  }

  static async start(options: LabOptions = {}): Promise<Lab> {
    const distDir = options.distDir ?? DIST;
    for (const file of ["cni/ovs-sdn", "ovs-sdn-controller.js"]) {
      if (!existsSync(join(distDir, file))) throw new Error(`${join(distDir, file)} is missing: run npm run build`);
    }
    const sandbox = await OvsSandbox.start({ prefix: options.prefix ?? "lab" });
    const lab = new Lab(sandbox, mkdtempSync(join(tmpdir(), "ovs-sdn-lab-")), distDir, options);
    process.once("exit", lab.cleanupOnExit);
    try {
      mkdirSync(lab.cniPath);
      for (const plugin of readdirSync("/usr/lib/cni")) symlinkSync(join("/usr/lib/cni", plugin), join(lab.cniPath, plugin));
      // Installed by the installer users run, as a copy: a rebuild of dist/ while the lab runs must
      // not change its plugin.
      await run("bash", [INSTALL_PLUGIN, lab.cniPath, join(lab.dir, "net.d")], { env: { ...process.env, OVS_SDN_DIST: join(distDir, "cni") } });
      await options.prepare?.(sandbox);
      await lab.startController();
      return lab;
    } catch (err) {
      await lab.stop();
      throw err;
    }
  }

  get apiSocket(): string {
    return join(this.dir, "controller.sock");
  }
  get cniPath(): string {
    return join(this.dir, "bin");
  }
  get controllerLog(): string {
    return join(this.dir, "controller.log");
  }

  /** Starts the controller in the host netns; resolves once its API answers. */
  async startController(): Promise<void> {
    const args = [
      join(this.distDir, "ovs-sdn-controller.js"),
      "--datapath-type", "netdev",
      "--ovsdb", this.sandbox.dbRemote,
      "--openflow-target", `unix:${this.sandbox.mgmtSocket(BRIDGE)}`,
      "--api-socket", this.apiSocket,
      "--data-dir", join(this.dir, "store"),
      "--log-file", this.controllerLog,
      ...(this.options.leaseGraceMs ? ["--lease-grace-ms", String(this.options.leaseGraceMs)] : []),
      ...(this.options.controllerArgs ?? []),
    ];
    const child = this.options.controllerInCurrentNetns
      ? spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] })
      : spawn("ip", ["netns", "exec", this.sandbox.netns, process.execPath, ...args], { stdio: ["ignore", "ignore", "pipe"] });
    this.controller = child;
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    for (let attempt = 0; attempt < 300; attempt++) {
      if (child.exitCode !== null) throw new Error(`controller exited with ${child.exitCode}: ${stderr.trim()}`);
      if (await this.client.status().then(() => true, () => false)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`controller did not answer on ${this.apiSocket} within 15 s: ${stderr.trim()}`);
  }

  /** Stops the controller (SIGTERM: graceful, flows stay; SIGKILL: a crash). */
  async stopController(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.controller;
    this.controller = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill(signal);
    await exited;
  }

  applyDefinitions(docs: unknown[]): Promise<unknown> {
    return this.client.call("POST", "/v1/definitions", docs);
  }

  /** A managed-mode network config for the plugin. */
  networkConfig(network: string): Record<string, unknown> {
    return { cniVersion: "1.1.0", name: network, type: "ovs-sdn", network, bridge: BRIDGE, ovsdb: this.sandbox.dbRemote, controllerSocket: this.apiSocket, timeoutMs: 20_000 };
  }

  /**
   * A new netns attached to each network in turn (eth0, net1, ...), as Multus would call the
   * plugin. When an ADD fails, the lab does what a runtime does: DEL, then the netns goes.
   */
  async addContainer(name: string, specs: AttachmentSpec[]): Promise<LabContainer> {
    if (this.stopping) throw new Error(`lab is stopping: not adding ${name}`);
    const netns = `lab${this.runId}${name}`.slice(0, 32);
    await run("ip", ["netns", "add", netns]);
    const container: LabContainer = { name, netns, containerId: `${this.runId}-${name}`, attachments: [] };
    this.containers.set(name, container);
    await run("ip", ["-n", netns, "link", "set", "lo", "up"]);
    for (const [index, spec] of specs.entries()) {
      const ifname = spec.ifname ?? (index === 0 ? "eth0" : `net${index}`);
      const config = {
        ...this.networkConfig(spec.network),
        ...(spec.subnets ? { subnets: spec.subnets } : {}),
        ...(spec.ips ? { runtimeConfig: { ips: spec.ips } } : {}),
      };
      const args: Record<string, string> = { IgnoreUnknown: "1" };
      if (spec.podNamespace) args.K8S_POD_NAMESPACE = spec.podNamespace;
      if (spec.podName) args.K8S_POD_NAME = spec.podName;
      try {
        const result = await this.plugin("ADD", config, container, ifname, args);
        container.attachments.push({ spec, ifname, result: result ?? {} });
      } catch (err) {
        await this.plugin("DEL", config, container, ifname, args).catch(() => undefined);
        await this.removeContainer(name).catch(() => undefined);
        throw err;
      }
    }
    return container;
  }

  get controllerPid(): number | undefined {
    return this.controller?.pid;
  }

  /** The netns goes without any DEL: what a crashed runtime leaves behind. */
  async abandonContainer(name: string): Promise<LabContainer | undefined> {
    const container = this.containers.get(name);
    if (!container) return undefined;
    await run("ip", ["netns", "del", container.netns]);
    this.containers.delete(name);
    return container;
  }

  /** DEL of every attachment (last first), then the netns goes. */
  async removeContainer(name: string): Promise<void> {
    const container = this.containers.get(name);
    if (!container) return;
    for (const att of [...container.attachments].reverse()) {
      await this.plugin("DEL", this.networkConfig(att.spec.network), container, att.ifname, {});
    }
    await run("ip", ["netns", "del", container.netns]).catch(() => undefined);
    this.containers.delete(name);
  }

  plugin(command: "ADD" | "DEL" | "CHECK", config: Record<string, unknown>, container: LabContainer, ifname: string, args: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    return invokePlugin({ plugin: join(this.cniPath, "ovs-sdn"), command, config, containerId: container.containerId, netns: `/var/run/netns/${container.netns}`, ifname, args, cniPath: this.cniPath, hostNetns: this.sandbox.netns });
  }

  /** The first address (without prefix) of a container's attachment. */
  address(name: string, ifname = "eth0", family: 4 | 6 = 4): string {
    const att = this.containers.get(name)?.attachments.find((a) => a.ifname === ifname);
    const ips = (att?.result.ips ?? []) as Array<{ address: string }>;
    const found = ips.map((i) => i.address.split("/")[0]!).find((a) => (family === 6) === a.includes(":"));
    if (!found) throw new Error(`${name}/${ifname} has no IPv${family} address`);
    return found;
  }

  exec(name: string, cmd: string, args: string[]): Promise<string> {
    const container = this.containers.get(name);
    if (!container) throw new Error(`no container ${name}`);
    return run(cmd, args, { netns: container.netns });
  }

  /** Removes every container (best effort DEL first), the controller, the sandbox and the dir. */
  async stop(): Promise<void> {
    this.stopping = true;
    process.removeListener("exit", this.cleanupOnExit);
    for (const name of [...this.containers.keys()]) await this.removeContainer(name).catch(() => undefined);
    for (const c of this.containers.values()) await run("ip", ["netns", "del", c.netns]).catch(() => undefined);
    await this.stopController();
    await this.sandbox.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
