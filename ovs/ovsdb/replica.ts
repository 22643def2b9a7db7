/**
 * An in-memory copy of the monitored rows, kept current by applying <table-updates> (monitor,
 * "update") and <table-updates2> (monitor_cond / monitor_cond_since, "update2" / "update3").
 */
import { OvsdbProtocolError } from "./errors.js";
import type { TableSpec } from "./rows.js";
import type { ColumnKind, SchemaKinds } from "./schema.js";
import { asMap, asSet, decodeRow, decodeValue, encodeAtom, type Atom, type Row, type Value, type WireRow } from "./values.js";

export type ChangeKind = "initial" | "insert" | "modify" | "delete";

export interface RowChange {
  table: string;
  uuid: string;
  kind: ChangeKind;
  /** The row before the change (undefined for initial/insert). */
  old: Row | undefined;
  /** The row after the change (undefined for delete). */
  new: Row | undefined;
}

/**
 * Row objects are never mutated: every change stores a new object, so a caller may cache what it
 * derived from a row by the row object's identity (controller/ports/watcher.ts does).
 */
export class Replica {
  private readonly tables = new Map<string, Map<string, Row>>();

  constructor(private readonly kinds: SchemaKinds) {}

  /** Forgets every row (before a full resync after a reconnect). */
  reset(): void {
    this.tables.clear();
  }

  table(name: string): ReadonlyMap<string, Row> {
    return this.tables.get(name) ?? new Map<string, Row>();
  }

  rows<T>(spec: TableSpec<T>): T[] {
    return [...this.table(spec.table)].map(([uuid, row]) => spec.decode(uuid, row));
  }

  get<T>(spec: TableSpec<T>, uuid: string): T | undefined {
    const row = this.table(spec.table).get(uuid);
    return row === undefined ? undefined : spec.decode(uuid, row);
  }

  find<T>(spec: TableSpec<T>, predicate: (row: T) => boolean): T | undefined {
    return this.rows(spec).find(predicate);
  }

  /** Applies "update" <table-updates>: rows carry "old" and/or "new". */
  applyUpdate(updates: unknown, initial = false): RowChange[] {
    const changes: RowChange[] = [];
    for (const [table, uuid, update] of entries(updates)) {
      const { old: oldWire, new: newWire } = update as { old?: WireRow; new?: WireRow };
      const rows = this.rowsOf(table);
      const before = rows.get(uuid);
      if (newWire === undefined || newWire === null) {
        rows.delete(uuid);
        changes.push({ table, uuid, kind: "delete", old: before ?? decodeRow(oldWire ?? {}), new: undefined });
        continue;
      }
      const after = { ...before, ...decodeRow(newWire) };
      rows.set(uuid, after);
      const kind: ChangeKind = initial ? "initial" : before === undefined ? "insert" : "modify";
      changes.push({ table, uuid, kind, old: before, new: after });
    }
    return changes;
  }

  /** Applies "update2"/"update3" <table-updates2>: initial/insert rows, modify diffs, deletes. */
  applyUpdate2(updates: unknown): RowChange[] {
    const changes: RowChange[] = [];
    for (const [table, uuid, update] of entries(updates)) {
      const u = update as Record<string, WireRow | null | undefined>;
      const rows = this.rowsOf(table);
      const before = rows.get(uuid);
      if ("delete" in u) {
        rows.delete(uuid);
        changes.push({ table, uuid, kind: "delete", old: before, new: undefined });
      } else if (u.initial || u.insert) {
        const after = decodeRow((u.initial ?? u.insert) as WireRow);
        rows.set(uuid, after);
        changes.push({ table, uuid, kind: u.initial ? "initial" : "insert", old: before, new: after });
      } else if (u.modify) {
        const after = this.applyDiff(table, before ?? {}, u.modify);
        rows.set(uuid, after);
        changes.push({ table, uuid, kind: "modify", old: before, new: after });
      } else {
        throw new OvsdbProtocolError(`row update for ${table} ${uuid} has no known member`);
      }
    }
    return changes;
  }

  private rowsOf(table: string): Map<string, Row> {
    let rows = this.tables.get(table);
    if (!rows) this.tables.set(table, (rows = new Map()));
    return rows;
  }

  private applyDiff(table: string, before: Row, diff: WireRow): Row {
    const after: Row = { ...before };
    for (const [column, wire] of Object.entries(diff)) {
      const kind = this.kinds[table]?.[column];
      if (kind === undefined) throw new OvsdbProtocolError(`no type known for ${table}.${column}: cannot apply update2 diff`);
      after[column] = applyColumnDiff(kind, before[column], decodeValue(wire));
    }
    return after;
  }
}

/** ovsdb-server(7) 4.1.14: scalars are replaced, set elements toggled, map keys added/removed/changed. */
export function applyColumnDiff(kind: ColumnKind, before: Value | undefined, diff: Value): Value {
  if (kind === "atom") return diff;
  if (kind === "set") {
    const result = new Map<string, Atom>(asSet(before).map((a) => [atomKey(a), a]));
    for (const atom of asSet(diff)) {
      const key = atomKey(atom);
      if (result.has(key)) result.delete(key);
      else result.set(key, atom);
    }
    return [...result.values()];
  }
  const result = new Map<string, [Atom, Atom]>([...asMap(before)].map(([k, v]) => [atomKey(k), [k, v]]));
  for (const [k, v] of asMap(diff)) {
    const key = atomKey(k);
    const current = result.get(key);
    if (current !== undefined && atomKey(current[1]) === atomKey(v)) result.delete(key);
    else result.set(key, [k, v]);
  }
  return new Map([...result.values()]);
}

/** A string identifying an atom by value (Uuid objects compare by their uuid). */
export function atomKey(atom: Atom): string {
  return JSON.stringify(encodeAtom(atom));
}

function* entries(updates: unknown): Generator<[string, string, unknown]> {
  if (updates === null || typeof updates !== "object") throw new OvsdbProtocolError("table updates are not an object");
  for (const [table, rows] of Object.entries(updates)) {
    if (rows === null || typeof rows !== "object") throw new OvsdbProtocolError(`updates of ${table} are not an object`);
    for (const [uuid, update] of Object.entries(rows as object)) yield [table, uuid, update];
  }
}
