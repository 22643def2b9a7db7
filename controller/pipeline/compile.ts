/**
 * The pure pipeline compiler: (networks, subnets, policies, local ports) -> desired flows.
 * Every flow comes from one small builder in flows/; this file only decides which builder runs
 * for which object. Flow count is O(ports x addresses + subnets + networks + rule items).
 */
import type { Flow } from "../../ovs/openflow/flow.js";
import { cookFlows, type DesiredFlow } from "../../ovs/openflow/desired.js";
import type { NamedTable } from "../../ovs/openflow/table-names.js";
import type { PipelineInput } from "./input.js";
import type { Resolved } from "./model.js";
import { resolveTopology } from "./resolve-topology.js";
import { resolvePolicies } from "./resolve-policies.js";
import { TABLES } from "./tables.js";
import { tableMissFlows } from "./flows/table-miss.js";
import { classifierPortFlow } from "./flows/classifier.js";
import { spoofGuardFlows } from "./flows/spoof-guard.js";
import { arpReplyFlow, ndCompleteFlow, ndReplyFlow, neighborDropFlows } from "./flows/neighbor.js";
import { destinationSubnetFlow } from "./flows/destination.js";
import { conntrackFlows } from "./flows/conntrack.js";
import { aclCommitFlows, aclIntraSubnetFlow, aclNetworkDefaultFlow, aclStateFlows } from "./flows/acl-base.js";
import { ruleFlows } from "./flows/acl-rules.js";
import { l3GatewayFlow, l3RouteFlow, l3SameNetworkFlow } from "./flows/l3.js";
import { egressConntrackFlows, egressSameNetworkFlow, egressStateFlows } from "./flows/egress.js";
import { l2EndpointFlow, outputFlow } from "./flows/l2.js";

export interface CompiledPipeline {
  flows: Flow[];
  /** Inputs left out (fail closed) and why: one line each, for the controller's log. */
  problems: string[];
}

export function resolveInput(input: PipelineInput): Resolved {
  const problems: string[] = [];
  const topology = resolveTopology(input, problems);
  const rules = resolvePolicies(input, topology, problems);
  return { ...topology, rules, problems };
}

export function compilePipeline(input: PipelineInput): CompiledPipeline {
  const model = resolveInput(input);
  const flows: Flow[] = [
    ...tableMissFlows(),
    ...neighborDropFlows(),
    ndCompleteFlow(),
    ...conntrackFlows(),
    ...aclStateFlows(),
    ...aclCommitFlows(),
    ...egressConntrackFlows(),
    ...egressStateFlows(),
    outputFlow(),
  ];
  for (const network of model.networks) {
    flows.push(aclNetworkDefaultFlow(network), l3SameNetworkFlow(network), egressSameNetworkFlow(network));
  }
  for (const subnet of model.subnets) {
    flows.push(destinationSubnetFlow(subnet), aclIntraSubnetFlow(subnet), l3GatewayFlow(subnet));
    flows.push(
      subnet.cidr.family === 4
        ? arpReplyFlow(subnet.network.id, subnet.gateway, subnet.gatewayMac)
        : ndReplyFlow(subnet.network.id, subnet.gateway, subnet.gatewayMac, true),
    );
  }
  for (const port of model.ports) {
    flows.push(classifierPortFlow(port), ...spoofGuardFlows(port));
    for (const endpoint of port.endpoints) {
      flows.push(
        endpoint.family === 4 ? arpReplyFlow(port.network.id, endpoint.address, port.mac) : ndReplyFlow(port.network.id, endpoint.address, port.mac, false),
        l3RouteFlow(endpoint),
        l2EndpointFlow(endpoint),
      );
    }
  }
  for (const rule of model.rules) flows.push(...ruleFlows(rule));
  return { flows, problems: model.problems };
}

/** compilePipeline + rendering + cookies: what a FlowApplier diff takes. */
export function compileDesiredFlows(input: PipelineInput): { flows: DesiredFlow[]; problems: string[] } {
  const compiled = compilePipeline(input);
  return { flows: cookFlows(compiled.flows), problems: compiled.problems };
}

/** The table names to publish in OVSDB (see ovs/openflow/table-names.ts). */
export function pipelineTableNames(): NamedTable[] {
  return TABLES.map((t) => ({ id: t.id, name: t.name }));
}
