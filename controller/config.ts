/**
 * The controller's configuration: defaults, then a JSON config file, then command-line flags.
 * Every key is documented in docs/configuration.md.
 */
import { readFileSync } from "node:fs";
import { CniCode, CniError } from "../plugin/cni/errors.js";
import { DEFAULT_API_SOCKET } from "./api/protocol.js";

export interface ControllerConfig {
  /** The integration bridge the controller owns (created with fail_mode=secure when missing). */
  bridge: string;
  /** "netdev" (userspace datapath) or "system" (kernel datapath). */
  datapathType: string;
  /** OVSDB remote: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT. */
  ovsdb: string;
  /** ovs-ofctl target for the bridge; default the bridge name (ovs-ofctl finds its mgmt socket). */
  openflowTarget: string;
  /** Environment variables for ovs-ofctl (e.g. OVS_RUNDIR of a non-default OVS). */
  openflowEnv: Record<string, string>;
  /** The local API's unix socket (plugin and CLI). */
  apiSocket: string;
  /** Directory of the embedded file store (definitions and leases). */
  dataDir: string;
  /** Log file (JSON lines); stderr when empty. */
  logFile: string;
  logLevel: "trace" | "debug" | "info" | "warn" | "error";
  /** How often to compare the installed flow count with ours (detects vswitchd restarts). */
  driftIntervalMs: number;
  /** Full read-back of the installed flows at this interval, whatever the probe says. */
  resyncIntervalMs: number;
  /** Leases whose port has been gone this long are released by the garbage collector. */
  leaseGraceMs: number;
}

export const DEFAULT_CONFIG: ControllerConfig = {
  bridge: "br-int",
  datapathType: "system",
  ovsdb: "unix:/var/run/openvswitch/db.sock",
  openflowTarget: "",
  openflowEnv: {},
  apiSocket: DEFAULT_API_SOCKET,
  dataDir: "/var/lib/ovs-sdn",
  logFile: "",
  logLevel: "info",
  driftIntervalMs: 500,
  resyncIntervalMs: 30_000,
  leaseGraceMs: 60_000,
};

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error"];

/** Merges file and flag values over the defaults; throws a CniError naming the bad key. */
export function loadConfig(configFile: string | undefined, flags: Partial<ControllerConfig>): ControllerConfig {
  const fromFile = configFile ? readConfigFile(configFile) : {};
  const merged = { ...DEFAULT_CONFIG, ...fromFile, ...dropUndefined(flags) };
  if (merged.openflowTarget === "") merged.openflowTarget = merged.bridge;
  validate(merged, configFile ?? "flags");
  return merged;
}

function readConfigFile(path: string): Partial<ControllerConfig> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new CniError(CniCode.InvalidConfig, `cannot read config file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CniError(CniCode.DecodeFailure, `config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new CniError(CniCode.InvalidConfig, `config file ${path} must hold a JSON object`);
  for (const key of Object.keys(parsed)) {
    if (!(key in DEFAULT_CONFIG)) throw new CniError(CniCode.InvalidConfig, `config file ${path}: unknown key "${key}"`);
  }
  return parsed as Partial<ControllerConfig>;
}

function validate(config: ControllerConfig, source: string): void {
  const fail = (key: string, why: string) => {
    throw new CniError(CniCode.InvalidConfig, `${source}: "${key}" ${why}`);
  };
  for (const key of ["bridge", "datapathType", "ovsdb", "openflowTarget", "apiSocket", "dataDir", "logFile"] as const) {
    if (typeof config[key] !== "string") fail(key, "must be a string");
  }
  if (config.bridge === "" || config.bridge.length > 15) fail("bridge", "must be 1..15 characters");
  if (!/^(unix:.+|tcp:.+:\d+|ssl:.+:\d+)$/.test(config.ovsdb)) fail("ovsdb", `must be unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT, got "${config.ovsdb}"`);
  if (!LOG_LEVELS.includes(config.logLevel)) fail("logLevel", `must be one of ${LOG_LEVELS.join(", ")}`);
  for (const key of ["driftIntervalMs", "resyncIntervalMs", "leaseGraceMs"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 50) fail(key, "must be an integer >= 50");
  }
  if (typeof config.openflowEnv !== "object" || config.openflowEnv === null || Object.values(config.openflowEnv).some((v) => typeof v !== "string")) {
    fail("openflowEnv", "must map names to strings");
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
