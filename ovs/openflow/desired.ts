/**
 * Turns the pipeline's flows into desired flows: rendered once, stamped with their cookie, checked
 * for duplicates. Two flows with the same table, priority and match but different actions would
 * overwrite each other in OVS: that is a bug in whoever built them, so it throws.
 *
 * Two steps so callers can cache the expensive one: `cookFlow` (render + hash, per flow, pure) and
 * `finalizeFlows` (the whole set: duplicates dropped, conflicts refused, cookie collisions salted).
 */
import type { Flow } from "./flow.js";
import { cookieOf, formatCookie } from "./cookie.js";
import { renderFlow } from "./render.js";
import { OpenFlowError } from "./errors.js";

/** What the diff needs to know of a flow, desired or installed. */
export interface FlowKey {
  cookie: bigint;
  table: number;
  priority: number;
}

export interface DesiredFlow extends FlowKey {
  purpose: number;
  /** `table=..,priority=..,match actions=..` without the cookie. */
  text: string;
}

/** The flow as an ovs-ofctl `add` line body, cookie included. */
export function flowModText(flow: DesiredFlow): string {
  return `cookie=${formatCookie(flow.cookie)},${flow.text}`;
}

export function cookFlow(flow: Flow): DesiredFlow {
  const text = renderFlow(flow);
  return { cookie: cookieOf(flow.purpose, text), table: flow.table, priority: flow.priority, purpose: flow.purpose, text };
}

export function finalizeFlows(flows: readonly DesiredFlow[]): DesiredFlow[] {
  const byCookie = new Map<bigint, DesiredFlow>();
  const actionsByIdentity = new Map<string, string>();
  const out: DesiredFlow[] = [];
  for (const flow of flows) {
    const same = byCookie.get(flow.cookie);
    if (same && same.text === flow.text) continue; // the same flow twice (e.g. two rules naming one CIDR)
    const cut = flow.text.indexOf(" actions=");
    const identity = flow.text.slice(0, cut);
    const actions = flow.text.slice(cut + 9);
    const earlier = actionsByIdentity.get(identity);
    if (earlier === actions) continue; // a duplicate whose cookie was salted away from a collision
    if (earlier !== undefined) throw new OpenFlowError("two flows share table, priority and match but differ in actions", `${identity} actions: ${earlier} | ${actions}`);
    actionsByIdentity.set(identity, actions);
    let unique = flow;
    for (let salt = 1; byCookie.has(unique.cookie); salt++) unique = { ...flow, cookie: cookieOf(flow.purpose, flow.text, salt) };
    byCookie.set(unique.cookie, unique);
    out.push(unique);
  }
  return out;
}

export function cookFlows(flows: readonly Flow[]): DesiredFlow[] {
  return finalizeFlows(flows.map(cookFlow));
}
