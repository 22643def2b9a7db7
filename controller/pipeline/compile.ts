/**
 * The pure pipeline compiler: (networks, subnets, policies, local ports) -> desired flows.
 * Every flow comes from one small builder in flows/; units.ts decides which builder runs for which
 * object. Flow count is O(ports x addresses + subnets + networks + rule items).
 */
import type { Flow } from "../../ovs/openflow/flow.js";
import { cookFlows, type DesiredFlow } from "../../ovs/openflow/desired.js";
import type { NamedTable } from "../../ovs/openflow/table-names.js";
import type { PipelineInput } from "./input.js";
import type { Resolved } from "./model.js";
import { resolveTopology } from "./resolve-topology.js";
import { resolvePolicies } from "./resolve-policies.js";
import { TABLES } from "./tables.js";
import { compileUnits } from "./units.js";

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
  return { flows: compileUnits(model).flatMap((unit) => unit.build()), problems: model.problems };
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
