/**
 * Reading ports back: by name (getPort) or by external_ids (findPorts, e.g. every port of a
 * container, or every port we own for garbage collection). One round trip each in the common case.
 */
import type { OvsdbClient } from "./client.js";
import { op, selectedRows, where, type OperationResult } from "./ops.js";
import { BridgeTable, decodeSelected, InterfaceTable, PortTable, VSWITCH_DB, type BridgeRow, type InterfaceRow, type PortRow, type TableSpec } from "./rows.js";
import { uuid } from "./values.js";
import { BRIDGE_PORT_COLUMNS, includesAll, INTERFACE_COLUMNS, PORT_COLUMNS, toPortInfo, type PortInfo } from "./vswitch-common.js";

export interface FindPortsQuery {
  /** Only ports on this bridge. */
  bridge?: string;
  /** Pairs every match must carry, on its Port or its Interface (Interface wins on conflicts). */
  externalIds: Record<string, string>;
}

/** All ports matching the query, sorted by name. Reads Port, Interface and Bridge in one transaction. */
export async function findPorts(client: OvsdbClient, query: FindPortsQuery): Promise<PortInfo[]> {
  const results = await client.transact(VSWITCH_DB, [
    op.select("Port", [], PORT_COLUMNS),
    op.select("Interface", [], INTERFACE_COLUMNS),
    op.select("Bridge", query.bridge === undefined ? [] : [where.eq("name", query.bridge)], BRIDGE_PORT_COLUMNS),
  ]);
  const ports = rowsOf(results[0], PortTable);
  const interfaces = new Map(rowsOf(results[1], InterfaceTable).map((i) => [i.uuid, i]));
  const bridgeOf = bridgeIndex(rowsOf(results[2], BridgeTable));
  return ports
    .filter((p) => query.bridge === undefined || bridgeOf.has(p.uuid))
    .map((p) => toPortInfo(p, firstInterface(p, interfaces), bridgeOf.get(p.uuid)))
    .filter((info) => includesAll(info.externalIds, query.externalIds))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The port called `name`, or undefined. */
export async function getPort(client: OvsdbClient, name: string): Promise<PortInfo | undefined> {
  const results = await client.transact(VSWITCH_DB, [
    op.select("Port", [where.eq("name", name)], PORT_COLUMNS),
    // Usually the port's only interface has the port's name: fetch it in the same round trip.
    op.select("Interface", [where.eq("name", name)], INTERFACE_COLUMNS),
    op.select("Bridge", [], BRIDGE_PORT_COLUMNS),
  ]);
  const port = rowsOf(results[0], PortTable)[0];
  if (!port) return undefined;
  const interfaces = new Map(rowsOf(results[1], InterfaceTable).map((i) => [i.uuid, i]));
  let iface = firstInterface(port, interfaces);
  const firstUuid = port.interfaces[0];
  if (!iface && firstUuid !== undefined) {
    const [byUuid] = await client.transact(VSWITCH_DB, [op.select("Interface", [where.eq("_uuid", uuid(firstUuid))], INTERFACE_COLUMNS)]);
    iface = rowsOf(byUuid, InterfaceTable)[0];
  }
  return toPortInfo(port, iface, bridgeIndex(rowsOf(results[2], BridgeTable)).get(port.uuid));
}

function rowsOf<T>(result: OperationResult | undefined, spec: TableSpec<T>): T[] {
  return selectedRows(result).map((row) => decodeSelected(spec, row));
}

function firstInterface(port: PortRow, interfaces: Map<string, InterfaceRow>): InterfaceRow | undefined {
  const first = [...port.interfaces].sort().find((u) => interfaces.has(u));
  return first === undefined ? undefined : interfaces.get(first);
}

/** Port uuid -> name of the bridge that lists it. */
function bridgeIndex(bridges: BridgeRow[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const bridge of bridges) for (const port of bridge.ports) index.set(port, bridge.name);
  return index;
}
