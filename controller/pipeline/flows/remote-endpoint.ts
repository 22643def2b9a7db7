/**
 * Per remote endpoint address: RemoteSource (its packets, arriving here, are accepted from where it
 * can legitimately come and get their source network and subnet) and L2Forward (packets for it
 * leave through the tunnel with its network's VNI to its host, or through its provider port).
 *
 * RemoteSource binds an endpoint to its host on the tunnel path: reg tunnelSource must be its
 * host's tunnel address, so an unknown or wrong sender matches nothing and drops. On the provider
 * path (fromRemote = provider) there is no sender to check: the VLAN is trusted infrastructure.
 * L2Forward's remote flows require fromRemote=0: a packet from another host never leaves again.
 */
import type { Action, Flow, Match } from "../../../ovs/openflow/flow.js";
import type { RemoteEndpoint } from "../model.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { ORIGIN } from "../registers.js";
import { flow, goto, regs, setReg } from "./build.js";

/** Through the tunnel from its host (reg tunnelSource = that host's address), or from a provider port. */
function sourceMatch(endpoint: RemoteEndpoint, from: { tunnelSource: number } | "provider"): Match {
  const tenant = endpoint.port.network.tenantId;
  const r = from === "provider" ? regs({ tenant, fromRemote: ORIGIN.provider }) : regs({ tenant, tunnelSource: from.tunnelSource });
  return endpoint.family === 4 ? { protocol: "ip", regs: r, ipv4Src: endpoint.address } : { protocol: "ipv6", regs: r, ipv6Src: endpoint.address };
}

export function remoteSourceFlows(endpoint: RemoteEndpoint): Flow[] {
  const { arrives, network } = endpoint.port;
  const actions = [setReg("srcNetwork", network.id), setReg("srcSubnet", endpoint.subnet.id), goto("Destination")];
  const sources = [...(arrives.tunnelSource !== undefined ? [{ tunnelSource: arrives.tunnelSource }] : []), ...(arrives.provider ? ["provider" as const] : [])];
  return sources.map((source) => flow("RemoteSource", PRIORITY.normal, PURPOSE.remoteSource, sourceMatch(endpoint, source), actions));
}

export function l2RemoteFlow(endpoint: RemoteEndpoint): Flow {
  const { port } = endpoint;
  const r = regs({ dstNetwork: port.network.id, fromRemote: ORIGIN.local });
  const match: Match =
    endpoint.family === 4 ? { protocol: "ip", regs: r, ethDst: port.mac, ipv4Dst: endpoint.address } : { protocol: "ipv6", regs: r, ethDst: port.mac, ipv6Dst: endpoint.address };
  const exit = port.exit;
  const actions: Action[] =
    exit.kind === "tunnel"
      ? [{ kind: "setField", field: "tun_id", value: exit.vni }, { kind: "setField", field: "tun_dst", value: exit.tunnelIp }, setReg("outPort", exit.ofport), goto("Output")]
      : [setReg("outPort", exit.ofport), goto("Output")];
  return flow("L2Forward", PRIORITY.normal, PURPOSE.l2Remote, match, actions);
}
