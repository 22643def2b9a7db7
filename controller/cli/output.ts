/**
 * Output for people and for scripts: aligned tables (the default), JSON or YAML (`-o json|yaml`).
 * Commands hand over plain data plus column definitions; nothing else in the CLI formats.
 */
import { stringify as toYaml } from "yaml";
import { UsageError } from "./errors.js";

export const FORMATS = ["table", "json", "yaml"] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(text: string | undefined): Format {
  const format = (text ?? "table").toLowerCase();
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown output format "${text}" (expected ${FORMATS.join(", ")})`);
  return format as Format;
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined;
  /** Right-align (numbers). */
  right?: boolean;
}

/** Rows as an aligned text table with upper-case headers; "<none>" when there are no rows. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], indent = ""): string {
  if (rows.length === 0) return `${indent}<none>\n`;
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const headers = columns.map((c) => c.header.toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    indent +
    values
      .map((v, i) => (i === values.length - 1 && !columns[i]!.right ? v : columns[i]!.right ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...cells.map(line)].join("\n") + "\n";
}

function cellText(value: string | number | undefined): string {
  if (value === undefined || value === "") return "-";
  return String(value).replace(/\s+/g, " ");
}

/** Structured data for scripts: JSON (2-space indent) or YAML, always newline-terminated. */
export function renderData(format: Exclude<Format, "table">, data: unknown): string {
  if (format === "json") return `${JSON.stringify(data, bigintReplacer, 2)}\n`;
  return toYaml(JSON.parse(JSON.stringify(data, bigintReplacer)) as unknown, { lineWidth: 0 });
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `0x${value.toString(16)}` : value;
}

/** Table for people, data for scripts: what most commands print. */
export function render<T>(format: Format, rows: readonly T[], columns: readonly Column<T>[], data: unknown = rows): string {
  return format === "table" ? renderTable(rows, columns) : renderData(format, data);
}

/** "3m20s", "2h5m", "4d3h": the age of a timestamp for tables. */
export function age(iso: string | undefined, now = Date.now()): string | undefined {
  if (!iso) return undefined;
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return undefined;
  const s = Math.max(Math.floor(ms / 1000), 0);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60 ? `${s % 60}s` : ""}`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60) ? `${Math.floor((s % 3600) / 60)}m` : ""}`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600) ? `${Math.floor((s % 86400) / 3600)}h` : ""}`;
}

export interface Section<T> {
  title: string;
  rows: readonly T[];
}

/**
 * Several titled blocks of rows aligned as one table: the header once at the top, each block under
 * its title, the rows indented below it. Used where rows fall into groups (flows per port).
 */
export function renderSections<T>(sections: readonly Section<T>[], columns: readonly Column<T>[], indent = "  "): string {
  const all = sections.flatMap((s) => s.rows);
  if (all.length === 0) return "<none>\n";
  const table = renderTable(all, columns, indent).split("\n");
  const lines = [table[0]!];
  let next = 1;
  for (const section of sections) {
    lines.push(section.title);
    for (let i = 0; i < section.rows.length; i++) lines.push(table[next++]!);
  }
  return `${lines.join("\n")}\n`;
}
