/**
 * Address arithmetic for the compiler: IPv4/IPv6 parsing to bigint, canonical text (RFC 5952 for
 * IPv6), CIDR containment, EUI-64 link-local addresses and gateway MACs. Returns undefined for
 * anything malformed; the caller reports it.
 */
import { isIPv4, isIPv6 } from "node:net";

export type Family = 4 | 6;

export interface Address {
  family: Family;
  value: bigint;
  /** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  text: string;
}

export interface Cidr {
  family: Family;
  /** Network address (host bits cleared). */
  base: bigint;
  prefix: number;
  /** Canonical "base/prefix". */
  text: string;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function ipv4Value(text: string): bigint {
  return text.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function ipv6Value(text: string): bigint {
  let groups: string[];
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  let head = text;
  if (tail.includes(".")) {
    const v4 = ipv4Value(tail);
    head = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [left = "", right] = head.split("::");
  const leftGroups = left === "" ? [] : left.split(":");
  if (right === undefined) groups = leftGroups;
  else {
    const rightGroups = right === "" ? [] : right.split(":");
    groups = [...leftGroups, ...Array<string>(8 - leftGroups.length - rightGroups.length).fill("0"), ...rightGroups];
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}

export function formatAddress(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on a tie.
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestAt, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestAt === -1) return hex.join(":");
  return `${hex.slice(0, bestAt).join(":")}::${hex.slice(bestAt + bestLen).join(":")}`;
}

// Every controller round resolves the same few thousand addresses again: each text is parsed once.
// Results are frozen (shared between callers); the cache is emptied when it reaches its bound.
const PARSED_MAX = 65_536;
const parsed = new Map<string, Address | undefined>();

/** Parses "10.1.0.5", "fd10::5", or the same with "/prefix" (the prefix is ignored). */
export function parseAddress(input: string): Address | undefined {
  if (parsed.has(input)) return parsed.get(input);
  const address = parseAddressText(input.split("/")[0] ?? "");
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(input, address);
  return address;
}

function parseAddressText(text: string): Address | undefined {
  if (isIPv4(text)) return Object.freeze({ family: 4, value: ipv4Value(text), text: formatAddress(4, ipv4Value(text)) });
  if (isIPv6(text) && !text.includes("%")) return Object.freeze({ family: 6, value: ipv6Value(text), text: formatAddress(6, ipv6Value(text)) });
  return undefined;
}

export function parseCidr(input: string): Cidr | undefined {
  const [addr, prefixText, extra] = input.split("/");
  if (addr === undefined || prefixText === undefined || extra !== undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const address = parseAddress(addr);
  const prefix = Number(prefixText);
  if (!address || prefix > BITS[address.family]) return undefined;
  const hostBits = BigInt(BITS[address.family] - prefix);
  const base = (address.value >> hostBits) << hostBits;
  return { family: address.family, base, prefix, text: `${formatAddress(address.family, base)}/${prefix}` };
}

export function cidrContains(cidr: Cidr, address: Address): boolean {
  if (cidr.family !== address.family) return false;
  const hostBits = BigInt(BITS[cidr.family] - cidr.prefix);
  return address.value >> hostBits === cidr.base >> hostBits;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const hostBits = BigInt(BITS[a.family] - Math.min(a.prefix, b.prefix));
  return a.base >> hostBits === b.base >> hostBits;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Lower-case unicast, non-zero MAC, or undefined. */
export function normalizeMac(mac: string): string | undefined {
  const lower = mac.toLowerCase();
  if (!MAC.test(lower) || lower === "00:00:00:00:00:00") return undefined;
  return (Number.parseInt(lower.slice(0, 2), 16) & 1) === 1 ? undefined : lower;
}

/** The EUI-64 link-local address Linux gives an interface with this MAC (addr_gen_mode eui64). */
export function linkLocalFromMac(mac: string): string {
  const b = mac.split(":").map((h) => Number.parseInt(h, 16));
  const eui = [(b[0] ?? 0) ^ 0x02, b[1], b[2], 0xff, 0xfe, b[3], b[4], b[5]].map((x) => BigInt(x ?? 0));
  const low = eui.reduce((acc, x) => (acc << 8n) | x, 0n);
  return formatAddress(6, (0xfe80n << 112n) | low);
}

/**
 * The virtual gateway MAC of a subnet: 0a:5d + the 32-bit subnet id. Locally administered and
 * unicast; stable because the id is, and distinct per subnet.
 */
export function gatewayMac(subnetId: number): string {
  const hex = subnetId.toString(16).padStart(8, "0");
  return `0a:5d:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
}
