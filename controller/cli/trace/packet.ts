/**
 * Builds the flows `trace` hands to ofproto/trace: the probe packet itself, and before it the
 * ARP request or neighbor solicitation the container would send for its next hop, whose answer
 * (from the pipeline's responder flows) gives the destination MAC, exactly as the container's
 * kernel would learn it.
 */
import { cidrContains, formatAddress, parseAddress, parseCidr, type Address, type Family } from "../../pipeline/addresses.js";
import { UsageError } from "../errors.js";
import { flowFields, outputsOf, type ParsedTrace } from "./parse.js";

export interface Probe {
  protocol: "icmp" | "tcp" | "udp";
  /** Destination port (tcp/udp). */
  port?: number;
}

/** "icmp" (default), "tcp/80", "udp/53". */
export function parseProbe(text: string | undefined): Probe {
  if (text === undefined || text === "" || text.toLowerCase() === "icmp" || text.toLowerCase() === "icmpv6") return { protocol: "icmp" };
  const m = /^(tcp|udp)\/(\d{1,5})$/i.exec(text);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) throw new UsageError(`bad probe "${text}": expected icmp, tcp/PORT or udp/PORT (port 1-65535)`);
  return { protocol: m[1]!.toLowerCase() as "tcp" | "udp", port };
}

export function describeProbe(probe: Probe, src: string, dst: string): string {
  if (probe.protocol === "icmp") return `ICMP echo request ${src} -> ${dst}`;
  return `${probe.protocol.toUpperCase()} ${src}:${SOURCE_PORT} -> ${dst}:${probe.port}${probe.protocol === "tcp" ? " (SYN)" : ""}`;
}

/** An ephemeral source port: conntrack sees a new connection. */
const SOURCE_PORT = 40000;

export interface PacketSpec {
  inPort: string;
  srcMac: string;
  dstMac: string;
  src: Address;
  dst: Address;
  probe: Probe;
}

/** The probe packet in ofproto/trace flow syntax. */
export function packetFlow(p: PacketSpec): string {
  const v6 = p.src.family === 6;
  const proto = p.probe.protocol === "icmp" ? (v6 ? "icmp6" : "icmp") : v6 ? `${p.probe.protocol}6` : p.probe.protocol;
  const addresses = v6 ? [`ipv6_src=${p.src.text}`, `ipv6_dst=${p.dst.text}`] : [`nw_src=${p.src.text}`, `nw_dst=${p.dst.text}`];
  const l4 =
    p.probe.protocol === "icmp"
      ? v6
        ? ["icmpv6_type=128", "icmpv6_code=0"]
        : ["icmp_type=8", "icmp_code=0"]
      : // ofproto/trace's parser wants the protocol's own port fields (tp_* fails its prerequisite check for udp).
        [`${p.probe.protocol}_src=${SOURCE_PORT}`, `${p.probe.protocol}_dst=${p.probe.port}`, ...(p.probe.protocol === "tcp" ? ["tcp_flags=syn"] : [])];
  return [proto, `in_port=${p.inPort}`, `dl_src=${p.srcMac}`, `dl_dst=${p.dstMac}`, ...addresses, "nw_ttl=64", ...l4].join(",");
}

/** The ARP request (IPv4) or neighbor solicitation (IPv6) for `target`. */
export function neighborFlow(inPort: string, srcMac: string, src: Address, target: Address): string {
  if (target.family === 4) {
    return ["arp", `in_port=${inPort}`, `dl_src=${srcMac}`, "dl_dst=ff:ff:ff:ff:ff:ff", "arp_op=1", `arp_spa=${src.text}`, `arp_tpa=${target.text}`, `arp_sha=${srcMac}`, "arp_tha=00:00:00:00:00:00"].join(",");
  }
  const low24 = target.value & 0xffffffn;
  const group = formatAddress(6, (0xff020000000000000000000000000000n | 0x1ff000000n) | low24);
  const mcastMac = `33:33:ff:${[16n, 8n, 0n].map((s) => ((low24 >> s) & 0xffn).toString(16).padStart(2, "0")).join(":")}`;
  return ["icmp6", `in_port=${inPort}`, `dl_src=${srcMac}`, `dl_dst=${mcastMac}`, `ipv6_src=${src.text}`, `ipv6_dst=${group}`, "nw_ttl=255", "icmpv6_type=135", "icmpv6_code=0", `nd_target=${target.text}`, `nd_sll=${srcMac}`].join(",");
}

/** The MAC the pipeline answered with, or undefined when nothing came back to the sender. */
export function neighborAnswer(trace: ParsedTrace): string | undefined {
  if (!outputsOf(trace).includes("in_port")) return undefined;
  const last = trace.sections[trace.sections.length - 1];
  const fields = flowFields(last?.finalFlow);
  return fields.get("arp_sha") ?? fields.get("nd_tll") ?? fields.get("dl_src");
}

export interface SubnetView {
  name: string;
  network: string;
  cidr: string;
  gateway?: string;
}

export interface NextHop {
  address: Address;
  /** true: via the source subnet's gateway. */
  routed: boolean;
  /** The source's subnet, when the definitions were available. */
  subnet?: SubnetView;
}

/**
 * Where the container sends the packet first: the destination itself when it is on-link (inside
 * the source's subnet), else the subnet's gateway. The source's prefix comes from its subnet
 * definition, else from the port's own address (CIDR notation in external_ids).
 */
export function nextHop(src: Address, srcCidrText: string | undefined, dst: Address, network: string, subnets: readonly SubnetView[] | undefined): NextHop {
  const subnet = subnets?.find((s) => s.network === network && cidrOf(s.cidr, src));
  const onLinkCidr = subnet ? parseCidr(subnet.cidr) : srcCidrText ? parseCidr(srcCidrText) : undefined;
  if (onLinkCidr && cidrContains(onLinkCidr, dst)) return { address: dst, routed: false, ...(subnet ? { subnet } : {}) };
  const gateway = subnet?.gateway ? parseAddress(subnet.gateway) : undefined;
  if (!gateway) {
    const why = subnets ? `no subnet of network ${network} contains ${src.text}` : "the subnet definitions are not available (is the controller running?)";
    throw new UsageError(`${dst.text} is not on-link for ${src.text} and its gateway is unknown: ${why}`);
  }
  return { address: gateway, routed: true, ...(subnet ? { subnet } : {}) };
}

function cidrOf(cidrText: string, address: Address): boolean {
  const cidr = parseCidr(cidrText);
  return cidr !== undefined && cidrContains(cidr, address);
}

/** The first of `ips` (CIDR or plain) with this family. */
export function addressOfFamily(ips: readonly string[], family: Family | undefined): { address: Address; cidr: string } | undefined {
  for (const ip of ips) {
    const address = parseAddress(ip);
    if (address && (family === undefined || address.family === family)) return { address, cidr: ip.includes("/") ? ip : "" };
  }
  return undefined;
}
