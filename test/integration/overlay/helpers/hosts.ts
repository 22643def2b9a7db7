/**
 * Several "hosts" on one private underlay: each an OvsSandbox (its own host netns, ovsdb-server and
 * ovs-vswitchd) with br-phy holding its uplink and underlay address and br-int with the tunnel port
 * and provider patch ports — all set up through ovs/tunnel (the OVSDB client), as the controller
 * would. The underlay itself is test/helpers/underlay.ts (a Linux bridge in a netns of its own, one
 * veth to each host). 172.31.0.0/24 exists only inside these namespaces.
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
import { TestUnderlay } from "../../../helpers/underlay.js";

export const BRIDGE = "br-int";

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
  const underlay = await TestUnderlay.start(options.prefix);
  const hosts: Host[] = [];
  const forget = deleteOnExit(() => [underlay.netns]);
  const stop = async () => {
    forget();
    for (const h of hosts) {
      h.client.close();
      await h.sandbox.stop();
    }
    await underlay.stop();
  };
  try {
    for (let i = 1; i <= options.hosts; i++) hosts.push(await startHost(`h${i}`, i, underlay, options));
    // The userspace datapath drops tunnelled packets to an underlay neighbour it has not resolved.
    await underlay.announce(hosts.map((h) => ({ sandbox: h.sandbox, address: h.underlayIp })));
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
  return { hosts, netns: underlay.netns, host, setTunnelType, stop };
}

/** One host: a sandbox on the underlay (br-phy, uplink, address), br-int with its tunnel and provider ports. */
async function startHost(name: string, index: number, underlay: TestUnderlay, options: UnderlayOptions): Promise<Host> {
  const sandbox = await OvsSandbox.start({ prefix: `${options.prefix}${index}` });
  let client: OvsdbClient | undefined;
  try {
    const underlayIp = await underlay.attach(sandbox, index);
    client = await OvsdbClient.connect(sandbox.dbRemote);
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
