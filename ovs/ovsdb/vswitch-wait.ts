/**
 * Waiting for ovs-vswitchd, event-driven: a monitor_cond on Open_vSwitch.cur_cfg and on the one
 * Interface row, resolved when cur_cfg >= next_cfg and the interface has an ofport. No polling.
 * addAccessPortAndWait pipelines that monitor with the add transaction: both requests leave in
 * one write, so attach-and-wait costs one round trip plus vswitchd's own work.
 */
import type { OvsdbClient } from "./client.js";
import { OvsApplyError, OvsdbTimeoutError } from "./errors.js";
import type { Monitor, MonitorRequests } from "./monitor.js";
import { where } from "./ops.js";
import type { Replica } from "./replica.js";
import { InterfaceTable, OpenVSwitchTable, VSWITCH_DB } from "./rows.js";
import { addAccessPort, removePort, type AccessPortSpec, type AddedPort, type DeletePortSpec } from "./vswitch-ports.js";

export interface WaitAppliedSpec {
  /** From addAccessPort / ensureBridge: wait until Open_vSwitch.cur_cfg reaches it. */
  nextCfg: number;
  /** Also wait until this interface has a valid ofport (reporting ofport -1 / Interface.error). */
  interfaceName?: string;
  timeoutMs: number;
}

export interface Applied {
  curCfg: number;
  /** The interface's OpenFlow port number (when interfaceName was given). */
  ofport: number | undefined;
}

export async function waitApplied(client: OvsdbClient, spec: WaitAppliedSpec): Promise<Applied> {
  const deadline = Date.now() + spec.timeoutMs;
  const monitor = await client.monitor(VSWITCH_DB, applyMonitorRequests(spec.interfaceName), { timeoutMs: spec.timeoutMs });
  return waitOnMonitor(monitor, spec, deadline);
}

export interface AddedAndApplied extends AddedPort {
  ofport: number;
}

/** addAccessPort + waitApplied with the monitor set up in the same round trip as the transaction. */
export async function addAccessPortAndWait(client: OvsdbClient, spec: AccessPortSpec & { timeoutMs: number }): Promise<AddedAndApplied> {
  const deadline = Date.now() + spec.timeoutMs;
  const monitoring = client.monitor(VSWITCH_DB, applyMonitorRequests(spec.portName), { timeoutMs: spec.timeoutMs });
  const adding = addAccessPort(client, spec);
  const [monitor, added] = await Promise.allSettled([monitoring, adding]);
  if (added.status === "rejected") {
    if (monitor.status === "fulfilled") void monitor.value.cancel();
    throw added.reason;
  }
  if (monitor.status === "rejected") throw monitor.reason;
  const waitSpec = { nextCfg: added.value.nextCfg, interfaceName: spec.portName, timeoutMs: spec.timeoutMs };
  const { ofport } = await waitOnMonitor(monitor.value, waitSpec, deadline);
  return { ...added.value, ofport: ofport as number };
}

/**
 * deletePort, then wait until vswitchd has applied the removal (cur_cfg). The monitor is set up
 * alongside the first lookup, so this costs deletePort's two round trips plus vswitchd's work.
 */
export async function deletePortAndWait(client: OvsdbClient, spec: DeletePortSpec & { timeoutMs: number }): Promise<boolean> {
  const deadline = Date.now() + spec.timeoutMs;
  const monitoring = client.monitor(VSWITCH_DB, applyMonitorRequests(), { timeoutMs: spec.timeoutMs });
  const removing = removePort(client, spec, true);
  const [monitor, removed] = await Promise.allSettled([monitoring, removing]);
  const settledMonitor = monitor.status === "fulfilled" ? monitor.value : undefined;
  if (removed.status === "rejected" || removed.value.nextCfg === undefined) {
    void settledMonitor?.cancel();
    if (removed.status === "rejected") throw removed.reason;
    return false;
  }
  if (!settledMonitor) throw (monitor as PromiseRejectedResult).reason;
  await waitOnMonitor(settledMonitor, { nextCfg: removed.value.nextCfg, timeoutMs: spec.timeoutMs }, deadline);
  return true;
}

/** What to replicate to see vswitchd apply a change (and, optionally, one interface's ofport). */
export function applyMonitorRequests(interfaceName?: string): MonitorRequests {
  const requests: MonitorRequests = { Open_vSwitch: { columns: ["cur_cfg"] } };
  if (interfaceName !== undefined) {
    requests.Interface = { columns: ["name", "ofport", "error"], where: [where.eq("name", interfaceName)] };
  }
  return requests;
}

/** The wait condition on a replica: undefined = not yet; throws OvsApplyError on a failed interface. */
export function appliedState(replica: Replica, spec: Omit<WaitAppliedSpec, "timeoutMs">): Applied | undefined {
  const curCfg = replica.rows(OpenVSwitchTable)[0]?.curCfg;
  if (curCfg === undefined || curCfg < spec.nextCfg) return undefined;
  if (spec.interfaceName === undefined) return { curCfg, ofport: undefined };
  const iface = replica.find(InterfaceTable, (i) => i.name === spec.interfaceName);
  if (!iface) throw new OvsApplyError(`interface "${spec.interfaceName}" does not exist (deleted while waiting?)`);
  if (iface.error) {
    throw new OvsApplyError(`interface "${spec.interfaceName}" failed: ${iface.error}`, iface.error, iface.ofport);
  }
  if (iface.ofport === -1) {
    throw new OvsApplyError(`interface "${spec.interfaceName}" could not be added to OpenFlow (ofport -1)`, undefined, -1);
  }
  return iface.ofport !== undefined && iface.ofport > 0 ? { curCfg, ofport: iface.ofport } : undefined;
}

async function waitOnMonitor(monitor: Monitor, spec: WaitAppliedSpec, deadline: number): Promise<Applied> {
  try {
    return await monitor.waitFor((replica) => appliedState(replica, spec), Math.max(1, deadline - Date.now()));
  } catch (err) {
    if (!(err instanceof OvsdbTimeoutError)) throw err;
    throw new OvsApplyError(timeoutMessage(monitor.replica, spec));
  } finally {
    // Not awaited: the caller usually closes the connection next; cancel is best effort.
    void monitor.cancel();
  }
}

function timeoutMessage(replica: Replica, spec: WaitAppliedSpec): string {
  const curCfg = replica.rows(OpenVSwitchTable)[0]?.curCfg;
  if (curCfg === undefined || curCfg < spec.nextCfg) {
    return `ovs-vswitchd did not apply configuration ${spec.nextCfg} within ${spec.timeoutMs} ms (cur_cfg ${curCfg ?? "unknown"}): is ovs-vswitchd running?`;
  }
  return `interface "${spec.interfaceName}" got no ofport within ${spec.timeoutMs} ms`;
}
