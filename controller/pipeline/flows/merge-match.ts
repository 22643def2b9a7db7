/**
 * Combines two matches into one that requires both, or undefined when no packet can satisfy both
 * (IPv4 with IPv6, tcp with udp, one register with two values). Used to expand small rules.
 */
import type { Match, Protocol } from "../../../ovs/openflow/flow.js";

const FAMILY: Record<Protocol, "ip" | "ipv6" | "arp"> = {
  ip: "ip", tcp: "ip", udp: "ip", icmp: "ip",
  ipv6: "ipv6", tcp6: "ipv6", udp6: "ipv6", icmp6: "ipv6",
  arp: "arp",
};

function mergeProtocol(a: Protocol | undefined, b: Protocol | undefined): Protocol | undefined | null {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  if (FAMILY[a] !== FAMILY[b]) return null;
  if (a === FAMILY[a]) return b; // "ip" + "tcp" = "tcp"
  if (b === FAMILY[b]) return a;
  return null; // tcp + udp
}

export function mergeMatches(a: Match, b: Match): Match | undefined {
  const protocol = mergeProtocol(a.protocol, b.protocol);
  if (protocol === null) return undefined;
  const merged: Match = { ...a, ...b };
  if (protocol === undefined) delete merged.protocol;
  else merged.protocol = protocol;
  if (a.regs || b.regs) {
    const combined: Record<number, number> = { ...a.regs };
    for (const [k, v] of Object.entries(b.regs ?? {})) {
      const index = Number(k);
      if (combined[index] !== undefined && combined[index] !== v) return undefined;
      combined[index] = v;
    }
    merged.regs = combined;
  }
  for (const key of Object.keys(b) as (keyof Match)[]) {
    if (key !== "protocol" && key !== "regs" && a[key] !== undefined && JSON.stringify(a[key]) !== JSON.stringify(b[key])) return undefined;
  }
  return merged;
}
