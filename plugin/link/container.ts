/**
 * The container end, inside CNI_NETNS, in two short process trees:
 * - prepareContainerEnd (while IPAM runs): sysctls that make the kernel send a gratuitous ARP and
 *   an unsolicited NA when the link comes up, and tx checksum offload off when the bridge uses the
 *   userspace datapath (TCP/UDP break otherwise). A fixed sh script; names are positional
 *   parameters, never spliced into code.
 * - configureContainer (after the port is applied): `ip -batch -` with MAC, MTU, addresses, link
 *   up and routes; with IPv6 addresses, IPv6 is first switched on for the interface.
 */
import { run } from "../../ovs/exec.js";
import type { CniIpConfig, CniRoute } from "../cni/types.js";
import { LinkError, stderrOf } from "./errors.js";

export interface ContainerSetup {
  netnsPath: string;
  ifname: string;
  mac: string;
  mtu: number | undefined;
  ips: CniIpConfig[];
  routes: CniRoute[];
  timeoutMs: number;
}

// $1 = ifname, $2 = 1 to turn tx checksum offload off.
const PREPARE = [
  "set -e",
  'echo 1 > "/proc/sys/net/ipv4/conf/$1/arp_notify"',
  'if [ -d "/proc/sys/net/ipv6/conf/$1" ]; then echo 1 > "/proc/sys/net/ipv6/conf/$1/ndisc_notify"; fi',
  'if [ "$2" = 1 ]; then ethtool -K "$1" tx off >/dev/null; fi',
].join("\n");

// $1 = ifname; IPv6 on for the interface, then the batch from stdin.
const CONFIGURE_V6 = ['echo 0 > "/proc/sys/net/ipv6/conf/$1/disable_ipv6"', "exec ip -batch -"].join("\n");

const isV6 = (address: string) => address.includes(":");

export async function prepareContainerEnd(netnsPath: string, ifname: string, txChecksumOff: boolean, timeoutMs: number): Promise<void> {
  try {
    await run("nsenter", [`--net=${netnsPath}`, "--", "sh", "-c", PREPARE, "sh", ifname, txChecksumOff ? "1" : "0"], { timeoutMs });
  } catch (err) {
    throw new LinkError(`preparing ${ifname} in ${netnsPath} failed`, stderrOf(err), { cause: err });
  }
}

/** The `ip -batch` lines; addresses are validated by the caller (ipam/addresses.ts). */
export function batchLines(setup: Pick<ContainerSetup, "ifname" | "mac" | "mtu" | "ips" | "routes">): string[] {
  const { ifname, ips, routes } = setup;
  const lines = [`link set dev ${ifname} address ${setup.mac}${setup.mtu === undefined ? "" : ` mtu ${setup.mtu}`}`];
  lines.push(...ips.map((ip) => `addr add ${ip.address} dev ${ifname}${isV6(ip.address) ? " nodad" : ""}`));
  lines.push(`link set dev ${ifname} up`);
  for (const r of routes) {
    let line = `route add ${r.dst}`;
    if (r.gw) line += ` via ${r.gw}`;
    line += ` dev ${ifname}`;
    if (r.priority !== undefined) line += ` metric ${r.priority}`;
    if (r.table !== undefined) line += ` table ${r.table}`;
    if (r.scope !== undefined) line += ` scope ${r.scope}`;
    if (r.mtu !== undefined) line += ` mtu ${r.mtu}`;
    if (r.advmss !== undefined) line += ` advmss ${r.advmss}`;
    lines.push(line);
  }
  return lines;
}

export async function configureContainer(setup: ContainerSetup): Promise<void> {
  const v6 = setup.ips.some((ip) => isV6(ip.address)) || setup.routes.some((r) => isV6(r.dst));
  const input = batchLines(setup).join("\n") + "\n";
  const command = v6 ? ["sh", "-c", CONFIGURE_V6, "sh", setup.ifname] : ["ip", "-batch", "-"];
  try {
    await run("nsenter", [`--net=${setup.netnsPath}`, "--", ...command], { input, timeoutMs: setup.timeoutMs });
  } catch (err) {
    throw new LinkError(`configuring ${setup.ifname} in ${setup.netnsPath} failed`, stderrOf(err), { cause: err });
  }
}
