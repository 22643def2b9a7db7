/**
 * Neighbor + NdReply: ARP and IPv6 neighbor discovery are answered by flows, for the subnets'
 * virtual gateways and for every known endpoint of the sender's network. Nothing is flooded: any
 * other ARP, ND or MLD message drops. (DAD probes never get here: SpoofGuard drops source ::.)
 *
 * An ARP request is turned into its reply in place. A neighbor solicitation becomes an
 * advertisement in two steps because OpenFlow checks a set_field's prerequisites against the
 * match: `Neighbor` rewrites type, flags, option type and addresses, then `NdReply` (whose flow
 * matches type 136) can write the target link-layer address, which it copies from eth_src.
 */
import type { Action, Flow } from "../../../ovs/openflow/flow.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { DROP, flow, goto, regs } from "./build.js";

const ARP_REQUEST = 1;
const ARP_REPLY = 2;
const ND_SOLICIT = 135;
const ND_ADVERT = 136;
/** Neighbor advertisement flags: Router, Solicited, Override. */
const NA_ROUTER_SOLICITED_OVERRIDE = "0xe0000000";
const NA_SOLICITED_OVERRIDE = "0x60000000";
const ND_OPT_TARGET_LINKADDR = 2;
/** ICMPv6 types that never leave a container through us: RS, RA, NS, NA, redirect, MLD. */
const DROPPED_ICMPV6 = [130, 131, 132, 133, 134, 135, 136, 137, 143];

/** Answers "who has `ip`" asked from network `networkId` with `mac`. */
export function arpReplyFlow(networkId: number, ip: string, mac: string): Flow {
  const actions: Action[] = [
    { kind: "move", from: "eth_src", to: "eth_dst" },
    { kind: "setField", field: "eth_src", value: mac },
    { kind: "setField", field: "arp_op", value: ARP_REPLY },
    { kind: "move", from: "arp_sha", to: "arp_tha" },
    { kind: "setField", field: "arp_sha", value: mac },
    { kind: "move", from: "arp_spa", to: "arp_tpa" },
    { kind: "setField", field: "arp_spa", value: ip },
    { kind: "inPort" },
  ];
  return flow("Neighbor", PRIORITY.specific, PURPOSE.arpReply, { protocol: "arp", regs: regs({ srcNetwork: networkId }), arpOp: ARP_REQUEST, arpTpa: ip }, actions);
}

/** Answers a neighbor solicitation for `ip` from network `networkId` with `mac` (router flag for gateways). */
export function ndReplyFlow(networkId: number, ip: string, mac: string, router: boolean): Flow {
  const actions: Action[] = [
    { kind: "setField", field: "icmpv6_type", value: ND_ADVERT },
    { kind: "setField", field: "icmpv6_code", value: 0 },
    { kind: "setField", field: "nd_reserved", value: router ? NA_ROUTER_SOLICITED_OVERRIDE : NA_SOLICITED_OVERRIDE },
    { kind: "setField", field: "nd_options_type", value: ND_OPT_TARGET_LINKADDR },
    { kind: "move", from: "eth_src", to: "eth_dst" },
    { kind: "setField", field: "eth_src", value: mac },
    { kind: "move", from: "ipv6_src", to: "ipv6_dst" },
    { kind: "setField", field: "ipv6_src", value: ip },
    goto("NdReply"),
  ];
  return flow("Neighbor", PRIORITY.specific, PURPOSE.ndReply, { protocol: "icmp6", regs: regs({ srcNetwork: networkId }), icmpType: ND_SOLICIT, ndTarget: ip }, actions);
}

/** NdReply: the advertisement's target link-layer address is the MAC it now comes from. */
export function ndCompleteFlow(): Flow {
  return flow("NdReply", PRIORITY.normal, PURPOSE.ndComplete, { protocol: "icmp6", icmpType: ND_ADVERT }, [
    { kind: "move", from: "eth_src", to: "nd_tll" },
    { kind: "inPort" },
  ]);
}

/** Unanswered ARP / ND / MLD drop instead of passing on to Destination (the table's miss). */
export function neighborDropFlows(): Flow[] {
  return [
    flow("Neighbor", PRIORITY.genericDrop, PURPOSE.neighborDrop, { protocol: "arp" }, DROP),
    ...DROPPED_ICMPV6.map((type) => flow("Neighbor", PRIORITY.genericDrop, PURPOSE.neighborDrop, { protocol: "icmp6", icmpType: type }, DROP)),
  ];
}
