/** One reconcile step: read what is installed, diff against the desired flows, apply the difference. */
import type { FlowApplier } from "./applier.js";
import type { DesiredFlow } from "./desired.js";
import { diffFlows, type FlowDiff } from "./diff.js";

export async function syncFlows(applier: FlowApplier, desired: readonly DesiredFlow[]): Promise<FlowDiff> {
  const diff = diffFlows(desired, await applier.dumpFlows());
  await applier.apply(diff);
  return diff;
}
