/**
 * Attaching and detaching access ports. addAccessPort is the plugin's hot path: ONE transaction
 * (one round trip) that checks the bridge exists and the port name is free, inserts Interface +
 * Port, adds the Port to Bridge.ports and bumps next_cfg so the caller can wait for vswitchd.
 */
import type { OvsdbClient } from "./client.js";
import { OvsdbConflictError, OvsdbOperationError } from "./errors.js";
import { affectedCount, insertedUuid, mutation, op, selectedRows, where, type Operation } from "./ops.js";
import { VSWITCH_DB } from "./rows.js";
import { asStringMap, asUuids, namedUuid, uuid } from "./values.js";
import { includesAll, nextCfgOps, readNextCfg } from "./vswitch-common.js";

export interface AccessPortSpec {
  bridge: string;
  /** Port and Interface name: the host-side device (e.g. the veth host end). */
  portName: string;
  /** Access VLAN (0-4095). */
  tag?: number;
  /** VLANs a trunk port carries. */
  trunks?: number[];
  portExternalIds?: Record<string, string>;
  interfaceExternalIds?: Record<string, string>;
  /** "" (a system device, the default), "internal", "vxlan", ... */
  interfaceType?: string;
  options?: Record<string, string>;
  mtuRequest?: number;
}

export interface AddedPort {
  portUuid: string;
  interfaceUuid: string;
  /** Pass to waitApplied(): vswitchd has applied this port once cur_cfg >= nextCfg. */
  nextCfg: number;
}

/** The operations of addAccessPort (exported for tests: they are the wire contract). */
export function accessPortOps(spec: AccessPortSpec): Operation[] {
  const bridge = [where.eq("name", spec.bridge)];
  return [
    op.wait("Bridge", { where: bridge, columns: ["name"], until: "==", rows: [{ name: spec.bridge }] }),
    op.wait("Port", { where: [where.eq("name", spec.portName)], columns: ["name"], until: "==", rows: [] }),
    op.insert(
      "Interface",
      {
        name: spec.portName,
        type: spec.interfaceType,
        options: spec.options,
        external_ids: spec.interfaceExternalIds,
        mtu_request: spec.mtuRequest === undefined ? undefined : [spec.mtuRequest],
      },
      "iface",
    ),
    op.insert(
      "Port",
      {
        name: spec.portName,
        interfaces: [namedUuid("iface")],
        tag: spec.tag === undefined ? undefined : [spec.tag],
        trunks: spec.trunks,
        external_ids: spec.portExternalIds,
      },
      "port",
    ),
    op.mutate("Bridge", bridge, [mutation("ports", "insert", [namedUuid("port")])]),
    ...nextCfgOps(),
  ];
}

export async function addAccessPort(client: OvsdbClient, spec: AccessPortSpec): Promise<AddedPort> {
  const ops = accessPortOps(spec);
  const results = await client.transact(VSWITCH_DB, ops, {
    hints: { 0: `bridge "${spec.bridge}" does not exist`, 1: `port "${spec.portName}" already exists` },
  });
  return {
    interfaceUuid: insertedUuid(results[2]),
    portUuid: insertedUuid(results[3]),
    nextCfg: readNextCfg(results, ops.length - 1),
  };
}

export interface DeletePortSpec {
  bridge: string;
  portName: string;
  /** Delete only if the Port's external_ids hold these pairs; otherwise throw OvsdbConflictError. */
  requireExternalIds?: Record<string, string>;
}

/**
 * Removes a port from its bridge (OVSDB then garbage-collects the Port and its Interfaces).
 * Returns false when no such port exists. Two round trips: find the uuid, then remove it.
 */
export async function deletePort(client: OvsdbClient, spec: DeletePortSpec): Promise<boolean> {
  return (await removePort(client, spec, false)).deleted;
}

/** deletePort's work; with bumpNextCfg the removal also increments next_cfg (for waiting on vswitchd). */
export async function removePort(client: OvsdbClient, spec: DeletePortSpec, bumpNextCfg: boolean): Promise<{ deleted: boolean; nextCfg?: number }> {
  const found = await findPortRow(client, spec.portName);
  if (!found) return { deleted: false };
  const required = spec.requireExternalIds;
  if (required && !includesAll(found.externalIds, required)) {
    throw new OvsdbConflictError(
      `port "${spec.portName}" is not ours: its external_ids do not match, refusing to delete it`,
      JSON.stringify({ have: found.externalIds, required }),
    );
  }
  const ops: Operation[] = [];
  if (required) {
    // Still the same port, still ours: guards against a replacement between our two round trips.
    const same = [where.eq("_uuid", uuid(found.uuid)), where.includes("external_ids", required)];
    ops.push(op.wait("Port", { where: same, columns: ["name"], until: "==", rows: [{ name: spec.portName }] }));
  }
  const onBridge = [where.eq("name", spec.bridge), where.includes("ports", [uuid(found.uuid)])];
  ops.push(op.mutate("Bridge", onBridge, [mutation("ports", "delete", [uuid(found.uuid)])]));
  const mutateIndex = ops.length - 1;
  if (bumpNextCfg) ops.push(...nextCfgOps());
  let results;
  try {
    results = await client.transact(VSWITCH_DB, ops, { hints: { 0: `port "${spec.portName}" changed while deleting it` } });
  } catch (err) {
    const gone = err instanceof OvsdbOperationError && required && err.index === 0 && !(await findPortRow(client, spec.portName));
    if (gone) return { deleted: false };
    throw err;
  }
  if (affectedCount(results[mutateIndex]) === 0) {
    throw new OvsdbConflictError(`port "${spec.portName}" is not on bridge "${spec.bridge}"`);
  }
  return bumpNextCfg ? { deleted: true, nextCfg: readNextCfg(results, ops.length - 1) } : { deleted: true };
}

async function findPortRow(client: OvsdbClient, name: string): Promise<{ uuid: string; externalIds: Record<string, string> } | undefined> {
  const [result] = await client.transact(VSWITCH_DB, [op.select("Port", [where.eq("name", name)], ["_uuid", "external_ids"])]);
  const row = selectedRows(result)[0];
  const id = asUuids(row?._uuid)[0];
  return row && id ? { uuid: id, externalIds: asStringMap(row.external_ids) } : undefined;
}
