/**
 * The underlay bridge (br-phy): a plain NORMAL-switching bridge that holds the host's physical
 * uplink as a trunk (untagged underlay traffic plus the provider VLANs) and, on its internal port,
 * the host's underlay address, which the userspace datapath uses as the tunnel endpoint (it routes
 * and resolves neighbours for tunnels through the kernel's view of that port). br-phy gets a MAC of
 * its own: otherwise it would take the uplink's, and the uplink itself must carry no IP address.
 */
import type { OvsdbClient } from "../ovsdb/client.js";
import { OvsdbConflictError } from "../ovsdb/errors.js";
import { op, selectedRows, where } from "../ovsdb/ops.js";
import { VSWITCH_DB } from "../ovsdb/rows.js";
import { asNumber } from "../ovsdb/values.js";
import { ensureBridge } from "../ovsdb/vswitch-bridge.js";
import { getPort } from "../ovsdb/vswitch-query.js";
import { addAccessPort } from "../ovsdb/vswitch-ports.js";
import { waitApplied } from "../ovsdb/vswitch-wait.js";
import { run } from "../exec.js";
import { plumbingIds } from "./identity.js";

export interface UnderlayBridgeSpec {
  /** Default "br-phy". */
  bridge?: string;
  /** The physical interface (or veth) to the underlay network: becomes a trunk port of br-phy. */
  uplink: string;
  /** br-phy's own MAC (locally administered), the source of tunnel packets on the wire. */
  mac: string;
  /** Default "netdev" (the userspace datapath, which the tunnels need on these hosts). */
  datapathType?: string;
  timeoutMs?: number;
}

export async function ensureUnderlayBridge(client: OvsdbClient, spec: UnderlayBridgeSpec): Promise<void> {
  const bridge = spec.bridge ?? "br-phy";
  const timeoutMs = spec.timeoutMs ?? 10_000;
  const ensured = await ensureBridge(client, {
    name: bridge,
    datapathType: spec.datapathType ?? "netdev",
    failMode: "standalone",
    otherConfig: { hwaddr: spec.mac.toLowerCase() },
  });
  if (ensured.nextCfg !== undefined) await waitApplied(client, { nextCfg: ensured.nextCfg, timeoutMs });
  const uplink = await getPort(client, spec.uplink);
  if (uplink && uplink.bridge !== bridge) throw new OvsdbConflictError(`uplink "${spec.uplink}" is already a port of bridge "${uplink.bridge ?? "(none)"}"`);
  if (!uplink) {
    const ids = plumbingIds("uplink");
    const added = await addAccessPort(client, { bridge, portName: spec.uplink, portExternalIds: ids, interfaceExternalIds: ids });
    await waitApplied(client, { nextCfg: added.nextCfg, interfaceName: spec.uplink, timeoutMs });
  }
}

/** The MTU of br-phy's internal port as vswitchd reports it (the underlay MTU for attachmentMtu). */
export async function underlayMtu(client: OvsdbClient, bridge = "br-phy"): Promise<number | undefined> {
  const [result] = await client.transact(VSWITCH_DB, [op.select("Interface", [where.eq("name", bridge)], ["mtu"])]);
  return asNumber(selectedRows(result)[0]?.mtu);
}

export interface UnderlayAddressSpec {
  /** Default "br-phy". */
  device?: string;
  /** "172.31.0.1/24". */
  cidr: string;
  /** The network namespace vswitchd runs in (sandboxes); default the current one. */
  netns?: string;
}

/**
 * The userspace datapath reads the uplink with AF_PACKET, but the kernel still sees every frame on
 * it too. Left alone, the kernel answers ARP for br-phy's address from the uplink with the uplink's
 * own MAC (Linux answers for any local address on any interface), racing br-phy's correct answer:
 * a peer that caches the uplink's MAC (its kernel, or its vswitchd's tunnel neighbour cache) sends
 * tunnel packets that br-phy never terminates. So: no ARP answers and no IPv6 on the uplink.
 */
export async function silenceUplink(spec: { uplink: string; netns?: string }): Promise<void> {
  const opts = spec.netns === undefined ? {} : { netns: spec.netns };
  await run("sysctl", ["-qw", `net.ipv4.conf.${spec.uplink}.arp_ignore=8`, `net.ipv6.conf.${spec.uplink}.disable_ipv6=1`], opts);
}

/** Puts the underlay address on br-phy's internal port and brings it up (a kernel operation). */
export async function assignUnderlayAddress(spec: UnderlayAddressSpec): Promise<void> {
  const device = spec.device ?? "br-phy";
  const opts = spec.netns === undefined ? {} : { netns: spec.netns };
  await run("ip", ["addr", "replace", spec.cidr, "dev", device], opts);
  await run("ip", ["link", "set", device, "up"], opts);
}

/**
 * A gratuitous ARP for the underlay address from br-phy. The userspace datapath resolves tunnel
 * neighbours by snooping ARP on br-phy and drops a tunnelled packet whose neighbour it has not
 * resolved yet; announcing itself lets every peer's vswitchd learn this host at once, instead of
 * each peer losing its first packet here. Needs arping (iputils).
 */
export async function announceUnderlayAddress(spec: { address: string; device?: string; netns?: string }): Promise<void> {
  const opts = spec.netns === undefined ? {} : { netns: spec.netns };
  await run("arping", ["-U", "-c", "1", "-I", spec.device ?? "br-phy", spec.address], opts);
}
