/**
 * Pieces shared by the Open_vSwitch helpers: the next_cfg bump that lets a caller wait for
 * ovs-vswitchd (what ovs-vsctl does without --no-wait), and the PortInfo view of a port.
 */
import { OvsdbConflictError } from "./errors.js";
import { mutation, op, selectedRows, type Operation, type OperationResult } from "./ops.js";
import type { InterfaceRow, PortRow } from "./rows.js";
import { asNumber } from "./values.js";

/** Two operations: increment Open_vSwitch.next_cfg, then read it back. */
export function nextCfgOps(): Operation[] {
  return [op.mutate("Open_vSwitch", [], [mutation("next_cfg", "+=", 1)]), op.select("Open_vSwitch", [], ["next_cfg"])];
}

/** The next_cfg read by the select of nextCfgOps() at `index`. */
export function readNextCfg(results: OperationResult[], index: number): number {
  const value = asNumber(selectedRows(results[index])[0]?.next_cfg);
  if (value === undefined) {
    throw new OvsdbConflictError("the Open_vSwitch table has no row: the database is not initialised (ovs-vsctl init)");
  }
  return value;
}

/** A port as the plugin, controller and CLI see it: the Port row joined with its (first) Interface. */
export interface PortInfo {
  uuid: string;
  name: string;
  /** The bridge holding the port (undefined if no bridge lists it). */
  bridge: string | undefined;
  tag: number | undefined;
  trunks: number[];
  portExternalIds: Record<string, string>;
  interfaceUuid: string | undefined;
  interfaceName: string | undefined;
  interfaceType: string | undefined;
  interfaceExternalIds: Record<string, string>;
  /** Port keys overlaid by Interface keys: what findPorts() matches against. */
  externalIds: Record<string, string>;
  ofport: number | undefined;
  error: string | undefined;
}

export function toPortInfo(port: PortRow, iface: InterfaceRow | undefined, bridge: string | undefined): PortInfo {
  const interfaceExternalIds = iface?.externalIds ?? {};
  return {
    uuid: port.uuid,
    name: port.name,
    bridge,
    tag: port.tag,
    trunks: port.trunks,
    portExternalIds: port.externalIds,
    interfaceUuid: iface?.uuid,
    interfaceName: iface?.name,
    interfaceType: iface?.type,
    interfaceExternalIds,
    externalIds: { ...port.externalIds, ...interfaceExternalIds },
    ofport: iface?.ofport,
    error: iface?.error,
  };
}

/** True when every key of `required` has exactly that value in `ids`. */
export function includesAll(ids: Record<string, string>, required: Record<string, string>): boolean {
  return Object.entries(required).every(([k, v]) => ids[k] === v);
}

/** Columns selected to build PortInfo. */
export const PORT_COLUMNS = ["_uuid", "name", "interfaces", "tag", "trunks", "external_ids"];
export const INTERFACE_COLUMNS = ["_uuid", "name", "type", "ofport", "error", "external_ids"];
export const BRIDGE_PORT_COLUMNS = ["_uuid", "name", "ports"];
