/**
 * The controller's configuration: defaults, then a JSON config file, then command-line flags.
 * Every key is documented in docs/configuration.md.
 */
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
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
  /** "file" (one host, dataDir) or "etcd" (many hosts, etcdEndpoints). */
  store: "file" | "etcd";
  /** Comma-separated etcd client URLs (http://host:2379 or https://...). */
  etcdEndpoints: string;
  etcdPrefix: string;
  /** PEM files for etcd over TLS (empty: none). */
  etcdCaFile: string;
  etcdCertFile: string;
  etcdKeyFile: string;
  /** This host's name in the cluster (default the hostname). */
  hostName: string;
  /** This host's underlay IPv4 address; set it to join the overlay (cross-host mode, needs store etcd). */
  tunnelIp: string;
  tunnelType: "vxlan" | "geneve";
  /** MTU of the underlay (br-phy); overlay attachments get this minus the encapsulation. */
  underlayMtu: number;
  /** Seconds without renewal after which this host's records expire on the other hosts. */
  hostTtlSeconds: number;
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
  store: "file",
  etcdEndpoints: "",
  etcdPrefix: "/ovs-sdn/",
  etcdCaFile: "",
  etcdCertFile: "",
  etcdKeyFile: "",
  hostName: hostname(),
  tunnelIp: "",
  tunnelType: "vxlan",
  underlayMtu: 1500,
  hostTtlSeconds: 15,
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
  for (const key of ["bridge", "datapathType", "ovsdb", "openflowTarget", "apiSocket", "dataDir", "logFile", "etcdEndpoints", "etcdPrefix", "etcdCaFile", "etcdCertFile", "etcdKeyFile", "hostName", "tunnelIp"] as const) {
    if (typeof config[key] !== "string") fail(key, "must be a string");
  }
  if (config.bridge === "" || config.bridge.length > 15) fail("bridge", "must be 1..15 characters");
  if (!/^(unix:.+|tcp:.+:\d+|ssl:.+:\d+)$/.test(config.ovsdb)) fail("ovsdb", `must be unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT, got "${config.ovsdb}"`);
  if (!LOG_LEVELS.includes(config.logLevel)) fail("logLevel", `must be one of ${LOG_LEVELS.join(", ")}`);
  for (const key of ["driftIntervalMs", "resyncIntervalMs", "leaseGraceMs"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 50) fail(key, "must be an integer >= 50");
  }
  if (config.store !== "file" && config.store !== "etcd") fail("store", `must be "file" or "etcd", got "${String(config.store)}"`);
  if (config.store === "etcd" && config.etcdEndpoints === "") fail("etcdEndpoints", "is required with store etcd");
  if (config.tunnelIp !== "" && !/^\d{1,3}(\.\d{1,3}){3}$/.test(config.tunnelIp)) fail("tunnelIp", `must be an IPv4 address, got "${config.tunnelIp}"`);
  if (config.tunnelIp !== "" && config.store !== "etcd") fail("tunnelIp", "needs store etcd (the hosts share their endpoints through it)");
  if (config.tunnelType !== "vxlan" && config.tunnelType !== "geneve") fail("tunnelType", `must be "vxlan" or "geneve"`);
  if (!Number.isInteger(config.underlayMtu) || config.underlayMtu < 1280 || config.underlayMtu > 9216) fail("underlayMtu", "must be an integer in 1280..9216");
  if (!Number.isInteger(config.hostTtlSeconds) || config.hostTtlSeconds < 2) fail("hostTtlSeconds", "must be an integer >= 2");
  if (config.hostName === "") fail("hostName", "must not be empty");
  if (typeof config.openflowEnv !== "object" || config.openflowEnv === null || Object.values(config.openflowEnv).some((v) => typeof v !== "string")) {
    fail("openflowEnv", "must map names to strings");
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
