/**
 * Configures the container end inside CNI_NETNS with one process tree: nsenter runs a fixed sh
 * script (names come in as positional parameters, never spliced into code) that sets the sysctls
 * (gratuitous ARP / unsolicited NA on link up, IPv6 on if needed), turns tx checksum offload off
 * when asked (userspace datapath) and feeds `ip -batch -` the addresses, link up and routes.
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
  txChecksumOff: boolean;
  timeoutMs: number;
}

// $1 = ifname, $2 = 1 to turn tx offload off, $3 = 1 when IPv6 addresses follow.
const SCRIPT = [
  "set -e",
  'conf=/proc/sys/net/ipv4/conf/$1; echo 1 > "$conf/arp_notify"',
  'if [ "$3" = 1 ]; then v6=/proc/sys/net/ipv6/conf/$1; echo 0 > "$v6/disable_ipv6"; echo 1 > "$v6/ndisc_notify"; fi',
  'if [ "$2" = 1 ]; then ethtool -K "$1" tx off >/dev/null; fi',
  "exec ip -batch -",
].join("\n");

const isV6 = (address: string) => address.includes(":");

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
  try {
    await run("nsenter", [`--net=${setup.netnsPath}`, "--", "sh", "-c", SCRIPT, "sh", setup.ifname, setup.txChecksumOff ? "1" : "0", v6 ? "1" : "0"], {
      input,
      timeoutMs: setup.timeoutMs,
    });
  } catch (err) {
    throw new LinkError(`configuring ${setup.ifname} in ${setup.netnsPath} failed`, stderrOf(err), { cause: err });
  }
}
