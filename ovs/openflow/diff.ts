/**
 * Desired versus installed, by cookie (see cookie.ts): a desired flow whose cookie is installed
 * once, in the same table at the same priority, is unchanged; every other flow of ours is removed
 * by cookie and every missing desired flow is added. Flows without our cookie marker are ignored.
 */
import { isOurCookie } from "./cookie.js";
import type { DesiredFlow, FlowKey } from "./desired.js";

export interface FlowRef {
  cookie: bigint;
  table: number;
}

export interface FlowDiff {
  add: DesiredFlow[];
  remove: FlowRef[];
  unchanged: number;
}

export function isEmptyDiff(diff: FlowDiff): boolean {
  return diff.add.length === 0 && diff.remove.length === 0;
}

export function diffFlows(desired: readonly DesiredFlow[], installed: readonly FlowKey[]): FlowDiff {
  const installedByCookie = new Map<bigint, FlowKey[]>();
  for (const flow of installed) {
    if (!isOurCookie(flow.cookie)) continue;
    const list = installedByCookie.get(flow.cookie);
    if (list) list.push(flow);
    else installedByCookie.set(flow.cookie, [flow]);
  }
  const add: DesiredFlow[] = [];
  const remove = new Map<string, FlowRef>();
  const wanted = new Set<bigint>();
  let unchanged = 0;
  for (const flow of desired) {
    wanted.add(flow.cookie);
    const present = installedByCookie.get(flow.cookie) ?? [];
    const only = present.length === 1 ? present[0] : undefined;
    if (only && only.table === flow.table && only.priority === flow.priority) {
      unchanged++;
      continue;
    }
    // Absent, duplicated or (hash collision) a different flow: clear the cookie, then add.
    for (const stale of present) remove.set(`${stale.table}/${stale.cookie}`, { cookie: stale.cookie, table: stale.table });
    add.push(flow);
  }
  for (const [cookie, flows] of installedByCookie) {
    if (wanted.has(cookie)) continue;
    for (const stale of flows) remove.set(`${stale.table}/${stale.cookie}`, { cookie: stale.cookie, table: stale.table });
  }
  return {
    add: add.sort(byTableThenPriority),
    remove: [...remove.values()].sort((a, b) => a.table - b.table || (a.cookie < b.cookie ? -1 : a.cookie > b.cookie ? 1 : 0)),
    unchanged,
  };
}

function byTableThenPriority(a: DesiredFlow, b: DesiredFlow): number {
  return a.table - b.table || b.priority - a.priority || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0);
}
