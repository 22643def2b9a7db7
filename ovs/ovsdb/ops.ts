/**
 * Transaction operation builders (RFC 7047 section 5.2). Each returns the exact wire object, so a
 * transaction is just an array of these handed to `client.transact(db, ops)`.
 */
import { OvsdbProtocolError } from "./errors.js";
import { decodeRow, encodeRow, encodeValue, isValidName, type Row, type ValueInput, type WireRow, type WireValue } from "./values.js";

export type ConditionFunction = "<" | "<=" | "==" | "!=" | ">=" | ">" | "includes" | "excludes";
export type Condition = [column: string, fn: ConditionFunction, value: WireValue];
export type Mutator = "+=" | "-=" | "*=" | "/=" | "%=" | "insert" | "delete";
export type Mutation = [column: string, mutator: Mutator, value: WireValue];
type RowInput = Readonly<Record<string, ValueInput | undefined>>;

export function condition(column: string, fn: ConditionFunction, value: ValueInput): Condition {
  return [column, fn, encodeValue(value)];
}

/** Shorthands for the conditions used most. */
export const where = {
  eq: (column: string, value: ValueInput): Condition => condition(column, "==", value),
  ne: (column: string, value: ValueInput): Condition => condition(column, "!=", value),
  includes: (column: string, value: ValueInput): Condition => condition(column, "includes", value),
  excludes: (column: string, value: ValueInput): Condition => condition(column, "excludes", value),
};

export function mutation(column: string, mutator: Mutator, value: ValueInput): Mutation {
  return [column, mutator, encodeValue(value)];
}

export interface InsertOp { op: "insert"; table: string; row: WireRow; "uuid-name"?: string }
export interface SelectOp { op: "select"; table: string; where: Condition[]; columns?: string[] }
export interface UpdateOp { op: "update"; table: string; where: Condition[]; row: WireRow }
export interface MutateOp { op: "mutate"; table: string; where: Condition[]; mutations: Mutation[] }
export interface DeleteOp { op: "delete"; table: string; where: Condition[] }
export interface WaitOp {
  op: "wait";
  table: string;
  where: Condition[];
  columns: string[];
  until: "==" | "!=";
  rows: WireRow[];
  timeout?: number;
}
export interface CommitOp { op: "commit"; durable: boolean }
export interface AbortOp { op: "abort" }
export interface CommentOp { op: "comment"; comment: string }
export interface AssertOp { op: "assert"; lock: string }
export type Operation = InsertOp | SelectOp | UpdateOp | MutateOp | DeleteOp | WaitOp | CommitOp | AbortOp | CommentOp | AssertOp;

export interface WaitSpec {
  where: Condition[];
  columns: string[];
  /** "==": wait until the selected rows equal `rows`; "!=": until they differ. */
  until: "==" | "!=";
  rows: RowInput[];
  /** Milliseconds the server may wait; 0 (the default here) turns the wait into an immediate check. */
  timeout?: number;
}

export const op = {
  insert(table: string, row: RowInput, uuidName?: string): InsertOp {
    const o: InsertOp = { op: "insert", table, row: encodeRow(row) };
    if (uuidName !== undefined) {
      if (!isValidName(uuidName)) throw new TypeError(`invalid named-uuid "${uuidName}"`);
      o["uuid-name"] = uuidName;
    }
    return o;
  },
  select(table: string, conditions: Condition[], columns?: string[]): SelectOp {
    const o: SelectOp = { op: "select", table, where: conditions };
    if (columns) o.columns = columns;
    return o;
  },
  update(table: string, conditions: Condition[], row: RowInput): UpdateOp {
    return { op: "update", table, where: conditions, row: encodeRow(row) };
  },
  mutate(table: string, conditions: Condition[], mutations: Mutation[]): MutateOp {
    return { op: "mutate", table, where: conditions, mutations };
  },
  delete(table: string, conditions: Condition[]): DeleteOp {
    return { op: "delete", table, where: conditions };
  },
  wait(table: string, spec: WaitSpec): WaitOp {
    return {
      op: "wait",
      table,
      where: spec.where,
      columns: spec.columns,
      until: spec.until,
      rows: spec.rows.map(encodeRow),
      timeout: spec.timeout ?? 0,
    };
  },
  commit(durable = false): CommitOp {
    return { op: "commit", durable };
  },
  abort(): AbortOp {
    return { op: "abort" };
  },
  comment(text: string): CommentOp {
    return { op: "comment", comment: text };
  },
  assert(lock: string): AssertOp {
    return { op: "assert", lock };
  },
};

/** One element of a transact reply; which members are present depends on the operation. */
export interface OperationResult {
  uuid?: unknown;
  rows?: WireRow[];
  count?: number;
  error?: string;
  details?: string;
}

/** The uuid an insert created. */
export function insertedUuid(result: OperationResult | undefined): string {
  const u = result?.uuid;
  if (Array.isArray(u) && u[0] === "uuid" && typeof u[1] === "string") return u[1];
  throw new OvsdbProtocolError(`insert result has no uuid: ${JSON.stringify(result)}`);
}

/** The rows a select returned, decoded. */
export function selectedRows(result: OperationResult | undefined): Row[] {
  if (!result || !Array.isArray(result.rows)) throw new OvsdbProtocolError(`select result has no rows: ${JSON.stringify(result)}`);
  return result.rows.map(decodeRow);
}

/** How many rows an update, mutate or delete touched. */
export function affectedCount(result: OperationResult | undefined): number {
  if (!result || typeof result.count !== "number") throw new OvsdbProtocolError(`result has no count: ${JSON.stringify(result)}`);
  return result.count;
}
