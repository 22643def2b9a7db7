/**
 * Renders the flow model as ovs-ofctl flow text (OpenFlow 1.3 syntax). Field order is fixed so that
 * one flow always renders to the same string: the string is what the cookie hash covers.
 */
import type { Action, Flow, Masked, Match } from "./flow.js";
import { OFP_MAX_PRIORITY } from "./flow.js";
import { OpenFlowError } from "./errors.js";

const MAX_TABLE = 253;
const MAX_REG = 15;
const UINT32_MAX = 0xffff_ffff;

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

function uint32(n: number, what: string): number {
  if (!Number.isInteger(n) || n < 0 || n > UINT32_MAX) throw new OpenFlowError(`${what} must be a 32-bit unsigned integer`, String(n));
  return n;
}

function masked(m: Masked, what: string): string {
  uint32(m.value, what);
  if (m.mask === undefined) return String(m.value);
  return `${hex(m.value)}/${hex(uint32(m.mask, `${what} mask`))}`;
}

function reg(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > MAX_REG) throw new OpenFlowError("register index out of range", String(index));
  return `reg${index}`;
}

/** Match fields in canonical order: protocol first (it is a prerequisite of most others). */
export function renderMatch(m: Match): string {
  const parts: string[] = [];
  if (m.protocol) parts.push(m.protocol);
  if (m.inPort !== undefined) parts.push(`in_port=${uint32(m.inPort, "in_port")}`);
  if (m.untagged) parts.push("vlan_tci=0x0000/0x1000");
  // Integer keys of an object iterate in ascending numeric order: reg0 before reg2, no sort needed.
  for (const index in m.regs) {
    const name = reg(Number(index));
    parts.push(`${name}=${uint32(m.regs[Number(index)] as number, name)}`);
  }
  if (m.ctState) parts.push(`ct_state=${m.ctState}`);
  if (m.conjId !== undefined) parts.push(`conj_id=${uint32(m.conjId, "conj_id")}`);
  if (m.ethSrc) parts.push(`dl_src=${m.ethSrc}`);
  if (m.ethDst) parts.push(`dl_dst=${m.ethDst}`);
  if (m.ipv4Src) parts.push(`nw_src=${m.ipv4Src}`);
  if (m.ipv4Dst) parts.push(`nw_dst=${m.ipv4Dst}`);
  if (m.ipv6Src) parts.push(`ipv6_src=${m.ipv6Src}`);
  if (m.ipv6Dst) parts.push(`ipv6_dst=${m.ipv6Dst}`);
  if (m.arpOp !== undefined) parts.push(`arp_op=${m.arpOp}`);
  if (m.arpSpa) parts.push(`arp_spa=${m.arpSpa}`);
  if (m.arpTpa) parts.push(`arp_tpa=${m.arpTpa}`);
  if (m.arpSha) parts.push(`arp_sha=${m.arpSha}`);
  if (m.tpDst) parts.push(`tp_dst=${masked(m.tpDst, "tp_dst")}`);
  if (m.icmpType !== undefined) parts.push(`icmp_type=${m.icmpType}`);
  if (m.ndTarget) parts.push(`nd_target=${m.ndTarget}`);
  if (m.ndSll) parts.push(`nd_sll=${m.ndSll}`);
  return parts.join(",");
}

function renderAction(a: Action): string {
  switch (a.kind) {
    case "goto":
      return `goto_table:${table(a.table)}`;
    case "drop":
      return "drop";
    case "output":
      return `output:${uint32(a.port, "output port")}`;
    case "outputReg":
      return `output:${reg(a.reg)}[]`;
    case "inPort":
      return "in_port";
    case "setField":
      return `set_field:${a.value}->${a.field}`;
    case "move":
      return `move:${a.from}[]->${a.to}[]`;
    case "decTtl":
      return "dec_ttl";
    case "ct": {
      const args = [a.commit ? "commit" : undefined, a.table !== undefined ? `table=${table(a.table)}` : undefined, `zone=${reg(a.zoneReg)}[0..15]`];
      return `ct(${args.filter((s) => s !== undefined).join(",")})`;
    }
    case "conjunction":
      return `conjunction(${uint32(a.id, "conjunction id")},${a.clause}/${a.clauses})`;
  }
}

function table(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_TABLE) throw new OpenFlowError("table out of range", String(n));
  return n;
}

/** Actions in order; `goto_table` must come last (it is an instruction, not an action). */
export function renderActions(actions: readonly Action[]): string {
  if (actions.length === 0) return "drop";
  const gotoAt = actions.findIndex((a) => a.kind === "goto");
  if (gotoAt !== -1 && gotoAt !== actions.length - 1) throw new OpenFlowError("goto_table must be the last action");
  if (actions.some((a) => a.kind === "drop") && actions.length > 1) throw new OpenFlowError("drop cannot be combined with other actions");
  return actions.map(renderAction).join(",");
}

/** `table=T,priority=P[,match] actions=...`: the flow's identity and content, without cookie. */
export function renderFlow(flow: Flow): string {
  if (!Number.isInteger(flow.priority) || flow.priority < 0 || flow.priority > OFP_MAX_PRIORITY) {
    throw new OpenFlowError("priority out of range", String(flow.priority));
  }
  const match = renderMatch(flow.match);
  const head = `table=${table(flow.table)},priority=${flow.priority}${match ? `,${match}` : ""}`;
  return `${head} actions=${renderActions(flow.actions)}`;
}
