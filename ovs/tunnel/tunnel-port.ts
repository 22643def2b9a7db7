/**
 * The one tunnel port of br-int: VXLAN or Geneve (per deployment), flow-based (`remote_ip=flow`,
 * `key=flow`), so remote hosts and VNIs live only in flows (set_field tun_dst / tun_id) and a new
 * host never needs an OVSDB change. `local_ip` pins the outer source to this host's underlay
 * address, which the receiving host checks (RemoteSource). Idempotent: an existing port of ours is
 * brought in line (type or options changed in place), a foreign port of that name is refused.
 */
import type { OvsdbClient } from "../ovsdb/client.js";
import { OvsdbConflictError } from "../ovsdb/errors.js";
import { op, selectedRows, where } from "../ovsdb/ops.js";
import { VSWITCH_DB } from "../ovsdb/rows.js";
import { asString, asStringMap } from "../ovsdb/values.js";
import { nextCfgOps, readNextCfg } from "../ovsdb/vswitch-common.js";
import { getPort } from "../ovsdb/vswitch-query.js";
import { addAccessPortAndWait, waitApplied } from "../ovsdb/vswitch-wait.js";
import { isOurs, plumbingIds } from "./identity.js";

export type TunnelType = "vxlan" | "geneve";

export interface TunnelPortSpec {
  /** Default "br-int". */
  bridge?: string;
  /** Default "ovs-sdn-tun". */
  name?: string;
  type: TunnelType;
  /** This host's underlay IPv4 address (on br-phy's internal port). */
  localIp: string;
  /** UDP destination port; default the IANA one (4789 VXLAN, 6081 Geneve). */
  dstPort?: number;
  timeoutMs?: number;
}

export interface TunnelPort {
  name: string;
  ofport: number;
  /** False when the port already existed exactly like this. */
  changed: boolean;
}

export const DEFAULT_TUNNEL_PORT = "ovs-sdn-tun";

export function tunnelOptions(spec: TunnelPortSpec): Record<string, string> {
  const options: Record<string, string> = { remote_ip: "flow", key: "flow", local_ip: spec.localIp };
  if (spec.dstPort !== undefined) options.dst_port = String(spec.dstPort);
  return options;
}

export async function ensureTunnelPort(client: OvsdbClient, spec: TunnelPortSpec): Promise<TunnelPort> {
  const bridge = spec.bridge ?? "br-int";
  const name = spec.name ?? DEFAULT_TUNNEL_PORT;
  const timeoutMs = spec.timeoutMs ?? 10_000;
  const options = tunnelOptions(spec);
  const existing = await getPort(client, name);
  if (!existing) {
    const ids = plumbingIds("tunnel");
    const added = await addAccessPortAndWait(client, { bridge, portName: name, interfaceType: spec.type, options, portExternalIds: ids, interfaceExternalIds: ids, timeoutMs });
    return { name, ofport: added.ofport, changed: true };
  }
  if (!isOurs(existing.externalIds, "tunnel")) throw new OvsdbConflictError(`port "${name}" exists and is not an ovs-sdn tunnel port: refusing to change it`);
  if (existing.bridge !== bridge) throw new OvsdbConflictError(`tunnel port "${name}" is on bridge "${existing.bridge ?? "(none)"}", not "${bridge}"`);
  const [selected] = await client.transact(VSWITCH_DB, [op.select("Interface", [where.eq("name", name)], ["type", "options"])]);
  const row = selectedRows(selected)[0];
  const same = asString(row?.type) === spec.type && sameMap(asStringMap(row?.options), options);
  const ops = same ? nextCfgOps() : [op.update("Interface", [where.eq("name", name)], { type: spec.type, options }), ...nextCfgOps()];
  const results = await client.transact(VSWITCH_DB, ops);
  const applied = await waitApplied(client, { nextCfg: readNextCfg(results, ops.length - 1), interfaceName: name, timeoutMs });
  return { name, ofport: applied.ofport as number, changed: !same };
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
