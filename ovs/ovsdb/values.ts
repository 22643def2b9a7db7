/**
 * OVSDB values (RFC 7047 section 5.1) in JavaScript:
 *   atom         string | number | boolean | Uuid | NamedUuid
 *   set          Atom[]                      wire: ["set", [...]] (a 1-element set may be sent as the bare atom)
 *   map          Map<Atom, Atom>             wire: ["map", [[k, v], ...]]
 * Plain objects are accepted as string-keyed maps on input, for the common external_ids case.
 */
import { OvsdbProtocolError } from "./errors.js";

/** A reference to an existing row: ["uuid", "..."]. */
export class Uuid {
  constructor(readonly value: string) {}
  toJSON(): ["uuid", string] {
    return ["uuid", this.value];
  }
  toString(): string {
    return this.value;
  }
}

/** A reference to a row inserted earlier in the same transaction: ["named-uuid", "..."]. */
export class NamedUuid {
  constructor(readonly name: string) {}
  toJSON(): ["named-uuid", string] {
    return ["named-uuid", this.name];
  }
}

export type Atom = string | number | boolean | Uuid | NamedUuid;
export type Value = Atom | Atom[] | Map<Atom, Atom>;
/** What callers may pass where a value is expected. */
export type ValueInput = Value | Readonly<Record<string, Atom>> | readonly Atom[];
export type WireValue = string | number | boolean | [string, unknown];

export const uuid = (value: string): Uuid => new Uuid(value);
export const namedUuid = (name: string): NamedUuid => new NamedUuid(name);

/** RFC 7047 <id>: named-uuid names must look like identifiers. */
const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidName(name: string): boolean {
  return ID_PATTERN.test(name);
}

export function encodeAtom(atom: Atom): WireValue {
  if (atom instanceof Uuid) return ["uuid", atom.value];
  if (atom instanceof NamedUuid) return ["named-uuid", atom.name];
  if (typeof atom === "number" && !Number.isFinite(atom)) throw new TypeError(`OVSDB cannot encode number ${atom}`);
  return atom;
}

export function encodeValue(value: ValueInput): WireValue {
  if (Array.isArray(value)) return ["set", value.map((a: Atom) => encodeAtom(a))];
  if (value instanceof Map) return ["map", [...value].map(([k, v]) => [encodeAtom(k), encodeAtom(v)])];
  if (isAtom(value)) return encodeAtom(value);
  return ["map", Object.entries(value).map(([k, v]) => [k, encodeAtom(v)])];
}

function isAtom(value: unknown): value is Atom {
  return (
    typeof value === "string" ||
    typeof value === "number" ||
    typeof value === "boolean" ||
    value instanceof Uuid ||
    value instanceof NamedUuid
  );
}

export function decodeAtom(wire: unknown): Atom {
  if (typeof wire === "string" || typeof wire === "number" || typeof wire === "boolean") return wire;
  if (Array.isArray(wire) && wire.length === 2 && typeof wire[1] === "string") {
    if (wire[0] === "uuid") return new Uuid(wire[1]);
    if (wire[0] === "named-uuid") return new NamedUuid(wire[1]);
  }
  throw new OvsdbProtocolError(`not an OVSDB atom: ${JSON.stringify(wire)}`);
}

export function decodeValue(wire: unknown): Value {
  if (Array.isArray(wire) && wire.length === 2 && Array.isArray(wire[1])) {
    if (wire[0] === "set") return (wire[1] as unknown[]).map(decodeAtom);
    if (wire[0] === "map") {
      const map = new Map<Atom, Atom>();
      for (const pair of wire[1] as unknown[]) {
        if (!Array.isArray(pair) || pair.length !== 2) throw new OvsdbProtocolError(`bad map pair: ${JSON.stringify(pair)}`);
        map.set(decodeAtom(pair[0]), decodeAtom(pair[1]));
      }
      return map;
    }
  }
  return decodeAtom(wire);
}

/** A row on the wire: column name -> wire value. */
export type WireRow = Record<string, unknown>;
/** A decoded row: column name -> value. */
export type Row = Record<string, Value>;

export function decodeRow(wire: WireRow): Row {
  const row: Row = {};
  for (const [column, value] of Object.entries(wire)) row[column] = decodeValue(value);
  return row;
}

export function encodeRow(row: Readonly<Record<string, ValueInput | undefined>>): WireRow {
  const wire: WireRow = {};
  for (const [column, value] of Object.entries(row)) if (value !== undefined) wire[column] = encodeValue(value);
  return wire;
}

// ---- Views used by typed rows: tolerate the 1-element-set-as-atom shortcut and absent columns. ----

/** Any value as a set (an absent column is the empty set). */
export function asSet(value: Value | undefined): Atom[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (value instanceof Map) throw new TypeError("expected a set, got a map");
  return [value];
}

/** Any value as a map (an absent column is the empty map). */
export function asMap(value: Value | undefined): Map<Atom, Atom> {
  if (value === undefined) return new Map();
  if (value instanceof Map) return value;
  if (Array.isArray(value) && value.length === 0) return new Map(); // an empty map may arrive as ["set", []]
  throw new TypeError("expected a map");
}

/** A string->string map (external_ids, other_config, options, status). */
export function asStringMap(value: Value | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of asMap(value)) out[String(k)] = String(v);
  return out;
}

/** The single element of an optional column (set of 0 or 1), or undefined. */
export function asOptional(value: Value | undefined): Atom | undefined {
  return asSet(value)[0];
}

export function uuidString(atom: Atom | undefined): string | undefined {
  if (atom instanceof Uuid) return atom.value;
  return typeof atom === "string" ? atom : undefined;
}

export function asUuids(value: Value | undefined): string[] {
  return asSet(value).flatMap((a) => (a instanceof Uuid ? [a.value] : []));
}

export function asNumber(value: Value | undefined): number | undefined {
  const atom = asOptional(value);
  return typeof atom === "number" ? atom : undefined;
}

export function asString(value: Value | undefined): string | undefined {
  const atom = asOptional(value);
  return typeof atom === "string" ? atom : undefined;
}
