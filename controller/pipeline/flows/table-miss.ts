/** Every table's explicit miss flow (priority 0): drop, or pass to the next table. */
import type { Flow } from "../../../ovs/openflow/flow.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { TABLES, type TableSpec } from "../tables.js";
import { DROP, flow, goto } from "./build.js";

export function tableMissFlow(table: TableSpec): Flow {
  return flow(table.name, PRIORITY.miss, PURPOSE.tableMiss, {}, table.miss === "drop" ? DROP : [goto(table.miss.goto)]);
}

export function tableMissFlows(): Flow[] {
  return TABLES.map((t) => tableMissFlow(t));
}
