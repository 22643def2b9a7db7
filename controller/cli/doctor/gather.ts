/**
 * Collects what the doctor judges: OVSDB (version, bridge, our ports), the controller's status
 * and leases, the installed flow count, and per container the tx checksum offload state. Every
 * probe is independent: one failing never hides the others.
 */
import { existsSync } from "node:fs";
import { run } from "../../../ovs/exec.js";
import { asString, BridgeTable, decodeSelected, op, selectedRows, VSWITCH_DB, where } from "../../../ovs/ovsdb/index.js";
import { ApiPath, type ControllerStatus } from "../../api/protocol.js";
import type { Lease } from "../../ipam/types.js";
import { countOurFlows } from "../../reconcile/drift.js";
import type { CliContext } from "../context.js";
import { readOurPorts, type OurPort } from "../ports.js";
import { txChecksumOf, type BridgeFacts, type Facts, type Fallible, type OffloadFact } from "./checks.js";

async function attempt<T>(fn: () => Promise<T>): Promise<Fallible<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export async function gatherFacts(ctx: CliContext): Promise<Facts> {
  const api = ctx.api(10_000);
  const [ovsdb, status, installedFlows, leases] = await Promise.all([
    attempt(() => ctx.withOvsdb(async (client) => {
      const [system, bridges] = await client.transact(VSWITCH_DB, [
        op.select("Open_vSwitch", [], ["ovs_version"]),
        op.select("Bridge", [where.eq("name", ctx.bridge)], ["_uuid", ...Object.keys(BridgeTable.columns)]),
      ]);
      const row = selectedRows(bridges)[0];
      const decoded = row ? decodeSelected(BridgeTable, row) : undefined;
      const bridge: BridgeFacts = decoded ? { name: ctx.bridge, exists: true, datapathType: decoded.datapathType, ...(decoded.failMode ? { failMode: decoded.failMode } : {}) } : { name: ctx.bridge, exists: false };
      const version = asString(selectedRows(system)[0]?.ovs_version);
      return { version, bridge, ports: await readOurPorts(client, ctx.bridge) };
    })),
    attempt(() => api.status()),
    attempt(() => countOurFlows({ target: ctx.openflowTarget })),
    attempt(() => api.call<Lease[]>("GET", ApiPath.leases)),
  ]);
  const ports = ovsdb.ok ? ovsdb.value.ports : [];
  const goneNetns = ports.filter((p) => p.identity.netns !== "" && !existsSync(p.identity.netns)).map((p) => p.name);
  const offload = ovsdb.ok && ovsdb.value.bridge.datapathType === "netdev" ? await Promise.all(ports.filter((p) => !goneNetns.includes(p.name)).map(offloadOf)) : [];
  return { ovsdbRemote: ctx.options.ovsdb, apiSocket: ctx.options.apiSocket, ovsdb, status: status as Fallible<ControllerStatus>, installedFlows, leases, goneNetns, offload };
}

/** ethtool -k on the container's side of the veth, inside its network namespace. */
async function offloadOf(port: OurPort): Promise<OffloadFact> {
  const base = { port: port.name, ifname: port.identity.ifname };
  if (port.identity.netns === "" || port.identity.ifname === "") return { ...base, txChecksum: "unreadable", detail: "no netns or ifname recorded" };
  try {
    const out = await run("nsenter", [`--net=${port.identity.netns}`, "ethtool", "-k", port.identity.ifname], { timeoutMs: 5_000 });
    const state = txChecksumOf(out);
    return state ? { ...base, txChecksum: state } : { ...base, txChecksum: "unreadable", detail: "ethtool printed no tx-checksumming line" };
  } catch (err) {
    return { ...base, txChecksum: "unreadable", detail: (err as Error).message };
  }
}
