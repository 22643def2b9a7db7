/**
 * Our ports as OVSDB holds them (the plugin writes their identity into external_ids), and finding
 * one by what an operator knows: a container id (or a unique prefix of it), a pod "namespace/name"
 * or name, or the OVS port name.
 */
import { findPorts, type OvsdbClient } from "../../ovs/ovsdb/index.js";
import { fromExternalIds, OWNER_VALUE, PortKey, type PortIdentity } from "../../ovs/port-identity.js";
import { CniCode, CniError } from "../../plugin/cni/errors.js";

export interface OurPort {
  name: string;
  /** undefined while vswitchd has not attached it; -1 when it could not (see `error`). */
  ofport: number | undefined;
  tag: number | undefined;
  error: string | undefined;
  identity: PortIdentity;
}

export async function readOurPorts(client: OvsdbClient, bridge: string): Promise<OurPort[]> {
  const infos = await findPorts(client, { bridge, externalIds: { [PortKey.owner]: OWNER_VALUE } });
  const ports: OurPort[] = [];
  for (const info of infos) {
    const identity = fromExternalIds(info.externalIds);
    if (identity) ports.push({ name: info.interfaceName ?? info.name, ofport: info.ofport, tag: info.tag, error: info.error, identity });
  }
  return ports;
}

/** "namespace/name" of the port's pod, or undefined. */
export function podOf(port: OurPort): string | undefined {
  const { podNamespace, podName } = port.identity;
  if (!podName) return undefined;
  return podNamespace ? `${podNamespace}/${podName}` : podName;
}

/**
 * The one port `ref` names. Exact matches win (port name, container id, pod); then a container-id
 * prefix of at least 4 characters. `ifname` narrows a container with several interfaces.
 */
export function findPort(ports: readonly OurPort[], ref: string, ifname?: string): OurPort {
  const pick = (list: OurPort[]) => (ifname ? list.filter((p) => p.identity.ifname === ifname) : list);
  const tiers: OurPort[][] = [
    ports.filter((p) => p.name === ref),
    pick(ports.filter((p) => p.identity.containerId === ref)),
    pick(ports.filter((p) => podOf(p) === ref || p.identity.podName === ref)),
    ref.length >= 4 ? pick(ports.filter((p) => p.identity.containerId.startsWith(ref))) : [],
  ];
  for (const found of tiers) {
    if (found.length === 1) return found[0]!;
    if (found.length > 1) {
      const names = found.map((p) => `${p.name} (${p.identity.containerId.slice(0, 12)}/${p.identity.ifname})`).join(", ");
      throw new CniError(CniCode.InvalidConfig, `"${ref}" matches several ports: ${names}; name the port or pass --ifname`);
    }
  }
  throw new CniError(CniCode.UnknownContainer, `no ovs-sdn port matches "${ref}" (by port name, container id or pod name)`);
}
