/**
 * Test containers for the pipeline tests: a netns with eth0 (veth) whose host end is an access
 * port of the sandbox bridge, with a fixed ofport, MAC, addresses and default routes via the
 * subnets' gateways — what the CNI plugin would set up, done here with ip/ovs-vsctl directly.
 */
import { run } from "../../../../ovs/exec.js";
import type { OvsSandbox } from "../../../../ovs/sandbox.js";
import { createNetns, deleteNetns, execInNetns, uniqueName } from "../../../helpers/netns.js";

export interface AddressSpec {
  address: string;
  prefix: number;
  gateway: string;
}

export interface ContainerSpec {
  /** Logical name: the echo servers answer with it. */
  name: string;
  network: string;
  ofport: number;
  mac: string;
  vlan: number;
  v4?: AddressSpec;
  v6?: AddressSpec;
}

export interface Container extends ContainerSpec {
  netns: string;
  hostIf: string;
}

export async function attachContainer(sandbox: OvsSandbox, bridge: string, spec: ContainerSpec): Promise<Container> {
  const netns = uniqueName(spec.name);
  const hostIf = `${netns}h`.slice(0, 15);
  await createNetns(netns);
  const inNs = (...args: string[]) => execInNetns(netns, "ip", args);
  await run("ip", ["link", "add", hostIf, "netns", sandbox.netns, "type", "veth", "peer", "name", "eth0", "netns", netns]);
  // The host end is only a switch port: its own IPv6 stack would talk to the container directly.
  await sandbox.execInHost("sysctl", ["-qw", `net.ipv6.conf.${hostIf}.disable_ipv6=1`]);
  await sandbox.execInHost("ip", ["link", "set", hostIf, "up"]);
  await inNs("link", "set", "eth0", "address", spec.mac);
  // The userspace datapath does not complete checksums a veth leaves to offload.
  await execInNetns(netns, "ethtool", ["-K", "eth0", "tx", "off"]);
  if (spec.v4) await inNs("addr", "add", `${spec.v4.address}/${spec.v4.prefix}`, "dev", "eth0");
  if (spec.v6) await inNs("-6", "addr", "add", `${spec.v6.address}/${spec.v6.prefix}`, "dev", "eth0", "nodad");
  await inNs("link", "set", "eth0", "up");
  if (spec.v4) await inNs("route", "add", "default", "via", spec.v4.gateway);
  if (spec.v6) await inNs("-6", "route", "add", "default", "via", spec.v6.gateway);
  await sandbox.vsctl("add-port", bridge, hostIf, `tag=${spec.vlan}`, "--", "set", "Interface", hostIf, `ofport_request=${spec.ofport}`);
  return { ...spec, netns, hostIf };
}

export async function removeContainers(containers: readonly Container[]): Promise<void> {
  for (const c of containers) await deleteNetns(c.netns);
}

export function ipsOf(c: ContainerSpec): string[] {
  return [c.v4?.address, c.v6?.address].filter((a): a is string => a !== undefined);
}
