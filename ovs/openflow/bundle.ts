/**
 * A diff as one ovs-ofctl bundle file (`ovs-ofctl --bundle add-flows BRIDGE -`): deletions by exact
 * cookie first, then additions. OVS commits the whole file as one transaction or rejects it whole,
 * so a packet sees either the old flows or the new ones, never a mixture and never an empty table.
 */
import { formatCookie } from "./cookie.js";
import { flowModText } from "./desired.js";
import type { FlowDiff } from "./diff.js";

export function renderBundle(diff: FlowDiff): string {
  const lines: string[] = [];
  for (const ref of diff.remove) lines.push(`delete table=${ref.table},cookie=${formatCookie(ref.cookie)}/-1`);
  for (const flow of diff.add) lines.push(`add ${flowModText(flow)}`);
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
