/**
 * Delegated IPAM (SPEC.md "Delegated plugins"): the IPAM plugin named by ipam.type is found on
 * CNI_PATH and run with our environment, CNI_COMMAND set to the verb, and our config on stdin.
 * An IPAM that does not speak the config's version (Debian's plugins stop at 1.0.0) is asked for
 * its versions and called again with the highest common one; the answer is cached in the state dir
 * (versions-cache.ts) so that later calls go straight to that version.
 */
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { runFull } from "../../ovs/exec.js";
import { CniCode, CniError } from "../cni/errors.js";
import { bestCommonVersion } from "../cni/versions.js";
import { cachedVersions, rememberVersions } from "./versions-cache.js";

export interface IpamCall {
  type: string;
  cniPath: string[];
  /** The config text as the runtime sent it. */
  configText: string;
  cniVersion: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Where the versions cache lives. */
  stateDir: string;
}

const ANY_EXIT = Array.from({ length: 255 }, (_, i) => i + 1);

/** Synchronous, like the versions cache, so that ipamExec forks the plugin before its first await. */
export function findPlugin(type: string, cniPath: string[]): string {
  for (const dir of cniPath) {
    const candidate = join(dir, type);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new CniError(CniCode.InvalidConfig, `ipam.type: plugin ${JSON.stringify(type)} not found in CNI_PATH`, cniPath.join(":"));
}

function withVersion(configText: string, version: string): string {
  const json = JSON.parse(configText) as Record<string, unknown>;
  json.cniVersion = version;
  return JSON.stringify(json);
}

/** One run of the plugin; resolves with its parsed stdout or throws its error as a CniError. */
async function execOnce(path: string, call: IpamCall, command: string, input: string, extraEnv: Record<string, string>): Promise<unknown> {
  const env = { ...call.env, ...extraEnv, CNI_COMMAND: command };
  const { stdout, stderr, exitCode } = await runFull(path, [], { input, env, timeoutMs: call.timeoutMs, okExitCodes: ANY_EXIT });
  let parsed: unknown;
  try {
    parsed = stdout.trim() === "" ? undefined : JSON.parse(stdout);
  } catch {
    throw new CniError(CniCode.DecodeFailure, `ipam ${call.type} ${command}: output is not JSON`, stdout.slice(0, 256));
  }
  if (exitCode === 0) return parsed;
  const e = (parsed ?? {}) as { code?: unknown; msg?: unknown; details?: unknown };
  const code = typeof e.code === "number" ? e.code : CniCode.IpamFailure;
  const msg = typeof e.msg === "string" ? e.msg : `exited with ${exitCode}`;
  const details = typeof e.details === "string" ? e.details : stderr.trim().slice(0, 512) || undefined;
  throw new CniError(code, `ipam ${call.type} ${command}: ${msg}`, details);
}

async function queryVersions(path: string, call: IpamCall): Promise<string[]> {
  const out = (await execOnce(path, call, "VERSION", JSON.stringify({ cniVersion: call.cniVersion }), {})) as { supportedVersions?: unknown };
  const versions = Array.isArray(out?.supportedVersions) ? out.supportedVersions.filter((v): v is string => typeof v === "string") : [];
  rememberVersions(call.stateDir, path, versions);
  return versions;
}

/** The versions the IPAM plugin supports (cached, else its VERSION answer). */
export async function ipamVersions(call: IpamCall): Promise<string[]> {
  const path = findPlugin(call.type, call.cniPath);
  return cachedVersions(call.stateDir, path) ?? queryVersions(path, call);
}

/**
 * Runs a verb in the config's version, or directly in the highest common one when the cache says
 * the plugin does not speak it; on a refusal (code 1) asks the plugin and retries once.
 */
export async function ipamExec(call: IpamCall, command: string, extraEnv: Record<string, string> = {}): Promise<unknown> {
  const path = findPlugin(call.type, call.cniPath);
  const known = cachedVersions(call.stateDir, path);
  if (known && !known.includes(call.cniVersion)) {
    const common = bestCommonVersion(call.cniVersion, known);
    if (common !== undefined) return execOnce(path, call, command, withVersion(call.configText, common), extraEnv);
  }
  try {
    return await execOnce(path, call, command, call.configText, extraEnv);
  } catch (err) {
    if (!(err instanceof CniError) || err.code !== CniCode.IncompatibleVersion) throw err;
    const common = bestCommonVersion(call.cniVersion, await queryVersions(path, call));
    if (common === undefined || common === call.cniVersion) throw err;
    return execOnce(path, call, command, withVersion(call.configText, common), extraEnv);
  }
}
