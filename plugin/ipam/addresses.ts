/**
 * Checks what a delegated IPAM plugin returned before any of it reaches `ip -batch` lines, and
 * puts addresses in canonical form so CHECK can compare them with what the kernel reports.
 */
import { isIP } from "node:net";
import { CniCode, CniError } from "../cni/errors.js";
import type { CniResult } from "../cni/types.js";

function invalid(what: string, value: string): CniError {
  return new CniError(CniCode.DecodeFailure, `IPAM result: invalid ${what}`, value.slice(0, 128));
}

/** Canonical text of an IP address ("fd10:0::05" → "fd10::5"), or undefined if it is none. */
export function canonicalIp(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 4) return ip.split(".").map((o) => String(Number(o))).join(".");
  if (family === 6) return new URL(`http://[${ip}]/`).hostname.slice(1, -1);
  return undefined;
}

/** Canonical CIDR; a bare address gets its host prefix (ip -j prints host routes without one). */
export function canonicalCidr(cidr: string): string | undefined {
  const slash = cidr.indexOf("/");
  const ip = canonicalIp(slash < 0 ? cidr : cidr.slice(0, slash));
  if (ip === undefined) return undefined;
  const max = ip.includes(":") ? 128 : 32;
  const prefixText = slash < 0 ? String(max) : cidr.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return undefined;
  return `${ip}/${Number(prefixText)}`;
}

const intIn = (v: number | undefined, lo: number, hi: number) => v === undefined || (Number.isInteger(v) && v >= lo && v <= hi);

/** Validates and canonicalises ips and routes in place; throws code 6 naming the bad value. */
export function sanitizeIpamResult(result: CniResult): CniResult {
  const ips = (result.ips ?? []).map((ip) => {
    const address = canonicalCidr(ip.address);
    if (address === undefined || !ip.address.includes("/")) throw invalid("address", ip.address);
    const gateway = ip.gateway === undefined ? undefined : canonicalIp(ip.gateway);
    if (ip.gateway !== undefined && gateway === undefined) throw invalid("gateway", ip.gateway);
    return gateway === undefined ? { address } : { address, gateway };
  });
  const routes = (result.routes ?? []).map((r) => {
    const dst = canonicalCidr(r.dst);
    if (dst === undefined || !r.dst.includes("/")) throw invalid("route dst", r.dst);
    const gw = r.gw === undefined ? undefined : canonicalIp(r.gw);
    if (r.gw !== undefined && gw === undefined) throw invalid("route gw", r.gw);
    if (!intIn(r.mtu, 68, 65535) || !intIn(r.advmss, 1, 65535) || !intIn(r.priority, 0, 2 ** 32 - 1) || !intIn(r.table, 0, 2 ** 32 - 1) || !intIn(r.scope, 0, 255)) {
      throw invalid("route attribute", JSON.stringify(r));
    }
    return { ...r, dst, ...(gw === undefined ? {} : { gw }) };
  });
  return { ...result, ips, routes };
}
