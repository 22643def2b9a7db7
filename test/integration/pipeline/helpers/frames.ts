/** Hand-built Ethernet frames (hex) for the raw-frame tests: IPv4/UDP, optionally 802.1Q-tagged. */
export interface UdpFrameSpec {
  srcMac: string;
  dstMac: string;
  srcIp: string;
  dstIp: string;
  dstPort: number;
  payloadHex: string;
  vlan?: number;
}

const mac = (m: string) => m.replaceAll(":", "");
const ip = (a: string) => a.split(".").map((o) => Number(o).toString(16).padStart(2, "0")).join("");
const u16 = (n: number) => n.toString(16).padStart(4, "0");

function ipv4Checksum(headerHex: string): number {
  let sum = 0;
  for (let i = 0; i < headerHex.length; i += 4) sum += Number.parseInt(headerHex.slice(i, i + 4), 16);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export function udpFrame(f: UdpFrameSpec): string {
  const payloadLen = f.payloadHex.length / 2;
  const udp = `${u16(40000)}${u16(f.dstPort)}${u16(8 + payloadLen)}0000${f.payloadHex}`; // checksum 0: none (IPv4)
  // version/IHL, TOS, total length, id, flags (DF), TTL 64, UDP, checksum, source, destination
  const header = (checksum: number) => `4500${u16(20 + 8 + payloadLen)}000040004011${u16(checksum)}${ip(f.srcIp)}${ip(f.dstIp)}`;
  const ipHeader = header(ipv4Checksum(header(0)));
  const tag = f.vlan === undefined ? "" : `8100${u16(f.vlan)}`;
  return `${mac(f.dstMac)}${mac(f.srcMac)}${tag}0800${ipHeader}${udp}`;
}
