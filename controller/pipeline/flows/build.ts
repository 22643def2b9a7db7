/** Small constructors shared by the flow builders. */
import type { Action, Flow, Match } from "../../../ovs/openflow/flow.js";
import { tableId, type TableName } from "../tables.js";
import { REG, type RegName } from "../registers.js";

export function flow(table: TableName, priority: number, purpose: number, match: Match, actions: readonly Action[]): Flow {
  return { table: tableId(table), priority, purpose, match, actions };
}

export function goto(table: TableName): Action {
  return { kind: "goto", table: tableId(table) };
}

export const DROP: readonly Action[] = [{ kind: "drop" }];

/** Register matches by name: regs({ tenant: 5, srcSubnet: 2 }). */
export function regs(values: Partial<Record<RegName, number>>): Record<number, number> {
  const out: Record<number, number> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) out[REG[name as RegName]] = value;
  }
  return out;
}

export function setReg(name: RegName, value: number): Action {
  return { kind: "setField", field: `reg${REG[name]}`, value };
}
