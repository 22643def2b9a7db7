/**
 * Reading definition documents for `apply -f` and `delete -f`: YAML or JSON, several documents per
 * file (`---` separated, a JSON array, or a `kind: List` with `items`), a directory (every .yaml,
 * .yml and .json in it, sorted by name), or `-` for stdin. Errors name the file, the document and,
 * for YAML, the line. Only the shape needed to address a document is checked here; the controller
 * validates everything else and names the field.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { KINDS, type Kind } from "../model/types.js";
import { DocumentError } from "./errors.js";

export interface SourcedDocument {
  kind: Kind;
  name: string;
  /** The document as written. */
  doc: Record<string, unknown>;
  /** "file.yaml#2 (line 14)": where it came from, for messages. */
  origin: string;
}

const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** Parses one file's text. `source` names it in errors; JSON is used for .json names and for text that starts like JSON. */
export function parseDocuments(text: string, source: string): SourcedDocument[] {
  const trimmed = text.trimStart();
  const looksJson = extname(source) === ".json" || trimmed.startsWith("{") || trimmed.startsWith("[");
  return looksJson ? parseJson(text, source) : parseYaml(text, source);
}

function parseJson(text: string, source: string): SourcedDocument[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new DocumentError(source, `not valid JSON: ${(err as Error).message}`);
  }
  const out: SourcedDocument[] = [];
  flatten(value, source, 1).forEach(({ value: v, index }) => out.push(checkDocument(v, `${source}#${index}`)));
  return out;
}

function parseYaml(text: string, source: string): SourcedDocument[] {
  const lineCounter = new LineCounter();
  const out: SourcedDocument[] = [];
  let index = 0;
  for (const document of parseAllDocuments(text, { lineCounter })) {
    index++;
    const line = lineCounter.linePos(document.contents?.range[0] ?? document.range[0]).line;
    const where = `${source}#${index} (line ${line})`;
    const error = document.errors[0];
    if (error) throw new DocumentError(where, `not valid YAML: ${error.message.split("\n")[0]}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue; // an empty document: a trailing `---` or comments only
    const many = Array.isArray(value) || (isObject(value) && value.kind === "List");
    for (const item of flatten(value, where, 1)) out.push(checkDocument(item.value, many ? `${where} item ${item.index}` : where));
  }
  return out;
}

/** A top-level array or a `kind: List` holds documents; anything else is one document. */
function flatten(value: unknown, where: string, first: number): Array<{ value: unknown; index: number }> {
  if (Array.isArray(value)) return value.map((v, i) => ({ value: v, index: first + i }));
  if (isObject(value) && value.kind === "List") {
    if (!Array.isArray(value.items)) throw new DocumentError(where, `a List needs an "items" array`);
    return value.items.map((v: unknown, i: number) => ({ value: v, index: first + i }));
  }
  return [{ value, index: first }];
}

function checkDocument(value: unknown, where: string): SourcedDocument {
  if (!isObject(value)) throw new DocumentError(where, "a document must be a mapping with kind, metadata and spec");
  const kindText = value.kind;
  if (typeof kindText !== "string") throw new DocumentError(where, `"kind" is missing (expected one of ${KINDS.join(", ")})`);
  const kind = KINDS.find((k) => k === kindText);
  if (!kind) throw new DocumentError(where, `unknown kind "${kindText}" (expected one of ${KINDS.join(", ")})`);
  const metadata = value.metadata;
  const name = isObject(metadata) ? metadata.name : undefined;
  if (typeof name !== "string" || name === "") throw new DocumentError(where, `${kind} has no "metadata.name"`);
  return { kind, name, doc: value, origin: where };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Reads a file, every definitions file of a directory, or stdin ("-", text given by the caller). */
export function loadDocuments(path: string, readStdin: () => string): SourcedDocument[] {
  if (path === "-") return parseDocuments(readStdin(), "<stdin>");
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new DocumentError(path, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (!isDir) return parseDocuments(readText(path), path);
  const files = readdirSync(path)
    .filter((f) => EXTENSIONS.has(extname(f).toLowerCase()))
    .sort()
    .map((f) => join(path, f));
  if (files.length === 0) throw new DocumentError(path, "the directory holds no .yaml, .yml or .json file");
  return files.flatMap((f) => parseDocuments(readText(f), f));
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new DocumentError(path, `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Every document of every -f argument; a document named twice is an error (which would win?). */
export function loadAll(paths: readonly string[], readStdin: () => string): SourcedDocument[] {
  const docs = paths.flatMap((p) => loadDocuments(p, readStdin));
  const seen = new Map<string, string>();
  for (const d of docs) {
    const id = `${d.kind}/${d.name}`;
    const earlier = seen.get(id);
    if (earlier) throw new DocumentError(d.origin, `${id} is also defined at ${earlier}`);
    seen.set(id, d.origin);
  }
  return docs;
}
