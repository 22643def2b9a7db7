/**
 * SpoofGuard: a port may only send from its own MAC and its own addresses. IPv4 and IPv6 packets
 * also learn their source subnet here; ARP must carry the port's MAC and IPv4 as sender; IPv6 may
 * also come from the port's EUI-64 link-local address (neighbor discovery). Anything else drops.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Endpoint, Port } from "../model.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { flow, goto, setReg } from "./build.js";

export function spoofIpFlow(endpoint: Endpoint): Flow {
  const { port } = endpoint;
  const match =
    endpoint.family === 4
      ? { protocol: "ip" as const, inPort: port.ofport, ethSrc: port.mac, ipv4Src: endpoint.address }
      : { protocol: "ipv6" as const, inPort: port.ofport, ethSrc: port.mac, ipv6Src: endpoint.address };
  return flow("SpoofGuard", PRIORITY.normal, endpoint.family === 4 ? PURPOSE.spoofIpv4 : PURPOSE.spoofIpv6, match, [
    setReg("srcSubnet", endpoint.subnet.id),
    goto("Neighbor"),
  ]);
}

export function spoofArpFlow(endpoint: Endpoint): Flow {
  const { port } = endpoint;
  return flow(
    "SpoofGuard",
    PRIORITY.normal,
    PURPOSE.spoofArp,
    { protocol: "arp", inPort: port.ofport, ethSrc: port.mac, arpSpa: endpoint.address, arpSha: port.mac },
    [goto("Neighbor")],
  );
}

/** Link-local source: only neighbor discovery can use it (destination has no link-local subnet). */
export function spoofLinkLocalFlow(port: Port, linkLocal: string): Flow {
  return flow("SpoofGuard", PRIORITY.normal, PURPOSE.spoofIpv6, { protocol: "ipv6", inPort: port.ofport, ethSrc: port.mac, ipv6Src: linkLocal }, [
    goto("Neighbor"),
  ]);
}

export function spoofGuardFlows(port: Port): Flow[] {
  const flows: Flow[] = [];
  for (const endpoint of port.endpoints) {
    flows.push(spoofIpFlow(endpoint));
    if (endpoint.family === 4) flows.push(spoofArpFlow(endpoint));
  }
  if (port.linkLocal) flows.push(spoofLinkLocalFlow(port, port.linkLocal));
  return flows;
}
