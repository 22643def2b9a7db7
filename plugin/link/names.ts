/**
 * Deterministic names and MAC addresses for one attachment (container id + ifname). Determinism
 * lets DEL, CHECK and GC find the host end without any saved state; 48 bits of hash keep two
 * attachments from colliding in practice, and ADD refuses a name that already exists.
 */
import { CniCode, CniError } from "../cni/errors.js";
import { hashBytes, hashHex } from "../hash.js";

const HOST_PREFIX = "osd";

function digest(kind: string, containerId: string, ifname: string): Uint8Array {
  return hashBytes(`${kind}\0${containerId}\0${ifname}`, 6);
}

/** Host-side veth name: "osd" + 12 hex digits = 15 characters, the kernel's limit. */
export function hostIfName(containerId: string, ifname: string): string {
  return HOST_PREFIX + hashHex(`veth\0${containerId}\0${ifname}`, 6);
}

function formatMac(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** Stable container MAC: locally administered, unicast. */
export function containerMac(containerId: string, ifname: string): string {
  const bytes = digest("mac", containerId, ifname);
  bytes[0] = ((bytes[0] ?? 0) & 0xfc) | 0x02;
  return formatMac(bytes);
}

/**
 * Host-end MAC: starts with fe so that it never becomes the lowest MAC on the bridge (OVS, like
 * the Linux bridge, may take the lowest port MAC as its own).
 */
export function hostMac(containerId: string, ifname: string): string {
  const bytes = digest("host-mac", containerId, ifname);
  bytes[0] = 0xfe;
  return formatMac(bytes);
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** Lower-case MAC; code 7 if malformed, multicast or all zero (the kernel refuses those). */
export function normalizeMac(mac: string, source: string): string {
  if (!MAC.test(mac)) throw new CniError(CniCode.InvalidConfig, `${source}: not a MAC address`, mac.slice(0, 64));
  const lower = mac.toLowerCase();
  const first = Number.parseInt(lower.slice(0, 2), 16);
  if ((first & 1) === 1 || lower === "00:00:00:00:00:00") throw new CniError(CniCode.InvalidConfig, `${source}: must be a unicast, non-zero MAC address`, lower);
  return lower;
}
