/**
 * The parts of an OVSDB schema (RFC 7047 section 3.2) the client needs. The replica only has to
 * know each monitored column's shape, because update2 "modify" diffs are applied differently to
 * scalars (replace), sets (toggle elements) and maps (add, remove or change keys).
 */
export type ColumnKind = "atom" | "set" | "map";

export type AtomicType = "integer" | "real" | "boolean" | "string" | "uuid";

export interface BaseType {
  type: AtomicType;
  enum?: unknown;
  minInteger?: number;
  maxInteger?: number;
  refTable?: string;
  refType?: "strong" | "weak";
}

export interface ColumnType {
  key: AtomicType | BaseType;
  value?: AtomicType | BaseType;
  min?: number;
  max?: number | "unlimited";
}

export interface ColumnSchema {
  type: AtomicType | ColumnType;
  ephemeral?: boolean;
  mutable?: boolean;
}

export interface TableSchema {
  columns: Record<string, ColumnSchema>;
  maxRows?: number;
  isRoot?: boolean;
  indexes?: string[][];
}

export interface DatabaseSchema {
  name: string;
  version: string;
  cksum?: string;
  tables: Record<string, TableSchema>;
}

/** Column shapes of one table. */
export type TableKinds = Readonly<Record<string, ColumnKind>>;
/** Column shapes per table. */
export type SchemaKinds = Readonly<Record<string, TableKinds>>;

export function columnKind(column: ColumnSchema): ColumnKind {
  const type = column.type;
  if (typeof type === "string") return "atom";
  if (type.value !== undefined) return "map";
  const min = type.min ?? 1;
  const max = type.max ?? 1;
  return min === 1 && max === 1 ? "atom" : "set";
}

export function schemaKinds(schema: DatabaseSchema): SchemaKinds {
  const kinds: Record<string, TableKinds> = {};
  for (const [table, tableSchema] of Object.entries(schema.tables)) {
    const columns: Record<string, ColumnKind> = {};
    for (const [name, column] of Object.entries(tableSchema.columns)) columns[name] = columnKind(column);
    kinds[table] = columns;
  }
  return kinds;
}

/** Every table carries these two columns, which schemas do not list. */
export const IMPLICIT_COLUMNS: TableKinds = { _uuid: "atom", _version: "atom" };
