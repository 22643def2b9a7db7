/**
 * Drives the bundled ovs-sdn plugin the way a runtime does: a process with CNI_* in its
 * environment and the config on stdin, inside the sandbox's host netns. Each harness owns one
 * OVS sandbox (bridge br-int, userspace datapath), a temp dir with CNI_PATH (symlinks to Debian's
 * plugins, and ovs-sdn installed there by deploy/install-plugin.sh from dist/cni, exactly as users
 * get it) and host-local's dataDir, and every netns it creates.
 */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runFull } from "../../../ovs/exec.js";
import { ensureBridge, OvsdbClient } from "../../../ovs/ovsdb/index.js";
import { OvsSandbox } from "../../../ovs/sandbox.js";
import { createNetns, deleteNetns, netnsPath, uniqueName } from "../../helpers/netns.js";

export const INSTALLABLE = resolve("dist/cni/ovs-sdn");
export const BRIDGE = "br-int";

export interface CallResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** stdout parsed, when it is JSON. */
  json: Record<string, unknown> | undefined;
}

export interface CallEnv {
  containerId?: string;
  netns?: string;
  ifname?: string;
  args?: string;
  /** Overrides or extra variables (undefined deletes). */
  extra?: Record<string, string | undefined>;
}

export class PluginHarness {
  readonly netnsNames: string[] = [];
  private constructor(
    readonly sandbox: OvsSandbox,
    readonly dir: string,
  ) {}

  static async start(prefix: string): Promise<PluginHarness> {
    if (!existsSync(INSTALLABLE)) throw new Error(`${INSTALLABLE} missing: run npm run build`);
    const sandbox = await OvsSandbox.start({ prefix });
    const dir = mkdtempSync(join(tmpdir(), `ovs-sdn-plugin-${prefix}-`));
    const harness = new PluginHarness(sandbox, dir);
    try {
      mkdirSync(harness.cniPath);
      for (const p of readdirSync("/usr/lib/cni")) symlinkSync(join("/usr/lib/cni", p), join(harness.cniPath, p));
      await runFull("bash", ["deploy/install-plugin.sh", harness.cniPath, join(dir, "net.d")]);
      const client = await OvsdbClient.connect(sandbox.dbRemote);
      try {
        await ensureBridge(client, { name: BRIDGE, datapathType: "netdev" });
      } finally {
        client.close();
      }
      await sandbox.vsctl("set", "Open_vSwitch", ".", "external_ids:touch=1"); // waits for vswitchd
      return harness;
    } catch (err) {
      await harness.stop();
      throw err;
    }
  }

  get cniPath(): string {
    return join(this.dir, "bin");
  }

  get dataDir(): string {
    return join(this.dir, "ipam");
  }

  /** A standalone config on host-local IPAM; `extra` overrides or adds keys (undefined deletes). */
  config(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    const base: Record<string, unknown> = {
      cniVersion: "1.0.0",
      name,
      type: "ovs-sdn",
      bridge: BRIDGE,
      ovsdb: this.sandbox.dbRemote,
      vlan: 100,
      timeoutMs: 5000,
      stateDir: join(this.dir, "state"),
      ipam: { type: "host-local", subnet: "10.70.0.0/24", dataDir: this.dataDir },
    };
    for (const [k, v] of Object.entries(extra)) {
      if (v === undefined) delete base[k];
      else base[k] = v;
    }
    return base;
  }

  env(command: string, call: CallEnv = {}): Record<string, string> {
    const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      CNI_COMMAND: command,
      CNI_CONTAINERID: call.containerId,
      CNI_NETNS: call.netns,
      CNI_IFNAME: call.ifname,
      CNI_ARGS: call.args,
      CNI_PATH: this.cniPath,
      ...call.extra,
    };
    return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
  }

  /** Runs the plugin in the sandbox's host netns; never throws on a plugin error. */
  async call(command: string, config: unknown, call: CallEnv = {}): Promise<CallResult> {
    const input = typeof config === "string" ? config : JSON.stringify(config);
    return this.callRaw(this.env(command, call), input);
  }

  async callRaw(env: Record<string, string>, input: string | Buffer, plugin = join(this.cniPath, "ovs-sdn")): Promise<CallResult> {
    const r = await runFull(plugin, [], { env, input: input as string, netns: this.sandbox.netns, timeoutMs: 60_000, okExitCodes: Array.from({ length: 255 }, (_, i) => i + 1) });
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(r.stdout) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode, json };
  }

  async newNetns(tag: string): Promise<{ name: string; path: string }> {
    const name = uniqueName(tag);
    await createNetns(name);
    this.netnsNames.push(name);
    return { name, path: netnsPath(name) };
  }

  /** Host-side links in the sandbox netns that the plugin made (osd...). */
  async hostVeths(): Promise<string[]> {
    const out = await this.sandbox.execInHost("ip", ["-j", "link", "show"]);
    return (JSON.parse(out) as { ifname: string }[]).map((l) => l.ifname).filter((n) => n.startsWith("osd"));
  }

  async ports(): Promise<string[]> {
    return (await this.sandbox.vsctl("list-ports", BRIDGE)).split("\n").filter((l) => l !== "");
  }

  /** host-local leases of a network: the address files in its data dir. */
  leases(network: string): string[] {
    const d = join(this.dataDir, network);
    if (!existsSync(d)) return [];
    return readdirSync(d).filter((f) => f !== "lock" && !f.startsWith("last_reserved_ip"));
  }

  async stop(): Promise<void> {
    for (const n of this.netnsNames) await deleteNetns(n);
    await this.sandbox.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
