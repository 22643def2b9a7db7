/**
 * The flow model: one OpenFlow flow as typed data (table, priority, purpose, match fields, actions).
 * Pure data, no OVS: builders produce it, `render.ts` turns it into ovs-ofctl (OpenFlow 1.3) text and
 * `cookie.ts` stamps each flow with a cookie of its own.
 */

/** An Ethernet type shorthand as ovs-ofctl spells it; the transport ones imply the IP version. */
export type Protocol = "ip" | "ipv6" | "arp" | "tcp" | "tcp6" | "udp" | "udp6" | "icmp" | "icmp6";

/** A value with an optional bit mask (rendered `value/mask`). */
export interface Masked {
  value: number;
  mask?: number;
}

/**
 * Match fields. Absent means wildcard. Registers are keyed by index (reg0..reg15), values 32-bit.
 * Addresses are strings in ovs-ofctl syntax: MAC `aa:bb:..`, IPv4/IPv6 address or CIDR.
 */
export interface Match {
  protocol?: Protocol;
  inPort?: number;
  /** Only frames without an 802.1Q header (`vlan_tci=0x0000/0x1000`). */
  untagged?: true;
  regs?: Readonly<Record<number, number>>;
  /** Conntrack state flags, e.g. "+est+trk". */
  ctState?: string;
  conjId?: number;
  ethSrc?: string;
  ethDst?: string;
  ipv4Src?: string;
  ipv4Dst?: string;
  ipv6Src?: string;
  ipv6Dst?: string;
  arpOp?: number;
  arpSpa?: string;
  arpTpa?: string;
  arpSha?: string;
  /** TCP/UDP destination port (protocol must be tcp/udp/tcp6/udp6). */
  tpDst?: Masked;
  /** ICMP or ICMPv6 type (protocol icmp / icmp6). */
  icmpType?: number;
  ndTarget?: string;
  ndSll?: string;
}

/** A field name as ovs-ofctl accepts it in set_field / move, e.g. "eth_src", "reg0", "nd_tll". */
export type FieldName = string;

export type Action =
  | { kind: "goto"; table: number }
  | { kind: "drop" }
  | { kind: "output"; port: number }
  /** Output to the port number held in a register (whole 32 bits). */
  | { kind: "outputReg"; reg: number }
  /** Send back out of the port it came in on (`in_port` action). */
  | { kind: "inPort" }
  | { kind: "setField"; field: FieldName; value: string | number }
  | { kind: "move"; from: FieldName; to: FieldName }
  | { kind: "decTtl" }
  /** Conntrack. zoneReg: the zone is the low 16 bits of that register. */
  | { kind: "ct"; commit?: boolean; zoneReg: number; table?: number }
  | { kind: "conjunction"; id: number; clause: number; clauses: number };

/** One flow as the pipeline wants it. `purpose` goes into the cookie (see cookie.ts). */
export interface Flow {
  table: number;
  priority: number;
  purpose: number;
  match: Match;
  actions: readonly Action[];
}

export const OFP_MAX_PRIORITY = 65535;
