/** The controller from dist/ running in the sandbox's host netns, and a runner for dist/ovs-sdnctl.js. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runFull, type RunResult } from "../../../ovs/exec.js";
import type { OvsSandbox } from "../../../ovs/sandbox.js";
import { ControllerClient } from "../../../controller/api/client.js";

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
