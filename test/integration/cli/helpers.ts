/**
 * The CLI integration test's world: a private OVS sandbox, the controller from dist/ running in the
 * sandbox's host netns, and containers attached by hand as managed ports (netns + veth + OVSDB
 * external_ids, as the plugin would), plus a runner for dist/ovs-sdnctl.js.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { run, runFull, type RunResult } from "../../../ovs/exec.js";
import type { OvsSandbox } from "../../../ovs/sandbox.js";
import { PortKey, toExternalIds } from "../../../ovs/port-identity.js";
import { ControllerClient } from "../../../controller/api/client.js";
import { createNetns, execInNetns, netnsPath, uniqueName } from "../../helpers/netns.js";

export const BRIDGE = "br-int";

export interface Paths {
  apiSocket: string;
  dataDir: string;
  logFile: string;
}

export function controllerPaths(dir: string): Paths {
  return { apiSocket: join(dir, "api.sock"), dataDir: join(dir, "data"), logFile: join(dir, "controller.log") };
}

/** Starts dist/ovs-sdn-controller.js inside the sandbox's host netns; resolves once its API answers ready. */
export async function startController(sandbox: OvsSandbox, paths: Paths): Promise<ChildProcess> {
  const args = ["netns", "exec", sandbox.netns, process.execPath, "dist/ovs-sdn-controller.js", "--datapath-type", "netdev", "--ovsdb", sandbox.dbRemote,
    "--openflow-target", `unix:${sandbox.mgmtSocket(BRIDGE)}`, "--api-socket", paths.apiSocket, "--data-dir", paths.dataDir, "--log-file", paths.logFile, "--log-level", "debug"];
  const child = spawn("ip", args, { stdio: "ignore" });
  let exited: number | null | undefined;
  child.on("exit", (code) => (exited = code));
  const client = new ControllerClient(paths.apiSocket, 1_000);
  for (let i = 0; i < 200; i++) {
    if (exited !== undefined) throw new Error(`controller exited with ${exited}: ${existsSync(paths.logFile) ? readFileSync(paths.logFile, "utf8").slice(-2000) : "(no log)"}`);
    const status = await client.status().catch(() => undefined);
    if (status?.ready) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error("controller did not become ready within 20 s");
}

/** SIGTERM (graceful: flows stay) and wait for the exit. */
export async function stopController(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await done;
  clearTimeout(timer);
}

/** Runs dist/ovs-sdnctl.js; resolves with stdout, stderr and the exit code (0-3). */
export function sdnctl(env: NodeJS.ProcessEnv, args: string[], input?: string): Promise<RunResult> {
  return runFull(process.execPath, ["dist/ovs-sdnctl.js", ...args], { env, okExitCodes: [1, 2, 3], timeoutMs: 60_000, ...(input === undefined ? {} : { input }) });
}

export interface TestContainer {
  pod: string;
  containerId: string;
  netns: string;
  hostIf: string;
  ip: string;
  mac: string;
}

export interface AttachSpec {
  pod: string;
  ip: string;
  prefix: number;
  gateway: string;
  mac: string;
  vlan: number;
  network: string;
  /** What external_ids records as the netns path; default the real one. */
  recordedNetns?: string;
}

/** A managed port attached by hand, exactly as the plugin would: the controller learns it from OVSDB. */
export async function attachContainer(sandbox: OvsSandbox, spec: AttachSpec): Promise<TestContainer> {
  const netns = uniqueName(spec.pod);
  const hostIf = `${netns}h`.slice(0, 15);
  const containerId = `${netns}-0123456789abcdef`;
  await createNetns(netns);
  await run("ip", ["link", "add", hostIf, "netns", sandbox.netns, "type", "veth", "peer", "name", "eth0", "netns", netns]);
  await sandbox.execInHost("ip", ["link", "set", hostIf, "up"]);
  await execInNetns(netns, "ip", ["link", "set", "eth0", "address", spec.mac]);
  // The userspace datapath does not complete checksums a veth leaves to offload.
  await execInNetns(netns, "ethtool", ["-K", "eth0", "tx", "off"]);
  await execInNetns(netns, "ip", ["addr", "add", `${spec.ip}/${spec.prefix}`, "dev", "eth0"]);
  await execInNetns(netns, "ip", ["link", "set", "eth0", "up"]);
  await execInNetns(netns, "ip", ["route", "add", "default", "via", spec.gateway]);
  const ids = toExternalIds({
    mode: "managed",
    containerId,
    ifname: "eth0",
    netns: spec.recordedNetns ?? netnsPath(netns),
    network: spec.network,
    ips: [`${spec.ip}/${spec.prefix}`],
    mac: spec.mac,
    podNamespace: "default",
    podName: spec.pod,
  });
  // Like the plugin: the whole identity on the Interface, who owns it on the Port too.
  const portKeys = [PortKey.owner, PortKey.containerId, PortKey.ifname, PortKey.mode, PortKey.network];
  const idArgs = (keys: string[]) => keys.map((k) => `external_ids:"${k}"="${ids[k]}"`);
  await sandbox.vsctl("add-port", BRIDGE, hostIf, `tag=${spec.vlan}`, ...idArgs(portKeys), "--", "set", "Interface", hostIf, ...idArgs(Object.keys(ids)));
  return { pod: spec.pod, containerId, netns, hostIf, ip: spec.ip, mac: spec.mac };
}

/** One ping; true when a reply came back. */
export async function ping(from: TestContainer, ip: string): Promise<boolean> {
  return execInNetns(from.netns, "ping", ["-c", "1", "-W", "1", ip]).then(
    () => true,
    () => false,
  );
}
