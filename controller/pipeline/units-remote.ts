/**
 * The cross-host compile units (see units.ts for the scheme): this host's tunnel port, each overlay
 * network's VNI, each provider port, and each remote endpoint. Keys spell out everything the
 * builders read, so a new remote endpoint rebuilds only its own unit.
 */
import type { Flow } from "../../ovs/openflow/flow.js";
import type { ProviderPort, RemotePort, Resolved } from "./model.js";
import { providerClassifierFlow, tunnelClassifierFlow, tunnelNetworkFlow } from "./flows/remote-ingress.js";
import { l2RemoteFlow, remoteSourceFlows } from "./flows/remote-endpoint.js";
import { arpReplyFlow, ndReplyFlow } from "./flows/neighbor.js";
import { l3RouteFlow } from "./flows/l3.js";
import type { CompileUnit } from "./units.js";

function remotePortFlows(port: RemotePort): Flow[] {
  const flows: Flow[] = [];
  for (const endpoint of port.endpoints) {
    flows.push(
      endpoint.family === 4 ? arpReplyFlow(port.network.id, endpoint.address, port.mac) : ndReplyFlow(port.network.id, endpoint.address, port.mac, false),
      l3RouteFlow(endpoint),
      l2RemoteFlow(endpoint),
      ...remoteSourceFlows(endpoint),
    );
  }
  return flows;
}

const providerKey = (p: ProviderPort) => `${p.ofport}/${p.vlan}/${p.network.tenantId}`;
const remoteKey = (p: RemotePort) =>
  [
    p.mac,
    p.network.id,
    p.network.tenantId,
    JSON.stringify(p.exit),
    p.arrives.tunnelSource ?? "",
    p.arrives.provider,
    p.endpoints.map((e) => `${e.address}@${e.subnet.id}/${e.subnet.gatewayMac}`).join(","),
  ].join("/");

export function remoteUnits(model: Resolved): CompileUnit[] {
  const units: CompileUnit[] = [];
  const tunnel = model.tunnelOfport;
  if (tunnel !== undefined) {
    units.push({ key: `tunnel:${tunnel}`, build: () => [tunnelClassifierFlow(tunnel)] });
    for (const n of model.networks) {
      const t = n.transport;
      if (t?.kind === "overlay") units.push({ key: `vni:${t.vni}/${n.tenantId}`, build: () => [tunnelNetworkFlow(n, t.vni)] });
    }
  }
  for (const p of model.providerPorts) units.push({ key: `provider:${providerKey(p)}`, build: () => [providerClassifierFlow(p)] });
  for (const p of model.remotePorts) units.push({ key: `remote:${remoteKey(p)}`, build: () => remotePortFlows(p) });
  return units;
}
