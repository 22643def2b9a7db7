/**
 * Which shape (atom, set, map) each monitored column has: the replica needs it to apply update2
 * diffs. The typed vswitch tables know theirs, so monitoring them costs no get_schema round trip.
 */
import type { MonitorRequests } from "./monitor.js";
import { VSWITCH_DB, VSWITCH_TABLES } from "./rows.js";
import { IMPLICIT_COLUMNS, schemaKinds, type DatabaseSchema, type SchemaKinds, type TableKinds } from "./schema.js";

export interface ResolvedKinds {
  kinds: SchemaKinds;
  /** The requests, with a typed table's columns filled in where none were asked for. */
  filled: MonitorRequests;
}

export function kindsFromSchema(requests: MonitorRequests, schema: DatabaseSchema): ResolvedKinds {
  const kinds: Record<string, TableKinds> = {};
  for (const [table, columns] of Object.entries(schemaKinds(schema))) kinds[table] = { ...IMPLICIT_COLUMNS, ...columns };
  return { kinds, filled: requests };
}

/** Kinds from the typed tables when they cover every requested column; undefined otherwise. */
export function typedKinds(db: string, requests: MonitorRequests): ResolvedKinds | undefined {
  if (db !== VSWITCH_DB) return undefined;
  const kinds: Record<string, TableKinds> = {};
  const filled: MonitorRequests = {};
  for (const [table, request] of Object.entries(requests)) {
    const spec = VSWITCH_TABLES[table];
    if (!spec) return undefined;
    const columns = request.columns ?? Object.keys(spec.columns);
    if (!columns.every((c) => c in spec.columns || c in IMPLICIT_COLUMNS)) return undefined;
    kinds[table] = { ...IMPLICIT_COLUMNS, ...spec.columns };
    filled[table] = { ...request, columns };
  }
  return { kinds, filled };
}
