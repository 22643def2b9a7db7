/**
 * Names for what OVS shows as numbers: pipeline tables (controller/pipeline/tables.ts) and flow
 * purposes (the cookie's purpose byte, controller/pipeline/purposes.ts).
 */
import { isOurCookie, purposeOf } from "../../ovs/openflow/cookie.js";
import { PURPOSE } from "../pipeline/purposes.js";
import { TABLES } from "../pipeline/tables.js";

const purposeNames = new Map<number, string>(Object.entries(PURPOSE).map(([name, value]) => [value, name]));

/** The builder that made a flow, from its cookie; undefined for flows that are not ours. */
export function purposeName(cookie: bigint | undefined): string | undefined {
  if (cookie === undefined || !isOurCookie(cookie)) return undefined;
  const purpose = purposeOf(cookie);
  return purposeNames.get(purpose) ?? `purpose ${purpose}`;
}

export interface TableRef {
  /** undefined for a name the pipeline does not know. */
  id: number | undefined;
  name: string;
}

/** Resolves "Classifier", "classifier" or "0" to the table. */
export function tableRef(text: string): TableRef {
  if (/^\d+$/.test(text)) {
    const id = Number(text);
    return { id, name: TABLES.find((t) => t.id === id)?.name ?? `table${id}` };
  }
  const known = TABLES.find((t) => t.name.toLowerCase() === text.toLowerCase());
  return known ? { id: known.id, name: known.name } : { id: undefined, name: text };
}

export function tableName(id: number): string {
  return tableRef(String(id)).name;
}

/** What the table is for, from the pipeline's declaration. */
export function tableDoc(id: number): string | undefined {
  return TABLES.find((t) => t.id === id)?.doc;
}
