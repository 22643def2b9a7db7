/**
 * The doctor's verdicts, as pure functions of what was gathered (gather.ts): one result per
 * check, OK or FAIL with a reason and a hint, or SKIP when a check could not run because
 * something it needs already failed.
 */
import type { ControllerStatus } from "../../api/protocol.js";
import type { Lease } from "../../ipam/types.js";
import type { OurPort } from "../ports.js";
import { shortId } from "../resources.js";

export type CheckStatus = "OK" | "FAIL" | "SKIP";

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export type Fallible<T> = { ok: true; value: T } | { ok: false; error: string };

export interface BridgeFacts {
  name: string;
  exists: boolean;
  failMode?: string;
  datapathType?: string;
}

export interface OffloadFact {
  port: string;
  ifname: string;
  /** "unreadable" when the container's namespace or ethtool could not be read. */
  txChecksum: "on" | "off" | "unreadable";
  detail?: string;
}

/** The CNI plugin as installed in a CNI bin dir (deploy/install-plugin.sh). */
export interface PluginFacts {
  binDir: string;
  /** supportedVersions from running the installed `ovs-sdn` with CNI_COMMAND=VERSION, as a runtime does. */
  versions: Fallible<string[]>;
  /** The bundle the launcher names; undefined when `ovs-sdn` is not the launcher (a bare bundle). */
  bundle?: string;
  /** Size of the bundle's V8 code cache; undefined when there is none yet. */
  cacheBytes?: number;
}

export interface Facts {
  ovsdbRemote: string;
  apiSocket: string;
  ovsdb: Fallible<{ version: string | undefined; bridge: BridgeFacts; ports: OurPort[] }>;
  status: Fallible<ControllerStatus>;
  installedFlows: Fallible<number>;
  leases: Fallible<Lease[]>;
  /** Ports whose network namespace path is missing. */
  goneNetns: string[];
  offload: OffloadFact[];
  plugin: PluginFacts;
}

const ok = (name: string, detail: string): CheckResult => ({ name, status: "OK", detail });
const fail = (name: string, detail: string, hint?: string): CheckResult => ({ name, status: "FAIL", detail, ...(hint ? { hint } : {}) });
const skip = (name: string, detail: string): CheckResult => ({ name, status: "SKIP", detail });

export function evaluate(f: Facts): CheckResult[] {
  return [ovsdbCheck(f), bridgeCheck(f), controllerCheck(f), flowsCheck(f), portsCheck(f), leasesCheck(f), offloadCheck(f), pluginCheck(f)];
}

function ovsdbCheck(f: Facts): CheckResult {
  const name = "OVS reachable";
  if (!f.ovsdb.ok) return fail(name, f.ovsdb.error, "is ovsdb-server running? (systemctl status openvswitch-switch; --ovsdb / OVS_SDNCTL_OVSDB)");
  return ok(name, `OVSDB at ${f.ovsdbRemote}${f.ovsdb.value.version ? `, Open vSwitch ${f.ovsdb.value.version}` : ""}`);
}

function bridgeCheck(f: Facts): CheckResult {
  const name = "bridge fail-secure";
  if (!f.ovsdb.ok) return skip(name, "needs OVSDB");
  const b = f.ovsdb.value.bridge;
  if (!b.exists) return fail(name, `bridge ${b.name} does not exist`, "the controller creates it at start-up: is it running with the same --bridge?");
  if (b.failMode !== "secure") {
    return fail(name, `bridge ${b.name} has fail_mode=${b.failMode ?? "(unset: standalone)"}: without flows it switches every frame`, `ovs-vsctl set-fail-mode ${b.name} secure (the controller sets it at start-up)`);
  }
  return ok(name, `bridge ${b.name}: fail_mode=secure, datapath ${b.datapathType || "system"}`);
}

function controllerCheck(f: Facts): CheckResult {
  const name = "controller up";
  if (!f.status.ok) return fail(name, f.status.error, "start ovs-sdn-controller (systemctl start ovs-sdn-controller), or point --api-socket / OVS_SDNCTL_API_SOCKET at it");
  const s = f.status.value;
  if (!s.ready) return fail(name, `controller at ${f.apiSocket} is not ready: ${s.reason ?? "no reason given"}`);
  return ok(name, `controller at ${f.apiSocket}: ready, ${s.ports} port(s), ${s.flows} flow(s)`);
}

function flowsCheck(f: Facts): CheckResult {
  const name = "flows in sync";
  if (!f.installedFlows.ok) return fail(name, `cannot count installed flows: ${f.installedFlows.error}`, "check --openflow-target / OVS_SDNCTL_OPENFLOW_TARGET");
  if (!f.status.ok) return skip(name, `needs the controller (${f.installedFlows.value} ovs-sdn flow(s) installed)`);
  const s = f.status.value;
  const installed = f.installedFlows.value;
  if (!s.flowsInSync) return fail(name, `the controller reports its flows out of sync (${installed} installed, ${s.flows} expected)`, "see the controller's log: a reconcile is failing or in progress");
  if (installed !== s.flows) return fail(name, `${installed} ovs-sdn flow(s) installed, the controller expects ${s.flows}`, "someone changed our flows or ovs-vswitchd restarted; the controller repairs this within seconds");
  return ok(name, `${installed} flow(s) installed, as the controller expects`);
}

function portsCheck(f: Facts): CheckResult {
  const name = "no leaked ports";
  if (!f.ovsdb.ok) return skip(name, "needs OVSDB");
  const ports = f.ovsdb.value.ports;
  const broken = ports.filter((p) => p.ofport === undefined || p.ofport < 0 || p.error);
  const problems = [
    ...f.goneNetns.map((p) => `${p} (network namespace gone)`),
    ...broken.map((p) => `${p.name} (${p.error ?? "no ofport"})`),
  ];
  if (problems.length > 0) return fail(name, `${problems.length} of ${ports.length} port(s): ${problems.join(", ")}`, "ovs-sdnctl gc removes managed ports whose namespace is gone; the runtime's CNI DEL/GC removes standalone ones");
  return ok(name, `${ports.length} port(s), each with its network namespace and an ofport`);
}

function leasesCheck(f: Facts): CheckResult {
  const name = "no leases without a port";
  if (!f.leases.ok) return f.status.ok ? fail(name, `cannot list leases: ${f.leases.error}`) : skip(name, "needs the controller");
  if (!f.ovsdb.ok) return skip(name, "needs OVSDB");
  const present = new Set(f.ovsdb.value.ports.map((p) => `${p.identity.containerId}/${p.identity.ifname}`));
  const orphans = f.leases.value.filter((l) => !present.has(`${l.containerId}/${l.ifname}`));
  if (orphans.length > 0) {
    const list = orphans.map((l) => `${l.ip} (${shortId(l.containerId)}/${l.ifname})`).join(", ");
    return fail(name, `${orphans.length} of ${f.leases.value.length} lease(s) have no port: ${list}`, "an ADD in progress, or a DEL that never reached the controller: ovs-sdnctl gc releases them after the grace period");
  }
  return ok(name, `${f.leases.value.length} lease(s), each with its port`);
}

function offloadCheck(f: Facts): CheckResult {
  const name = "checksum offload";
  if (!f.ovsdb.ok) return skip(name, "needs OVSDB");
  const { bridge } = f.ovsdb.value;
  if (bridge.datapathType !== "netdev") return ok(name, `datapath ${bridge.datapathType || "system"}: checksum offload is completed by the kernel`);
  const on = f.offload.filter((o) => o.txChecksum === "on");
  const unreadable = f.offload.filter((o) => o.txChecksum === "unreadable");
  const note = unreadable.length > 0 ? ` (${unreadable.length} not readable: ${unreadable.map((o) => o.port).join(", ")})` : "";
  if (on.length > 0) {
    return fail(
      name,
      `userspace datapath and tx checksum offload on in ${on.length} container(s): ${on.map((o) => `${o.port} (${o.ifname})`).join(", ")}: their TCP/UDP is dropped as invalid${note}`,
      "ethtool -K IFNAME tx off inside the container (the plugin does this on netdev bridges)",
    );
  }
  return ok(name, `userspace datapath: tx checksum offload off in ${f.offload.length - unreadable.length} container(s)${note}`);
}

function pluginCheck(f: Facts): CheckResult {
  const name = "CNI plugin";
  const { binDir, versions, bundle, cacheBytes } = f.plugin;
  if (!versions.ok) return fail(name, `${binDir}/ovs-sdn does not answer VERSION: ${versions.error}`, "deploy/install-plugin.sh installs it (Node.js >= 20 on PATH); --cni-bin-dir / OVS_SDNCTL_CNI_BIN_DIR if it lives elsewhere");
  const spoken = versions.value.length > 0 ? `${versions.value[0]} … ${versions.value.at(-1)}` : "no version";
  const cache =
    bundle === undefined
      ? "not the installed launcher: runs without a code cache"
      : cacheBytes === undefined
        ? `no code cache yet for ${bundle} (the first successful ADD writes it)`
        : `code cache ${Math.round(cacheBytes / 1024)} KB for ${bundle}`;
  return ok(name, `${binDir}/ovs-sdn answers VERSION (${spoken}); ${cache}`);
}

/** "OK    name: detail" lines, hints indented below failures. */
export function renderChecks(results: readonly CheckResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.status.padEnd(5)} ${r.name}: ${r.detail}`);
    if (r.status === "FAIL" && r.hint) lines.push(`      hint: ${r.hint}`);
  }
  const failed = results.filter((r) => r.status === "FAIL").length;
  lines.push(failed === 0 ? "all checks passed" : `${failed} check(s) failed`);
  return `${lines.join("\n")}\n`;
}

/** tx-checksumming from `ethtool -k` output. */
export function txChecksumOf(ethtoolOutput: string): "on" | "off" | undefined {
  const m = /^tx-checksumming:\s*(on|off)/m.exec(ethtoolOutput);
  return m ? (m[1] as "on" | "off") : undefined;
}
