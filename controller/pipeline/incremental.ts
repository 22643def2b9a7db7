/**
 * The compiler for a long-running controller: same result as compileDesiredFlows, but it keeps the
 * rendered flows of every unit (network, subnet, port, rule) from the previous round and rebuilds
 * only units whose key changed. A one-rule change re-renders one rule; the rest is reused.
 * The cache holds exactly the units of the last round, so it cannot grow without bound.
 */
import { cookFlow, finalizeFlows, type DesiredFlow } from "../../ovs/openflow/desired.js";
import type { PipelineInput } from "./input.js";
import { resolveInput } from "./compile.js";
import { compileUnits } from "./units.js";

export interface CompileRound {
  flows: DesiredFlow[];
  problems: string[];
  /** Units whose flows were built in this round (the rest came from the cache). */
  rebuilt: number;
  units: number;
}

export class PipelineCompiler {
  private cache = new Map<string, DesiredFlow[]>();

  compile(input: PipelineInput): CompileRound {
    const model = resolveInput(input);
    const next = new Map<string, DesiredFlow[]>();
    const all: DesiredFlow[] = [];
    let rebuilt = 0;
    for (const unit of compileUnits(model)) {
      let flows = next.get(unit.key) ?? this.cache.get(unit.key);
      if (!flows) {
        flows = unit.build().map(cookFlow);
        rebuilt++;
      }
      next.set(unit.key, flows);
      for (const flow of flows) all.push(flow);
    }
    this.cache = next;
    return { flows: finalizeFlows(all), problems: model.problems, rebuilt, units: next.size };
  }
}
