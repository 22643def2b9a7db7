/**
 * The runtime side of CNI, as small as the lab needs: run a plugin binary with the CNI_*
 * environment and the network config on stdin (inside the OVS host's netns), parse its result or
 * its error.
 */
import { runFull } from "../../ovs/exec.js";
import { CniError } from "../../plugin/cni/errors.js";

export interface PluginInvocation {
  plugin: string;
  command: "ADD" | "DEL" | "CHECK" | "STATUS" | "GC" | "VERSION";
  config: Record<string, unknown>;
  containerId?: string;
  netns?: string;
  ifname?: string;
  args?: Record<string, string>;
  cniPath: string;
  /** The OVS host namespace the plugin runs in. */
  hostNetns: string;
  timeoutMs?: number;
}

const ANY_EXIT = Array.from({ length: 255 }, (_, i) => i + 1);

/** Runs the plugin; resolves with its parsed stdout (undefined when empty), throws its CNI error. */
export async function invokePlugin(call: PluginInvocation): Promise<Record<string, unknown> | undefined> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", CNI_COMMAND: call.command, CNI_PATH: call.cniPath };
  if (call.containerId) env.CNI_CONTAINERID = call.containerId;
  if (call.netns !== undefined) env.CNI_NETNS = call.netns;
  if (call.ifname) env.CNI_IFNAME = call.ifname;
  if (call.args) env.CNI_ARGS = Object.entries(call.args).map(([k, v]) => `${k}=${v}`).join(";");
  const { stdout, stderr, exitCode } = await runFull(call.plugin, [], {
    env,
    input: JSON.stringify(call.config),
    netns: call.hostNetns,
    timeoutMs: call.timeoutMs ?? 60_000,
    okExitCodes: ANY_EXIT,
  });
  const parsed = stdout.trim() === "" ? undefined : (JSON.parse(stdout) as Record<string, unknown>);
  if (exitCode === 0) return parsed;
  const code = typeof parsed?.code === "number" ? parsed.code : 999;
  const msg = typeof parsed?.msg === "string" ? parsed.msg : `plugin exited with ${exitCode}: ${stderr.trim().slice(0, 300)}`;
  throw new CniError(code, `${call.command} ${call.containerId ?? ""}/${call.ifname ?? ""}: ${msg}`, typeof parsed?.details === "string" ? parsed.details : undefined);
}
