/**
 * Address arithmetic on bigints. ip-address does the parsing (strict: no leading zeros, no
 * partial forms); everything after parsing is plain bigint math so that /64s never get enumerated.
 */
import { Address4, Address6 } from "ip-address";

export type Family = 4 | 6;

export interface IpAddr {
  family: Family;
  value: bigint;
}

export interface Cidr {
  family: Family;
  prefix: number;
  /** The network address (all host bits zero). */
  first: bigint;
  /** The last address (all host bits one): the IPv4 broadcast. */
  last: bigint;
}

/** An inclusive interval of addresses of one family. */
export interface IpInterval {
  family: Family;
  first: bigint;
  last: bigint;
}

export function bitsOf(family: Family): number {
  return family === 4 ? 32 : 128;
}

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Parses a bare address ("10.1.0.5", "fd10::5"); undefined when it is not one. */
export function parseIp(text: string): IpAddr | undefined {
  if (typeof text !== "string" || text.includes("/") || text.trim() !== text) return undefined;
  // Fast path for canonical IPv4 (IPAM parses every lease of a subnet per allocation).
  const quad = DOTTED_QUAD.exec(text);
  if (quad) {
    let value = 0n;
    for (let i = 1; i <= 4; i++) {
      const part = quad[i] as string;
      if (part.length > 1 && part.startsWith("0")) return undefined;
      const n = Number(part);
      if (n > 255) return undefined;
      value = (value << 8n) | BigInt(n);
    }
    return { family: 4, value };
  }
  try {
    if (text.includes(":")) return { family: 6, value: new Address6(text).bigInt() };
    return { family: 4, value: new Address4(text).bigInt() };
  } catch {
    return undefined;
  }
}

/** Parses "a.b.c.d/n" or "x::/n". Reports host bits as an error so users see their typo. */
export function parseCidr(text: string): { cidr: Cidr } | { error: string } {
  const slash = typeof text === "string" ? text.indexOf("/") : -1;
  if (slash < 0) return { error: "is not in CIDR notation (address/prefix)" };
  const addr = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(prefixText)) return { error: "is not a valid CIDR" };
  const prefix = Number(prefixText);
  const bits = bitsOf(addr.family);
  if (prefix > bits) return { error: `has a prefix longer than ${bits}` };
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const first = addr.value & ~hostMask;
  if (first !== addr.value) {
    return { error: `has host bits set (the network is ${formatIp(addr.family, first)}/${prefix})` };
  }
  return { cidr: { family: addr.family, prefix, first, last: first | hostMask } };
}

/** An address or a CIDR, as an interval (used for exclusions and policy peers). */
export function parseIpOrCidr(text: string): IpInterval | undefined {
  if (typeof text === "string" && text.includes("/")) {
    const parsed = parseCidr(text);
    return "cidr" in parsed ? parsed.cidr : undefined;
  }
  const ip = parseIp(text);
  return ip ? { family: ip.family, first: ip.value, last: ip.value } : undefined;
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 6) return Address6.fromBigInt(value).correctForm();
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join(".");
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.family, cidr.first)}/${cidr.prefix}`;
}

/** The canonical text of an address (lower case, RFC 5952 compression for IPv6). */
export function canonicalIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip.family, ip.value) : undefined;
}

export function contains(outer: IpInterval, ip: IpAddr): boolean {
  return outer.family === ip.family && ip.value >= outer.first && ip.value <= outer.last;
}

export function overlaps(a: IpInterval, b: IpInterval): boolean {
  return a.family === b.family && a.first <= b.last && b.first <= a.last;
}

export function intervalInside(inner: IpInterval, outer: IpInterval): boolean {
  return inner.family === outer.family && inner.first >= outer.first && inner.last <= outer.last;
}
