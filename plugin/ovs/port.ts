/**
 * The plugin's OVSDB work: connect, look at the bridge, attach the host end in one transaction
 * (waiting until vswitchd gives it an ofport), detach only ports this attachment owns.
 */
import { addAccessPortAndWait, deletePort, OvsApplyError, getPort, op, OvsdbClient, OvsdbConflictError, selectedRows, VSWITCH_DB, where, asString, type PortInfo } from "../../ovs/ovsdb/index.js";
import { OWNER_VALUE, PortKey, toExternalIds, type PortIdentity } from "../../ovs/port-identity.js";

export async function openOvsdb(remote: string, timeoutMs: number): Promise<OvsdbClient> {
  return OvsdbClient.connect(remote, { timeoutMs, connectTimeoutMs: timeoutMs });
}

/** The bridge's datapath_type ("" = system), or undefined when there is no such bridge. */
export async function bridgeDatapath(client: OvsdbClient, bridge: string): Promise<string | undefined> {
  const [result] = await client.transact(VSWITCH_DB, [op.select("Bridge", [where.eq("name", bridge)], ["datapath_type"])]);
  const row = selectedRows(result)[0];
  return row ? (asString(row.datapath_type) ?? "") : undefined;
}

/** external_ids that say which attachment owns a port: what DEL and GC require before deleting. */
export function ownerIds(containerId: string, ifname: string): Record<string, string> {
  return { [PortKey.owner]: OWNER_VALUE, [PortKey.containerId]: containerId, [PortKey.ifname]: ifname };
}

export interface AttachSpec {
  bridge: string;
  portName: string;
  identity: PortIdentity;
  vlan: number | undefined;
  trunks: number[] | undefined;
  /** Interface.mtu_request: OVS sets the host end's MTU. */
  mtu: number | undefined;
  timeoutMs: number;
}

/**
 * One transaction (Interface + Port + Bridge.ports + next_cfg), then the wait for vswitchd. If the
 * wait times out on cur_cfg alone while the interface already has a valid ofport (vswitchd did add
 * it, its cur_cfg write lagged), the port is usable and counts as applied.
 */
export async function attachPort(client: OvsdbClient, spec: AttachSpec): Promise<number> {
  try {
    return await addAndWait(client, spec);
  } catch (err) {
    if (!(err instanceof OvsApplyError) || err.interfaceError !== undefined || err.ofport !== undefined) throw err;
    const port = await getPort(client, spec.portName).catch(() => undefined);
    if (port?.ofport !== undefined && port.ofport > 0 && !port.error) return port.ofport;
    throw err;
  }
}

async function addAndWait(client: OvsdbClient, spec: AttachSpec): Promise<number> {
  const ids = toExternalIds(spec.identity);
  const portIds = { ...ownerIds(spec.identity.containerId, spec.identity.ifname), [PortKey.mode]: spec.identity.mode, [PortKey.network]: spec.identity.network };
  const added = await addAccessPortAndWait(client, {
    bridge: spec.bridge,
    portName: spec.portName,
    tag: spec.vlan,
    trunks: spec.trunks,
    portExternalIds: portIds,
    interfaceExternalIds: ids,
    mtuRequest: spec.mtu,
    timeoutMs: spec.timeoutMs,
  });
  return added.ofport;
}

export type DetachOutcome = "deleted" | "absent" | "foreign";

/** Removes the port if this attachment owns it; a port owned by anyone else is left alone. */
export async function detachPort(client: OvsdbClient, bridge: string, portName: string, containerId: string, ifname: string): Promise<DetachOutcome> {
  try {
    const deleted = await deletePort(client, { bridge, portName, requireExternalIds: ownerIds(containerId, ifname) });
    return deleted ? "deleted" : "absent";
  } catch (err) {
    if (err instanceof OvsdbConflictError) return "foreign";
    throw err;
  }
}

export function readPort(client: OvsdbClient, name: string): Promise<PortInfo | undefined> {
  return getPort(client, name);
}
