/**
 * L3Gateway + L3Route: the distributed gateway. A frame addressed to its source subnet's gateway
 * MAC is routed: the destination MAC becomes the endpoint's, the source MAC the gateway MAC of the
 * endpoint's subnet, the TTL / hop limit drops by one. A frame not sent to the gateway stays in its
 * own network (bridged); one that would cross networks without the gateway drops. A packet from
 * another host was already routed by the sender's pipeline and goes straight on to egress.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Endpoint, Network, Subnet } from "../model.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { ORIGIN } from "../registers.js";
import { flow, goto, regs } from "./build.js";

export function l3GatewayFlow(subnet: Subnet): Flow {
  return flow("L3Gateway", PRIORITY.routed, PURPOSE.l3Gateway, { regs: regs({ srcSubnet: subnet.id }), ethDst: subnet.gatewayMac }, [goto("L3Route")]);
}

export function l3SameNetworkFlow(network: Network): Flow {
  return flow("L3Gateway", PRIORITY.sameNetwork, PURPOSE.l3SameNetwork, { regs: regs({ srcNetwork: network.id, dstNetwork: network.id }) }, [goto("L2Forward")]);
}

/** A packet from another host was routed (or bridged) by the sender's pipeline: no second hop here. */
export function l3FromRemoteFlows(): Flow[] {
  return [ORIGIN.tunnel, ORIGIN.provider].map((origin) =>
    flow("L3Gateway", PRIORITY.fromRemote, PURPOSE.l3FromRemote, { regs: regs({ fromRemote: origin }) }, [goto("EgressConntrack")]),
  );
}

/** Local and remote endpoints alike: routing only needs the endpoint's MAC and subnet. */
export function l3RouteFlow(endpoint: Pick<Endpoint, "address" | "family" | "subnet"> & { port: { mac: string } }): Flow {
  const network = regs({ dstNetwork: endpoint.subnet.network.id });
  const match =
    endpoint.family === 4 ? { protocol: "ip" as const, regs: network, ipv4Dst: endpoint.address } : { protocol: "ipv6" as const, regs: network, ipv6Dst: endpoint.address };
  return flow("L3Route", PRIORITY.normal, PURPOSE.l3Route, match, [
    { kind: "setField", field: "eth_dst", value: endpoint.port.mac },
    { kind: "setField", field: "eth_src", value: endpoint.subnet.gatewayMac },
    { kind: "decTtl" },
    goto("EgressConntrack"),
  ]);
}
