/**
 * Collects what the doctor judges: OVSDB (version, bridge, our ports), the controller's status
 * and leases, the installed flow count, per container the tx checksum offload state, and the
 * installed CNI plugin. Every probe is independent: one failing never hides the others.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { run, runFull } from "../../../ovs/exec.js";
import { asString, BridgeTable, decodeSelected, op, selectedRows, VSWITCH_DB, where } from "../../../ovs/ovsdb/index.js";
import { ApiPath, type ControllerStatus } from "../../api/protocol.js";
import type { Lease } from "../../ipam/types.js";
import { countOurFlows } from "../../reconcile/drift.js";
import type { CliContext } from "../context.js";
import { readOurPorts, type OurPort } from "../ports.js";
import { txChecksumOf, type BridgeFacts, type Facts, type Fallible, type OffloadFact, type PluginFacts } from "./checks.js";

async function attempt<T>(fn: () => Promise<T>): Promise<Fallible<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export async function gatherFacts(ctx: CliContext, cniBinDir: string): Promise<Facts> {
  const api = ctx.api(10_000);
  const [ovsdb, status, installedFlows, leases, plugin] = await Promise.all([
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
    pluginFacts(cniBinDir),
  ]);
  const ports = ovsdb.ok ? ovsdb.value.ports : [];
  const goneNetns = ports.filter((p) => p.identity.netns !== "" && !existsSync(p.identity.netns)).map((p) => p.name);
  const offload = ovsdb.ok && ovsdb.value.bridge.datapathType === "netdev" ? await Promise.all(ports.filter((p) => !goneNetns.includes(p.name)).map(offloadOf)) : [];
  return { ovsdbRemote: ctx.options.ovsdb, apiSocket: ctx.options.apiSocket, ovsdb, status: status as Fallible<ControllerStatus>, installedFlows, leases, goneNetns, offload, plugin };
}

/** Runs the installed plugin's VERSION as a runtime would, and looks for the launcher's code cache. */
async function pluginFacts(binDir: string): Promise<PluginFacts> {
  const executable = join(binDir, "ovs-sdn");
  const versions = await attempt(async () => {
    if (!existsSync(executable)) throw new Error("not installed");
    const r = await runFull(executable, [], { env: { PATH: process.env.PATH, CNI_COMMAND: "VERSION" }, input: '{"cniVersion":"1.1.0"}', timeoutMs: 10_000 });
    const answer = JSON.parse(r.stdout) as { supportedVersions?: unknown };
    if (!Array.isArray(answer.supportedVersions)) throw new Error(`unexpected answer ${r.stdout.trim().slice(0, 200)}`);
    return answer.supportedVersions.filter((v): v is string => typeof v === "string");
  });
  let bundle: string | undefined;
  try {
    bundle = /const BUNDLE_NAME = "(plugin-[0-9a-f]+)"/.exec(readFileSync(executable, "utf8"))?.[1];
  } catch {
    bundle = undefined;
  }
  let cacheBytes: number | undefined;
  if (bundle !== undefined) {
    try {
      cacheBytes = statSync(join(binDir, "ovs-sdn.d", `${bundle}.codecache`)).size;
    } catch {
      cacheBytes = undefined;
    }
  }
  return { binDir, versions, ...(bundle !== undefined ? { bundle } : {}), ...(cacheBytes !== undefined ? { cacheBytes } : {}) };
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
