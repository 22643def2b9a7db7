/**
 * The compiler's work split into units: the fixed flows, then one unit per network, subnet, port
 * and rule, then the cross-host units (units-remote.ts). Each unit's key spells out everything its builders read, so equal keys mean equal
 * flows: the incremental compiler reuses a unit's rendered flows while its key stays the same.
 */
import type { Flow } from "../../ovs/openflow/flow.js";
import type { Network, Port, Resolved, Rule, RulePeer, Subnet } from "./model.js";
import { tableMissFlows } from "./flows/table-miss.js";
import { classifierPortFlow } from "./flows/classifier.js";
import { spoofGuardFlows } from "./flows/spoof-guard.js";
import { arpReplyFlow, ndCompleteFlow, ndReplyFlow, neighborDropFlows } from "./flows/neighbor.js";
import { destinationSubnetFlow } from "./flows/destination.js";
import { conntrackFlows } from "./flows/conntrack.js";
import { aclCommitFlows, aclIntraSubnetFlow, aclNetworkDefaultFlow, aclStateFlows } from "./flows/acl-base.js";
import { ruleFlows } from "./flows/acl-rules.js";
import { l3FromRemoteFlows, l3GatewayFlow, l3RouteFlow, l3SameNetworkFlow } from "./flows/l3.js";
import { egressConntrackFlows, egressSameNetworkFlow, egressStateFlows } from "./flows/egress.js";
import { l2EndpointFlow, outputFlow } from "./flows/l2.js";
import { remoteUnits } from "./units-remote.js";

export interface CompileUnit {
  key: string;
  build: () => Flow[];
}

function fixedFlows(): Flow[] {
  return [
    ...tableMissFlows(),
    ...neighborDropFlows(),
    ndCompleteFlow(),
    ...conntrackFlows(),
    ...aclStateFlows(),
    ...aclCommitFlows(),
    ...l3FromRemoteFlows(),
    ...egressConntrackFlows(),
    ...egressStateFlows(),
    outputFlow(),
  ];
}

function networkFlows(network: Network): Flow[] {
  return [aclNetworkDefaultFlow(network), l3SameNetworkFlow(network), egressSameNetworkFlow(network)];
}

function subnetFlows(subnet: Subnet): Flow[] {
  const reply =
    subnet.cidr.family === 4
      ? arpReplyFlow(subnet.network.id, subnet.gateway, subnet.gatewayMac)
      : ndReplyFlow(subnet.network.id, subnet.gateway, subnet.gatewayMac, true);
  return [destinationSubnetFlow(subnet), aclIntraSubnetFlow(subnet), l3GatewayFlow(subnet), reply];
}

function portFlows(port: Port): Flow[] {
  const flows = [classifierPortFlow(port), ...spoofGuardFlows(port)];
  for (const endpoint of port.endpoints) {
    flows.push(
      endpoint.family === 4 ? arpReplyFlow(port.network.id, endpoint.address, port.mac) : ndReplyFlow(port.network.id, endpoint.address, port.mac, false),
      l3RouteFlow(endpoint),
      l2EndpointFlow(endpoint),
    );
  }
  return flows;
}

const networkKey = (n: Network) => `${n.id}/${n.tenantId}/${n.interSubnetDefault}`;
const subnetKey = (s: Subnet) => `${s.id}/${s.cidr.text}/${s.gateway}/${networkKey(s.network)}`;
const portKey = (p: Port) => `${p.ofport}/${p.mac}/${networkKey(p.network)}/${p.linkLocal ?? ""}/${p.endpoints.map((e) => `${e.address}@${subnetKey(e.subnet)}`).join(",")}`;
const peerKey = (p: RulePeer) => (p.kind === "subnet" ? `s${p.subnet.id}` : p.kind === "network" ? `n${p.network.id}` : `c${p.cidr.text}`);
const ruleKey = (r: Rule) =>
  `${r.tenantId}/${r.priority}/${r.conjId}/${r.action}/${r.from.map(peerKey).join(",")}/${r.to.map(peerKey).join(",")}/${JSON.stringify(r.service)}`;

export function compileUnits(model: Resolved): CompileUnit[] {
  return [
    { key: "fixed", build: fixedFlows },
    ...model.networks.map((n) => ({ key: `network:${networkKey(n)}`, build: () => networkFlows(n) })),
    ...model.subnets.map((s) => ({ key: `subnet:${subnetKey(s)}`, build: () => subnetFlows(s) })),
    ...model.ports.map((p) => ({ key: `port:${portKey(p)}`, build: () => portFlows(p) })),
    ...model.rules.map((r) => ({ key: `rule:${ruleKey(r)}`, build: () => ruleFlows(r) })),
    ...remoteUnits(model),
  ];
}
