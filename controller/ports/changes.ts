/** Which of the pipeline's ports changed between two OVSDB states, in words for the controller's log. */
import type { LocalPort } from "./watcher.js";

/** The ports the pipeline compiles (managed ones); standalone ports are the operator's. */
export function pipelinePorts(ports: readonly LocalPort[]): LocalPort[] {
  return ports.filter((p) => p.identity.mode === "managed");
}

/**
 * What changed among the pipeline's ports, for the reconcile round's log line:
 * "+osd… (container/ifname, network)" added, "~" changed (ofport, MAC, addresses), "-" removed; at
 * most `limit` of them named. Undefined when nothing the pipeline uses changed.
 */
export function describePortChanges(before: readonly LocalPort[], after: readonly LocalPort[], limit = 5): string | undefined {
  const shape = (p: LocalPort) => JSON.stringify([p.ofport, p.identity.network, p.identity.mac, p.identity.ips]);
  // The watcher keeps an unchanged port's object, so identity settles most ports without a shape.
  const changed = (was: LocalPort, is: LocalPort) => was !== is && shape(was) !== shape(is);
  const old = new Map(before.map((p) => [p.name, p]));
  const now = new Set(after.map((p) => p.name));
  const label = (p: LocalPort) => `${p.name} (${p.identity.containerId}/${p.identity.ifname}, ${p.identity.network || "no network"})`;
  const items = [
    ...after.filter((p) => !old.has(p.name)).map((p) => `+${label(p)}`),
    ...after.filter((p) => old.has(p.name) && changed(old.get(p.name)!, p)).map((p) => `~${label(p)}`),
    ...before.filter((p) => !now.has(p.name)).map((p) => `-${label(p)}`),
  ];
  if (items.length === 0) return undefined;
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
