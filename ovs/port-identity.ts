/**
 * The external_ids contract between the plugin (which writes them when it attaches a port) and the
 * controller and CLI (which learn ports only from OVSDB). Keys live on the Interface row; the Port
 * row carries OWNER and CONTAINER_ID too so ports can be found without a join.
 */
export const EXTERNAL_ID_PREFIX = "ovs-sdn/";

export const PortKey = {
  /** Always OWNER_VALUE on ports we created; we never touch a port without it. */
  owner: "ovs-sdn/owner",
  /** "standalone" or "managed". */
  mode: "ovs-sdn/mode",
  containerId: "ovs-sdn/container-id",
  ifname: "ovs-sdn/ifname",
  netns: "ovs-sdn/netns",
  /** The CNI network name (standalone) or the controller's network name (managed). */
  network: "ovs-sdn/network",
  /** Comma-separated CIDR addresses, e.g. "10.1.0.5/24,fd10::5/64". */
  ips: "ovs-sdn/ips",
  mac: "ovs-sdn/mac",
  podNamespace: "ovs-sdn/pod-namespace",
  podName: "ovs-sdn/pod-name",
  /** Keys other OVS controllers (OVN, Neutron agents) recognise. */
  ifaceId: "iface-id",
  attachedMac: "attached-mac",
} as const;

export const OWNER_VALUE = "ovs-sdn";

export interface PortIdentity {
  mode: "standalone" | "managed";
  containerId: string;
  ifname: string;
  netns: string;
  network: string;
  ips: string[];
  mac: string;
  podNamespace?: string;
  podName?: string;
}

/** The iface-id other controllers use: stable per container attachment. */
export function ifaceIdOf(containerId: string, ifname: string): string {
  return `${containerId}_${ifname}`;
}

export function toExternalIds(id: PortIdentity): Record<string, string> {
  const ids: Record<string, string> = {
    [PortKey.owner]: OWNER_VALUE,
    [PortKey.mode]: id.mode,
    [PortKey.containerId]: id.containerId,
    [PortKey.ifname]: id.ifname,
    [PortKey.netns]: id.netns,
    [PortKey.network]: id.network,
    [PortKey.ips]: id.ips.join(","),
    [PortKey.mac]: id.mac,
    [PortKey.ifaceId]: ifaceIdOf(id.containerId, id.ifname),
    [PortKey.attachedMac]: id.mac,
  };
  if (id.podNamespace) ids[PortKey.podNamespace] = id.podNamespace;
  if (id.podName) ids[PortKey.podName] = id.podName;
  return ids;
}

/** Reads a port's identity back; undefined when the port is not ours. */
export function fromExternalIds(ids: Record<string, string>): PortIdentity | undefined {
  if (ids[PortKey.owner] !== OWNER_VALUE) return undefined;
  const mode = ids[PortKey.mode] === "managed" ? "managed" : "standalone";
  const identity: PortIdentity = {
    mode,
    containerId: ids[PortKey.containerId] ?? "",
    ifname: ids[PortKey.ifname] ?? "",
    netns: ids[PortKey.netns] ?? "",
    network: ids[PortKey.network] ?? "",
    ips: (ids[PortKey.ips] ?? "").split(",").filter((s) => s !== ""),
    mac: ids[PortKey.mac] ?? "",
  };
  const podNamespace = ids[PortKey.podNamespace];
  const podName = ids[PortKey.podName];
  if (podNamespace) identity.podNamespace = podNamespace;
  if (podName) identity.podName = podName;
  return identity;
}
