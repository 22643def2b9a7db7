/**
 * Container MTUs per transport. The userspace datapath sends no "fragmentation needed" for a packet
 * that does not fit the underlay after encapsulation: it silently drops it. So the container's MTU
 * must leave room for the encapsulation, and the plugin must be given that MTU.
 */
import type { TransportInput } from "./input.js";

export type TunnelType = "vxlan" | "geneve";

export interface Underlay {
  /** MTU of the underlay interface (br-phy's internal port), usually 1500. */
  mtu: number;
  tunnelType: TunnelType;
  /** IP version of the underlay addresses (default 4). */
  family?: 4 | 6;
}

const OUTER_IP: Record<4 | 6, number> = { 4: 20, 6: 40 };
const UDP = 8;
/** VXLAN header; the Geneve base header is the same size, and ovs-sdn sends no Geneve options. */
const TUNNEL_HEADER: Record<TunnelType, number> = { vxlan: 8, geneve: 8 };
const INNER_ETHERNET = 14;

/** Bytes encapsulation adds around a container's IP packet: outer IP + UDP + tunnel header + inner Ethernet. */
export function encapsulationOverhead(tunnelType: TunnelType, family: 4 | 6 = 4): number {
  return OUTER_IP[family] + UDP + TUNNEL_HEADER[tunnelType] + INNER_ETHERNET;
}

/**
 * The largest container MTU the transport carries over this underlay: underlay MTU minus the
 * encapsulation for an overlay (1450 for VXLAN or Geneve over 1500 with IPv4); the underlay MTU
 * itself for a VLAN provider network (the 802.1Q tag is not part of the MTU; the physical network
 * must carry 1504-byte frames, as 802.1Q networks do); unlimited for a host-only network.
 */
export function transportMtuLimit(transport: TransportInput | undefined, underlay: Underlay): number {
  if (!transport) return Number.POSITIVE_INFINITY;
  if (transport.type === "vlan-provider") return underlay.mtu;
  return underlay.mtu - encapsulationOverhead(underlay.tunnelType, underlay.family ?? 4);
}

/** The MTU to give a container of this network: what the network asks for, capped by its transport. */
export function attachmentMtu(requested: number, transport: TransportInput | undefined, underlay: Underlay): number {
  return Math.min(requested, transportMtuLimit(transport, underlay));
}
