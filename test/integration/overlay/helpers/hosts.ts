/**
 * Several "hosts" on one private underlay: each an OvsSandbox (its own host netns, ovsdb-server and
 * ovs-vswitchd) with br-phy holding its uplink and underlay address and br-int with the tunnel port
 * and provider patch ports — all set up through ovs/tunnel (the OVSDB client), as the controller
 * would. The underlay is a Linux bridge in a netns of its own, with one veth to each host's eth1.
 * 172.31.0.0/24 exists only inside these namespaces.
 */
import { execFileSync } from "node:child_process";
import { OvsdbClient } from "../../../../ovs/ovsdb/client.js";
import { ensureBridge } from "../../../../ovs/ovsdb/vswitch-bridge.js";
import { waitApplied } from "../../../../ovs/ovsdb/vswitch-wait.js";
import { OvsSandbox } from "../../../../ovs/sandbox.js";
import { OfctlFlowApplier } from "../../../../ovs/openflow/applier.js";
import { setTableNames } from "../../../../ovs/openflow/table-names.js";
import { pipelineTableNames } from "../../../../controller/pipeline/compile.js";
import { ensureTunnelPort, type TunnelType } from "../../../../ovs/tunnel/tunnel-port.js";
import { syncProviderPorts, type ProviderPortOfport } from "../../../../ovs/tunnel/provider-ports.js";
import { announceUnderlayAddress, assignUnderlayAddress, ensureUnderlayBridge, silenceUplink } from "../../../../ovs/tunnel/underlay.js";
import { createNetns, deleteNetns, execInNetns, uniqueName } from "../../../helpers/netns.js";
import { run } from "../../../../ovs/exec.js";

export const BRIDGE = "br-int";
const UPLINK = "eth1";

export interface Host {
  name: string;
  sandbox: OvsSandbox;
  client: OvsdbClient;
  underlayIp: string;
  tunnelOfport: number;
  providerPorts: ProviderPortOfport[];
  applier: OfctlFlowApplier;
}

export interface Underlay {
  hosts: Host[];
  netns: string;
  host(name: string): Host;
  /** Re-plumbs every host's tunnel port with another type (in place); returns nothing, updates tunnelOfport. */
  setTunnelType(type: TunnelType): Promise<void>;
  stop(): Promise<void>;
}

export interface UnderlayOptions {
  prefix: string;
  hosts: number;
  tunnelType: TunnelType;
  providerVlans: number[];
}

/** Deletes namespaces synchronously if the process exits before stop() ran (the sandboxes do the same). */
export function deleteOnExit(names: () => readonly string[]): () => void {
  const cleanup = () => {
    for (const name of names()) {
      try {
        execFileSync("ip", ["netns", "del", name], { stdio: "ignore" });
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", cleanup);
  return () => process.removeListener("exit", cleanup);
}

export async function startUnderlay(options: UnderlayOptions): Promise<Underlay> {
  const netns = uniqueName(`${options.prefix}u`);
  const hosts: Host[] = [];
  const forget = deleteOnExit(() => [netns]);
  const stop = async () => {
    forget();
    for (const h of hosts) {
      h.client.close();
      await h.sandbox.stop();
    }
    await deleteNetns(netns);
  };
  try {
    await createNetns(netns);
    // No IPv6 chatter (router solicitations, MLD) from the underlay's own links.
    await execInNetns(netns, "sysctl", ["-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"]);
    await execInNetns(netns, "ip", ["link", "add", "ul0", "type", "bridge"]);
    await execInNetns(netns, "ip", ["link", "set", "ul0", "up"]);
    for (let i = 1; i <= options.hosts; i++) hosts.push(await startHost(`h${i}`, i, netns, options));
    await warmUp(hosts);
  } catch (err) {
    await stop();
    throw err;
  }
  const host = (name: string) => {
    const found = hosts.find((h) => h.name === name);
    if (!found) throw new Error(`no host ${name}`);
    return found;
  };
  const setTunnelType = async (type: TunnelType) => {
    for (const h of hosts) h.tunnelOfport = (await ensureTunnelPort(h.client, { type, localIp: h.underlayIp })).ofport;
  };
  return { hosts, netns, host, setTunnelType, stop };
}

/**
 * The userspace datapath drops a tunnelled packet whose underlay neighbour it has not resolved yet
 * (it sends an ARP request instead) and learns neighbours by snooping ARP on br-phy. Every host
 * announces itself (a gratuitous ARP), which fills every peer's cache; checked, not assumed.
 */
async function warmUp(hosts: Host[]): Promise<void> {
  for (const h of hosts) await announceUnderlayAddress({ address: h.underlayIp, netns: h.sandbox.netns });
  for (const h of hosts) {
    const known = await h.sandbox.appctl("ovs-vswitchd", "tnl/arp/show");
    const missing = hosts.filter((peer) => peer !== h && !known.includes(`${peer.underlayIp} `));
    if (missing.length > 0) throw new Error(`${h.name} did not learn the underlay neighbours ${missing.map((p) => p.underlayIp).join(", ")}`);
  }
}

async function startHost(name: string, index: number, underlayNetns: string, options: UnderlayOptions): Promise<Host> {
  const sandbox = await OvsSandbox.start({ prefix: `${options.prefix}${index}` });
  let client: OvsdbClient | undefined;
  try {
    // The uplink: a veth from the underlay bridge into the host netns, with no address of its own.
    await run("ip", ["link", "add", `h${index}`, "netns", underlayNetns, "type", "veth", "peer", "name", UPLINK, "netns", sandbox.netns]);
    await execInNetns(underlayNetns, "ip", ["link", "set", `h${index}`, "master", "ul0", "up"]);
    await silenceUplink({ uplink: UPLINK, netns: sandbox.netns });
    await sandbox.execInHost("ip", ["link", "set", UPLINK, "up"]);
    client = await OvsdbClient.connect(sandbox.dbRemote);
    const underlayIp = `172.31.0.${index}`;
    await ensureUnderlayBridge(client, { uplink: UPLINK, mac: `02:5d:ff:00:00:${index.toString(16).padStart(2, "0")}` });
    await assignUnderlayAddress({ cidr: `${underlayIp}/24`, netns: sandbox.netns });
    const br = await ensureBridge(client, { name: BRIDGE, datapathType: "netdev", failMode: "secure", protocols: ["OpenFlow13"] });
    if (br.nextCfg !== undefined) await waitApplied(client, { nextCfg: br.nextCfg, timeoutMs: 10_000 });
    await setTableNames((...args) => sandbox.vsctl(...args), BRIDGE, pipelineTableNames());
    const tunnel = await ensureTunnelPort(client, { type: options.tunnelType, localIp: underlayIp });
    const providerPorts = await syncProviderPorts(client, { vlans: options.providerVlans });
    const applier = new OfctlFlowApplier({ target: `unix:${sandbox.mgmtSocket(BRIDGE)}` });
    return { name, sandbox, client, underlayIp, tunnelOfport: tunnel.ofport, providerPorts, applier };
  } catch (err) {
    client?.close();
    await sandbox.stop();
    throw err;
  }
}
