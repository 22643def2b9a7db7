/**
 * Decoding and validating the plugin's network configuration (stdin). The JSON Schema
 * (config.schema.json) is compiled ahead of time by `npm run gen`; this file maps its errors to
 * CNI codes (2 for a key we do not know, 7 for a bad value) and adds the checks a schema cannot say.
 */
import validate from "./config.validator.generated.js";
import { CniCode, CniError } from "./errors.js";
import { parseResult } from "./result.js";
import type { AttachmentRef, CniDns, CniResult } from "./types.js";
import { configVersion, LATEST_VERSION, isSupportedVersion, type CniVersion } from "./versions.js";

export const DEFAULT_BRIDGE = "br-int";
export const DEFAULT_OVSDB = "unix:/var/run/openvswitch/db.sock";
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_STATE_DIR = "/var/run/ovs-sdn";
export const DEFAULT_CONTROLLER_SOCKET = "/var/run/ovs-sdn/controller.sock";
/** Configs (with prevResult) are small; anything larger is refused before parsing. */
export const MAX_CONFIG_BYTES = 1 << 20;

export interface IpamConfig {
  type: string;
  [key: string]: unknown;
}

export interface PluginConfig {
  cniVersion: CniVersion;
  name: string;
  /** Managed mode: the controller's network this attachment joins (absent: standalone mode). */
  network: string | undefined;
  /** Managed mode: subnets of the network to take addresses from. */
  subnets: string[] | undefined;
  /** Managed mode: the controller's local API socket. */
  controllerSocket: string;
  bridge: string;
  ovsdb: string;
  /** Access VLAN (Port.tag); 0 when neither vlan nor trunk is given. */
  vlan: number | undefined;
  /** Trunk VLANs (Port.trunks), expanded from ids and ranges. */
  trunks: number[] | undefined;
  mtu: number | undefined;
  mac: string | undefined;
  ipam: IpamConfig | undefined;
  dns: CniDns | undefined;
  runtimeConfig: { ips?: string[]; mac?: string };
  /** args.cni.mac (the "args in network config" convention). */
  argsMac: string | undefined;
  timeoutMs: number;
  /** Small caches (IPAM versions); nothing the plugin needs to be correct. */
  stateDir: string;
  logFile: string | undefined;
  logLevel: string | undefined;
  /** GC: attachments still in use (cni.dev/valid-attachments, or cni.dev/attachments). */
  validAttachments: AttachmentRef[] | undefined;
  prevResult: CniResult | undefined;
}

export interface DecodedConfig {
  /** The exact bytes the runtime sent, for delegated plugins. */
  text: string;
  json: Record<string, unknown>;
}

/** stdin bytes → JSON object (code 6 on bad UTF-8, bad JSON or a non-object). */
export function decodeConfig(bytes: Uint8Array): DecodedConfig {
  if (bytes.length > MAX_CONFIG_BYTES) throw new CniError(CniCode.DecodeFailure, `config is larger than ${MAX_CONFIG_BYTES} bytes`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CniError(CniCode.DecodeFailure, "config is not valid UTF-8");
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CniError(CniCode.DecodeFailure, "config is not valid JSON", (err as Error).message);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new CniError(CniCode.DecodeFailure, "config is not a JSON object");
  return { text, json: json as Record<string, unknown> };
}

/** The version to answer in, even for a config that turns out invalid. */
export function responseVersion(json: Record<string, unknown> | undefined): string {
  const v = json?.cniVersion;
  return isSupportedVersion(v) ? v : LATEST_VERSION;
}

function schemaError(): CniError {
  const errors = validate.errors ?? [];
  const unknown = errors.find((e) => e.keyword === "additionalProperties");
  if (unknown) {
    const key = `${unknown.instancePath}/${String(unknown.params.additionalProperty)}`.replace(/^\//, "");
    return new CniError(CniCode.UnsupportedField, `unsupported field: ${key.slice(0, 128)}`);
  }
  const first = errors[0];
  const where = (first?.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".") || "config";
  return new CniError(CniCode.InvalidConfig, `${where.slice(0, 128)}: ${first?.message ?? "invalid"}`);
}

function expandTrunks(items: { id?: number; minID?: number; maxID?: number }[]): number[] {
  const vlans = new Set<number>();
  items.forEach((item, i) => {
    const hasId = item.id !== undefined;
    const hasRange = item.minID !== undefined || item.maxID !== undefined;
    if (hasId === hasRange || (hasRange && (item.minID === undefined || item.maxID === undefined))) {
      throw new CniError(CniCode.InvalidConfig, `trunk[${i}]: give either id or both minID and maxID`);
    }
    if (hasId) vlans.add(item.id as number);
    else {
      const [lo, hi] = [item.minID as number, item.maxID as number];
      if (lo > hi) throw new CniError(CniCode.InvalidConfig, `trunk[${i}]: minID must not exceed maxID`);
      for (let v = lo; v <= hi; v++) vlans.add(v);
    }
  });
  return [...vlans].sort((a, b) => a - b);
}

/** The config as the schema guarantees it. */
interface RawConfig {
  name: string;
  bridge?: string;
  ovsdb?: string;
  vlan?: number;
  trunk?: { id?: number; minID?: number; maxID?: number }[];
  mtu?: number;
  mac?: string;
  ipam?: IpamConfig;
  network?: string;
  subnets?: string[];
  controllerSocket?: string;
  dns?: CniDns;
  runtimeConfig?: { ips?: string[]; mac?: string };
  args?: { cni?: { mac?: unknown } };
  timeoutMs?: number;
  stateDir?: string;
  logFile?: string;
  logLevel?: string;
  prevResult?: unknown;
  "cni.dev/valid-attachments"?: AttachmentRef[];
  "cni.dev/attachments"?: AttachmentRef[];
}

/** JSON object → typed config (codes 1, 2, 6, 7). */
export function parseConfig(json: Record<string, unknown>): PluginConfig {
  const cniVersion = configVersion(json);
  if (!validate(json)) throw schemaError();
  if (json.vlan !== undefined && json.trunk !== undefined) throw new CniError(CniCode.InvalidConfig, "vlan, trunk: give one of them, not both");
  if (json.network !== undefined) {
    // The controller decides addressing and segmentation in managed mode.
    const clashing = ["vlan", "trunk", "ipam"].filter((key) => json[key] !== undefined);
    if (clashing.length > 0) throw new CniError(CniCode.InvalidConfig, `${clashing.join(", ")}: not allowed with "network" (managed mode: the controller decides them)`);
  } else if (json.subnets !== undefined) {
    throw new CniError(CniCode.InvalidConfig, `subnets: only with "network" (managed mode)`);
  }
  const c = json as unknown as RawConfig;
  const runtimeConfig = c.runtimeConfig ?? {};
  const argsMac = typeof c.args?.cni?.mac === "string" ? c.args.cni.mac : undefined;
  const attachments = c["cni.dev/valid-attachments"] ?? c["cni.dev/attachments"];
  return {
    cniVersion,
    name: c.name,
    network: c.network,
    subnets: c.subnets,
    controllerSocket: c.controllerSocket ?? DEFAULT_CONTROLLER_SOCKET,
    bridge: c.bridge ?? DEFAULT_BRIDGE,
    ovsdb: c.ovsdb ?? DEFAULT_OVSDB,
    vlan: c.vlan,
    trunks: c.trunk ? expandTrunks(c.trunk) : undefined,
    mtu: c.mtu,
    mac: c.mac,
    ipam: c.ipam,
    dns: c.dns,
    runtimeConfig: { ...(runtimeConfig.ips ? { ips: runtimeConfig.ips } : {}), ...(runtimeConfig.mac ? { mac: runtimeConfig.mac } : {}) },
    argsMac,
    timeoutMs: c.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    stateDir: c.stateDir ?? DEFAULT_STATE_DIR,
    logFile: c.logFile,
    logLevel: c.logLevel,
    validAttachments: attachments,
    prevResult: c.prevResult ? parseResult(c.prevResult, cniVersion) : undefined,
  };
}
