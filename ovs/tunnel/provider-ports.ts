/**
 * Provider VLANs reach br-int through one patch-port pair per VLAN: the br-phy side is an access
 * port with `tag=<vlan>`, so br-phy (a NORMAL bridge holding the uplink trunk) adds the tag on the
 * way out and removes it on the way in, and delivers only that VLAN. br-int sees each provider
 * network untagged on its own port: classifying by in_port is enough, an unknown VLAN never
 * reaches br-int, and a frame tagged by a container still drops in Classifier.
 *
 * syncProviderPorts converges the pairs to a list of VLANs in one transaction (create missing
 * pairs, remove ours that are no longer wanted) and returns each VLAN's br-int ofport.
 */
import type { OvsdbClient } from "../ovsdb/client.js";
import { OvsApplyError } from "../ovsdb/errors.js";
import { mutation, op, where, type Operation } from "../ovsdb/ops.js";
import { VSWITCH_DB } from "../ovsdb/rows.js";
import { namedUuid, uuid } from "../ovsdb/values.js";
import { nextCfgOps, readNextCfg, type PortInfo } from "../ovsdb/vswitch-common.js";
import { findPorts } from "../ovsdb/vswitch-query.js";
import { waitApplied } from "../ovsdb/vswitch-wait.js";
import { PlumbingKey, plumbingIds } from "./identity.js";

export interface ProviderPortsSpec {
  /** Default "br-int". */
  intBridge?: string;
  /** Default "br-phy". */
  phyBridge?: string;
  vlans: number[];
  timeoutMs?: number;
}

export interface ProviderPortOfport {
  vlan: number;
  /** The br-int side's ofport: LocalHostInput.providerPorts of the pipeline. */
  ofport: number;
}

export const providerPortNames = (vlan: number) => ({ int: `prov-int-${vlan}`, phy: `prov-phy-${vlan}` });

export async function syncProviderPorts(client: OvsdbClient, spec: ProviderPortsSpec): Promise<ProviderPortOfport[]> {
  const intBridge = spec.intBridge ?? "br-int";
  const phyBridge = spec.phyBridge ?? "br-phy";
  const wanted = [...new Set(spec.vlans)].sort((a, b) => a - b);
  const ours = await findPorts(client, { externalIds: plumbingIds("provider-patch") });
  const complete = (vlan: number) => {
    const names = providerPortNames(vlan);
    return ours.some((p) => p.name === names.int && p.bridge === intBridge) && ours.some((p) => p.name === names.phy && p.bridge === phyBridge);
  };
  const keep = new Set(wanted.filter(complete).map(String));
  const stale = ours.filter((p) => !keep.has(p.externalIds[PlumbingKey.vlan] ?? ""));
  const missing = wanted.filter((v) => !keep.has(String(v)));
  if (stale.length > 0 || missing.length > 0) {
    const bridgeExists = (name: string) => op.wait("Bridge", { where: [where.eq("name", name)], columns: ["name"], until: "==", rows: [{ name }] });
    const ops = [
      bridgeExists(intBridge),
      bridgeExists(phyBridge),
      ...stale.map(removeOp),
      ...missing.flatMap((vlan) => pairOps(vlan, intBridge, phyBridge)),
      ...nextCfgOps(),
    ];
    const hints = { 0: `bridge "${intBridge}" does not exist`, 1: `bridge "${phyBridge}" does not exist` };
    const results = await client.transact(VSWITCH_DB, ops, { hints });
    await waitApplied(client, { nextCfg: readNextCfg(results, ops.length - 1), timeoutMs: spec.timeoutMs ?? 10_000 });
  }
  const now = await findPorts(client, { bridge: intBridge, externalIds: plumbingIds("provider-patch") });
  return wanted.map((vlan) => {
    const port = now.find((p) => p.name === providerPortNames(vlan).int);
    if (!port?.ofport || port.ofport < 1) throw new OvsApplyError(`provider patch port for vlan ${vlan} has no ofport`, port?.error, port?.ofport);
    return { vlan, ofport: port.ofport };
  });
}

function removeOp(port: PortInfo): Operation {
  return op.mutate("Bridge", [where.includes("ports", [uuid(port.uuid)])], [mutation("ports", "delete", [uuid(port.uuid)])]);
}

/** Both halves of a VLAN's patch pair (each names the other as its peer). */
function pairOps(vlan: number, intBridge: string, phyBridge: string): Operation[] {
  const names = providerPortNames(vlan);
  const ids = plumbingIds("provider-patch", { [PlumbingKey.vlan]: String(vlan) });
  const half = (name: string, peer: string, bridge: string, tag: number | undefined, ref: string): Operation[] => [
    op.insert("Interface", { name, type: "patch", options: { peer }, external_ids: ids }, `${ref}_if`),
    op.insert("Port", { name, interfaces: [namedUuid(`${ref}_if`)], external_ids: ids, tag: tag === undefined ? undefined : [tag] }, ref),
    op.mutate("Bridge", [where.eq("name", bridge)], [mutation("ports", "insert", [namedUuid(ref)])]),
  ];
  return [...half(names.int, names.phy, intBridge, undefined, `int${vlan}`), ...half(names.phy, names.int, phyBridge, vlan, `phy${vlan}`)];
}
