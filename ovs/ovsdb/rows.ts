/**
 * Typed views of the Open_vSwitch database rows we use. A TableSpec says which columns we read and
 * their shapes (enough for the replica to apply update2 diffs without fetching the schema) and
 * turns a decoded row into a plain object. Uuids become strings; optional columns become
 * `undefined` when empty; columns missing from a row (not monitored, or default) get defaults.
 */
import type { TableKinds } from "./schema.js";
import { asNumber, asSet, asString, asStringMap, asUuids, type Row } from "./values.js";

export interface TableSpec<T> {
  readonly table: string;
  readonly columns: TableKinds;
  decode(uuid: string, row: Row): T;
}

export const VSWITCH_DB = "Open_vSwitch";

export interface OpenVSwitchRow {
  uuid: string;
  bridges: string[];
  nextCfg: number;
  curCfg: number;
  ovsVersion: string | undefined;
  datapathTypes: string[];
  ifaceTypes: string[];
  externalIds: Record<string, string>;
  otherConfig: Record<string, string>;
}

export const OpenVSwitchTable: TableSpec<OpenVSwitchRow> = {
  table: "Open_vSwitch",
  columns: {
    bridges: "set", next_cfg: "atom", cur_cfg: "atom", ovs_version: "set", datapath_types: "set",
    iface_types: "set", external_ids: "map", other_config: "map",
  },
  decode: (uuid, r) => ({
    uuid,
    bridges: asUuids(r.bridges),
    nextCfg: asNumber(r.next_cfg) ?? 0,
    curCfg: asNumber(r.cur_cfg) ?? 0,
    ovsVersion: asString(r.ovs_version),
    datapathTypes: strings(r.datapath_types),
    ifaceTypes: strings(r.iface_types),
    externalIds: asStringMap(r.external_ids),
    otherConfig: asStringMap(r.other_config),
  }),
};

export interface BridgeRow {
  uuid: string;
  name: string;
  datapathType: string;
  ports: string[];
  protocols: string[];
  failMode: "standalone" | "secure" | undefined;
  controller: string[];
  externalIds: Record<string, string>;
  otherConfig: Record<string, string>;
}

export const BridgeTable: TableSpec<BridgeRow> = {
  table: "Bridge",
  columns: {
    name: "atom", datapath_type: "atom", ports: "set", protocols: "set", fail_mode: "set",
    controller: "set", external_ids: "map", other_config: "map",
  },
  decode: (uuid, r) => ({
    uuid,
    name: asString(r.name) ?? "",
    datapathType: asString(r.datapath_type) ?? "",
    ports: asUuids(r.ports),
    protocols: strings(r.protocols),
    failMode: asString(r.fail_mode) as BridgeRow["failMode"],
    controller: asUuids(r.controller),
    externalIds: asStringMap(r.external_ids),
    otherConfig: asStringMap(r.other_config),
  }),
};

export interface PortRow {
  uuid: string;
  name: string;
  interfaces: string[];
  /** Access VLAN; undefined for a trunk (or untagged) port. */
  tag: number | undefined;
  trunks: number[];
  vlanMode: string | undefined;
  externalIds: Record<string, string>;
  otherConfig: Record<string, string>;
}

export const PortTable: TableSpec<PortRow> = {
  table: "Port",
  columns: {
    name: "atom", interfaces: "set", tag: "set", trunks: "set", vlan_mode: "set", external_ids: "map",
    other_config: "map",
  },
  decode: (uuid, r) => ({
    uuid,
    name: asString(r.name) ?? "",
    interfaces: asUuids(r.interfaces),
    tag: asNumber(r.tag),
    trunks: asSet(r.trunks).filter((a): a is number => typeof a === "number").sort((a, b) => a - b),
    vlanMode: asString(r.vlan_mode),
    externalIds: asStringMap(r.external_ids),
    otherConfig: asStringMap(r.other_config),
  }),
};

export interface InterfaceRow {
  uuid: string;
  name: string;
  /** "" is a system (kernel) device, e.g. a veth end; "internal", "vxlan", "patch", ... */
  type: string;
  options: Record<string, string>;
  externalIds: Record<string, string>;
  /** Set by vswitchd once the port is in OpenFlow; -1 when it could not be added. */
  ofport: number | undefined;
  ofportRequest: number | undefined;
  /** Why vswitchd could not set the interface up (e.g. "could not open network device X"). */
  error: string | undefined;
  mtu: number | undefined;
  mtuRequest: number | undefined;
  macInUse: string | undefined;
  ifindex: number | undefined;
  linkState: string | undefined;
  adminState: string | undefined;
  status: Record<string, string>;
}

export const InterfaceTable: TableSpec<InterfaceRow> = {
  table: "Interface",
  columns: {
    name: "atom", type: "atom", options: "map", external_ids: "map", ofport: "set", ofport_request: "set",
    error: "set", mtu: "set", mtu_request: "set", mac_in_use: "set", ifindex: "set", link_state: "set",
    admin_state: "set", status: "map",
  },
  decode: (uuid, r) => ({
    uuid,
    name: asString(r.name) ?? "",
    type: asString(r.type) ?? "",
    options: asStringMap(r.options),
    externalIds: asStringMap(r.external_ids),
    ofport: asNumber(r.ofport),
    ofportRequest: asNumber(r.ofport_request),
    error: asString(r.error),
    mtu: asNumber(r.mtu),
    mtuRequest: asNumber(r.mtu_request),
    macInUse: asString(r.mac_in_use),
    ifindex: asNumber(r.ifindex),
    linkState: asString(r.link_state),
    adminState: asString(r.admin_state),
    status: asStringMap(r.status),
  }),
};

/** The typed tables of the Open_vSwitch database by name: monitors of them need no get_schema. */
export const VSWITCH_TABLES: Readonly<Record<string, TableSpec<unknown>>> = Object.freeze({
  Open_vSwitch: OpenVSwitchTable,
  Bridge: BridgeTable,
  Port: PortTable,
  Interface: InterfaceTable,
});

/** Decodes a selected row (which carries its own _uuid column) with a spec. */
export function decodeSelected<T>(spec: TableSpec<T>, row: Row): T {
  const id = asUuids(row._uuid)[0];
  if (id === undefined) throw new TypeError(`${spec.table} row without _uuid: select "_uuid" too`);
  return spec.decode(id, row);
}

function strings(value: Row[string] | undefined): string[] {
  return asSet(value).map(String);
}
