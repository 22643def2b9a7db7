/**
 * Turns the pipeline's flows into desired flows: rendered once, stamped with their cookie, checked
 * for duplicates. Two flows with the same table, priority and match but different actions would
 * overwrite each other in OVS: that is a bug in whoever built them, so it throws.
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

export function cookFlows(flows: readonly Flow[]): DesiredFlow[] {
  const byText = new Set<string>();
  const actionsByIdentity = new Map<string, string>();
  const cookies = new Set<bigint>();
  const out: DesiredFlow[] = [];
  for (const flow of flows) {
    const text = renderFlow(flow);
    if (byText.has(text)) continue; // the same flow twice (e.g. two rules naming one CIDR)
    byText.add(text);
    const cut = text.indexOf(" actions=");
    const identity = text.slice(0, cut);
    const earlier = actionsByIdentity.get(identity);
    if (earlier !== undefined) {
      throw new OpenFlowError("two flows share table, priority and match but differ in actions", `${identity} actions: ${earlier} | ${text.slice(cut + 9)}`);
    }
    actionsByIdentity.set(identity, text.slice(cut + 9));
    let salt = 0;
    let cookie = cookieOf(flow.purpose, text);
    while (cookies.has(cookie)) cookie = cookieOf(flow.purpose, text, ++salt);
    cookies.add(cookie);
    out.push({ cookie, table: flow.table, priority: flow.priority, purpose: flow.purpose, text });
  }
  return out;
}
