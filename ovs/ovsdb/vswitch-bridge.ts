/**
 * ensureBridge: create a bridge with its internal port, or bring an existing one's settings in
 * line; a no-op (one select) when it already matches.
 */
import type { OvsdbClient } from "./client.js";
import { OvsdbOperationError } from "./errors.js";
import { insertedUuid, mutation, op, selectedRows, where, type Operation } from "./ops.js";
import { BridgeTable, decodeSelected, VSWITCH_DB, type BridgeRow } from "./rows.js";
import { namedUuid, uuid, type Uuid } from "./values.js";
import { nextCfgOps, readNextCfg } from "./vswitch-common.js";

export interface BridgeSpec {
  name: string;
  /** "netdev" for the userspace datapath, "system" (or "") for the kernel one. */
  datapathType?: string;
  failMode?: "secure" | "standalone";
  /** OpenFlow versions, e.g. ["OpenFlow13", "OpenFlow15"]. */
  protocols?: string[];
  /** Keys set (others are left alone). */
  otherConfig?: Record<string, string>;
  externalIds?: Record<string, string>;
}

export interface EnsureBridgeResult {
  uuid: string;
  created: boolean;
  /** True when an existing bridge's settings were changed. */
  updated: boolean;
  /** next_cfg to pass to waitApplied(); undefined when nothing changed. */
  nextCfg: number | undefined;
}

const BRIDGE_COLUMNS = ["_uuid", "name", "datapath_type", "fail_mode", "protocols", "other_config", "external_ids"];

export async function ensureBridge(client: OvsdbClient, spec: BridgeSpec): Promise<EnsureBridgeResult> {
  for (let attempt = 0; ; attempt++) {
    const [selected] = await client.transact(VSWITCH_DB, [op.select("Bridge", [where.eq("name", spec.name)], BRIDGE_COLUMNS)]);
    const existing = selectedRows(selected)[0];
    if (existing) return updateBridge(client, decodeSelected(BridgeTable, existing), spec);
    try {
      return await createBridge(client, spec);
    } catch (err) {
      // Lost a race with a concurrent creator (our wait saw the bridge): read it again once.
      if (attempt === 0 && err instanceof OvsdbOperationError && err.index === 0) continue;
      throw err;
    }
  }
}

async function createBridge(client: OvsdbClient, spec: BridgeSpec): Promise<EnsureBridgeResult> {
  const ops: Operation[] = [
    op.wait("Bridge", { where: [where.eq("name", spec.name)], columns: ["name"], until: "==", rows: [] }),
    op.insert("Interface", { name: spec.name, type: "internal" }, "iface"),
    op.insert("Port", { name: spec.name, interfaces: [namedUuid("iface")] }, "port"),
    op.insert(
      "Bridge",
      {
        name: spec.name,
        ports: [namedUuid("port")],
        datapath_type: spec.datapathType,
        fail_mode: spec.failMode === undefined ? undefined : [spec.failMode],
        protocols: spec.protocols,
        other_config: spec.otherConfig,
        external_ids: spec.externalIds,
      },
      "bridge",
    ),
    op.mutate("Open_vSwitch", [], [mutation("bridges", "insert", [namedUuid("bridge")])]),
    ...nextCfgOps(),
  ];
  const results = await client.transact(VSWITCH_DB, ops, { hints: { 0: `bridge "${spec.name}" was created concurrently` } });
  return { uuid: insertedUuid(results[3]), created: true, updated: false, nextCfg: readNextCfg(results, ops.length - 1) };
}

async function updateBridge(client: OvsdbClient, bridge: BridgeRow, spec: BridgeSpec): Promise<EnsureBridgeResult> {
  const row: Record<string, string | string[]> = {};
  if (spec.datapathType !== undefined && spec.datapathType !== bridge.datapathType) row.datapath_type = spec.datapathType;
  if (spec.failMode !== undefined && spec.failMode !== bridge.failMode) row.fail_mode = [spec.failMode];
  if (spec.protocols !== undefined && !sameSet(spec.protocols, bridge.protocols)) row.protocols = spec.protocols;
  const ops: Operation[] = [];
  if (Object.keys(row).length > 0) ops.push(op.update("Bridge", [where.eq("_uuid", uuidOf(bridge))], row));
  ops.push(...mapChanges(bridge, "other_config", bridge.otherConfig, spec.otherConfig));
  ops.push(...mapChanges(bridge, "external_ids", bridge.externalIds, spec.externalIds));
  if (ops.length === 0) return { uuid: bridge.uuid, created: false, updated: false, nextCfg: undefined };
  ops.push(...nextCfgOps());
  const results = await client.transact(VSWITCH_DB, ops);
  return { uuid: bridge.uuid, created: false, updated: true, nextCfg: readNextCfg(results, ops.length - 1) };
}

/** Sets the wanted keys of a map column: remove the keys that differ, then insert the new pairs. */
function mapChanges(bridge: BridgeRow, column: string, current: Record<string, string>, wanted?: Record<string, string>): Operation[] {
  if (!wanted) return [];
  const differing = Object.entries(wanted).filter(([k, v]) => current[k] !== v);
  if (differing.length === 0) return [];
  const cond = [where.eq("_uuid", uuidOf(bridge))];
  return [
    op.mutate("Bridge", cond, [mutation(column, "delete", differing.map(([k]) => k))]),
    op.mutate("Bridge", cond, [mutation(column, "insert", Object.fromEntries(differing))]),
  ];
}

function uuidOf(bridge: BridgeRow): Uuid {
  return uuid(bridge.uuid);
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
