/**
 * Groups installed flows for `flows`: by table (pipeline order), then by what the match says the
 * flow is for: a port (in_port) or a network (the source or destination network register), else
 * the table's shared flows. Also the filters (--table, --port, --network).
 */
import { REG } from "../../pipeline/registers.js";
import { matchFields, type ShownFlow } from "./dump.js";

/** What the CLI knows about a port, for labels and the --port filter. */
export interface PortLabel {
  name: string;
  ofport: number | undefined;
  network: string;
  containerId: string;
  ifname: string;
  mac: string;
  /** Addresses without prefix length. */
  ips: string[];
}

export type GroupKey = { kind: "port"; port: string } | { kind: "network"; id: number } | { kind: "shared" };

export interface FlowGroup {
  key: GroupKey;
  label: string;
  flows: ShownFlow[];
  packets: number;
}

export interface TableGroup {
  tableId: number | undefined;
  table: string;
  groups: FlowGroup[];
  flows: number;
  packets: number;
}

export interface Names {
  ports: readonly PortLabel[];
  /** Network id (its VLAN) -> network name. */
  networks: ReadonlyMap<number, string>;
}

const NETWORK_REGS = [`reg${REG.srcNetwork}`, `reg${REG.dstNetwork}`];

export function groupKeyOf(flow: ShownFlow): GroupKey {
  const fields = matchFields(flow.match);
  const inPort = fields.get("in_port");
  if (inPort !== undefined) return { kind: "port", port: inPort };
  for (const reg of NETWORK_REGS) {
    const value = fields.get(reg);
    if (value !== undefined && !value.includes("/")) return { kind: "network", id: Number(value) };
  }
  return { kind: "shared" };
}

export function groupLabel(key: GroupKey, names: Names): string {
  if (key.kind === "shared") return "all ports";
  if (key.kind === "network") {
    const name = names.networks.get(key.id);
    return name ? `network ${name}` : `network id ${key.id}`;
  }
  const port = names.ports.find((p) => p.name === key.port || String(p.ofport) === key.port);
  return port ? `port ${port.name} (${port.containerId.slice(0, 12)}/${port.ifname}, network ${port.network})` : `port ${key.port}`;
}

const KIND_ORDER = { port: 0, network: 1, shared: 2 } as const;

export function groupFlows(flows: readonly ShownFlow[], names: Names): TableGroup[] {
  const tables = new Map<string, TableGroup>();
  for (const flow of flows) {
    let table = tables.get(flow.table);
    if (!table) tables.set(flow.table, (table = { tableId: flow.tableId, table: flow.table, groups: [], flows: 0, packets: 0 }));
    const key = groupKeyOf(flow);
    const label = groupLabel(key, names);
    let group = table.groups.find((g) => g.label === label);
    if (!group) table.groups.push((group = { key, label, flows: [], packets: 0 }));
    group.flows.push(flow);
    group.packets += flow.packets;
    table.flows++;
    table.packets += flow.packets;
  }
  const sorted = [...tables.values()].sort((a, b) => (a.tableId ?? Infinity) - (b.tableId ?? Infinity) || a.table.localeCompare(b.table));
  for (const table of sorted) {
    table.groups.sort((a, b) => KIND_ORDER[a.key.kind] - KIND_ORDER[b.key.kind] || a.label.localeCompare(b.label));
    for (const group of table.groups) group.flows.sort((a, b) => b.priority - a.priority || a.match.localeCompare(b.match));
  }
  return sorted;
}

export interface FlowFilter {
  /** Table name (any case) or number. */
  table?: string;
  port?: PortLabel;
  /** Network name; needs `names.networks` to know its id. */
  network?: string;
}

export function filterFlows(flows: readonly ShownFlow[], filter: FlowFilter, names: Names): ShownFlow[] {
  const table = filter.table?.toLowerCase();
  const networkIds = filter.network === undefined ? undefined : new Set([...names.networks].filter(([, n]) => n === filter.network).map(([id]) => id));
  return flows.filter((f) => {
    if (table !== undefined && f.table.toLowerCase() !== table && String(f.tableId) !== table) return false;
    if (filter.port && !concernsPort(f, filter.port, names)) return false;
    if (networkIds && !concernsNetwork(f, networkIds, filter.network!, names)) return false;
    return true;
  });
}

const ADDRESS_FIELDS = ["nw_src", "nw_dst", "ipv6_src", "ipv6_dst", "arp_spa", "arp_tpa", "nd_target"];
const MAC_FIELDS = ["dl_src", "dl_dst", "arp_sha", "arp_tha"];

/**
 * A flow is the port's when it matches its in_port, MAC or one of its addresses, or outputs to it;
 * a flow of another network never is (tenants may reuse addresses).
 */
export function concernsPort(flow: ShownFlow, port: PortLabel, names: Names): boolean {
  const fields = matchFields(flow.match);
  const inPort = fields.get("in_port");
  if (inPort !== undefined) return inPort === port.name || inPort === String(port.ofport);
  const key = groupKeyOf(flow);
  const network = key.kind === "network" ? names.networks.get(key.id) : undefined;
  if (network !== undefined && network !== port.network) return false;
  if (MAC_FIELDS.some((f) => fields.get(f) === port.mac)) return true;
  if (ADDRESS_FIELDS.some((f) => port.ips.includes(fields.get(f) ?? ""))) return true;
  return port.ofport !== undefined && flow.actions.includes(`set_field:0x${port.ofport.toString(16)}->reg${REG.outPort}`);
}

function concernsNetwork(flow: ShownFlow, ids: Set<number>, network: string, names: Names): boolean {
  const key = groupKeyOf(flow);
  if (key.kind === "network") return ids.has(key.id);
  if (key.kind === "port") return names.ports.find((p) => p.name === key.port || String(p.ofport) === key.port)?.network === network;
  return false;
}
