/**
 * Result conversion between CNI versions. Internally every result has the 1.1.0 shape; 0.3.x and
 * 0.4.0 add `version` ("4"/"6") to each IP; fields newer than the target version are dropped.
 */
import { CniCode, CniError } from "./errors.js";
import type { CniDns, CniInterface, CniIpConfig, CniResult, CniRoute } from "./types.js";
import { atLeast } from "./versions.js";

function decodeError(what: string): CniError {
  return new CniError(CniCode.DecodeFailure, `invalid result: ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const optString = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const optNumber = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const stringList = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : undefined);

function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

function parseInterface(v: unknown): CniInterface {
  if (!isObject(v) || typeof v.name !== "string") throw decodeError("interface without a name");
  return compact({ name: v.name, mac: optString(v.mac), mtu: optNumber(v.mtu), sandbox: optString(v.sandbox), socketPath: optString(v.socketPath), pciID: optString(v.pciID) });
}

function parseIp(v: unknown): CniIpConfig {
  if (!isObject(v) || typeof v.address !== "string") throw decodeError("ip without an address");
  return compact({ address: v.address, gateway: optString(v.gateway), interface: optNumber(v.interface) });
}

function parseRoute(v: unknown): CniRoute {
  if (!isObject(v) || typeof v.dst !== "string") throw decodeError("route without a dst");
  return compact({ dst: v.dst, gw: optString(v.gw), mtu: optNumber(v.mtu), advmss: optNumber(v.advmss), priority: optNumber(v.priority), table: optNumber(v.table), scope: optNumber(v.scope) });
}

function parseDns(v: unknown): CniDns | undefined {
  if (!isObject(v)) return undefined;
  const dns = compact({ nameservers: stringList(v.nameservers), domain: optString(v.domain), search: stringList(v.search), options: stringList(v.options) });
  return Object.keys(dns).length > 0 ? dns : undefined;
}

/** Reads a result of any supported version (a prevResult or a delegated plugin's output). */
export function parseResult(v: unknown, fallbackVersion: string): CniResult {
  if (!isObject(v)) throw decodeError("not a JSON object");
  const list = (key: string): unknown[] => {
    const value = v[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw decodeError(`${key} is not a list`);
    return value;
  };
  return compact({
    cniVersion: optString(v.cniVersion) ?? fallbackVersion,
    interfaces: list("interfaces").map(parseInterface),
    ips: list("ips").map(parseIp),
    routes: list("routes").map(parseRoute),
    dns: parseDns(v.dns),
  });
}

function ipVersion(address: string): "4" | "6" {
  return address.includes(":") ? "6" : "4";
}

/** The result as the given cniVersion expects it on stdout. */
export function formatResult(result: CniResult, cniVersion: string): Record<string, unknown> {
  const newest = atLeast(cniVersion, "1.1.0");
  const v1 = atLeast(cniVersion, "1.0.0");
  const out: Record<string, unknown> = { cniVersion };
  // Like the reference implementation: empty lists are left out, dns is always there.
  if (result.interfaces?.length) {
    out.interfaces = result.interfaces.map((i) =>
      compact({ name: i.name, mac: i.mac, mtu: newest ? i.mtu : undefined, sandbox: i.sandbox, socketPath: newest ? i.socketPath : undefined, pciID: newest ? i.pciID : undefined }),
    );
  }
  if (result.ips?.length) {
    out.ips = result.ips.map((ip) => compact({ version: v1 ? undefined : ipVersion(ip.address), address: ip.address, gateway: ip.gateway, interface: ip.interface }));
  }
  if (result.routes?.length) out.routes = result.routes.map((r) => (newest ? compact({ ...r }) : compact({ dst: r.dst, gw: r.gw })));
  out.dns = result.dns ?? {};
  return out;
}
