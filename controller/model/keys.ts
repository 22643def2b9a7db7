/**
 * Store key layout of the network model. One place, so every backend and tool agrees:
 *   definitions/<plural kind>/<name>            a Network, Subnet or IsolationPolicy document
 *   definitions-txn                             the last definitions transaction (see definitions-txn.ts)
 *   leases/<network>/<subnet>/<ip>              one leased address (canonical text)
 *   attachments/<containerId>/<ifname>          which leases a container interface holds
 */
import type { Kind } from "./types.js";

export const DEFINITIONS_PREFIX = "definitions/";
/** Prefix covering both the documents and the transaction record: what a watcher follows. */
export const DEFINITIONS_WATCH_PREFIX = "definitions";
export const DEFINITIONS_TXN_KEY = "definitions-txn";

const plural: Record<Kind, string> = { Network: "networks", Subnet: "subnets", IsolationPolicy: "isolationpolicies" };

export function definitionPrefix(kind: Kind): string {
  return `${DEFINITIONS_PREFIX}${plural[kind]}/`;
}

export function definitionKey(kind: Kind, name: string): string {
  return `${definitionPrefix(kind)}${name}`;
}

export const LEASES_PREFIX = "leases/";
export const ATTACHMENTS_PREFIX = "attachments/";

export function subnetLeasePrefix(network: string, subnet: string): string {
  return `${LEASES_PREFIX}${network}/${subnet}/`;
}

export function leaseKey(network: string, subnet: string, canonicalIp: string): string {
  return `${subnetLeasePrefix(network, subnet)}${canonicalIp}`;
}

export function attachmentKey(containerId: string, ifname: string): string {
  return `${ATTACHMENTS_PREFIX}${containerId}/${ifname}`;
}
