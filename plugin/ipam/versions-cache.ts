/**
 * Remembers which CNI versions an IPAM binary speaks, so that a config in a version the IPAM
 * does not know (a 1.1.0 config with Debian's 1.0.0 plugins) costs one IPAM run instead of three
 * (refused call, VERSION, retry). One small JSON file in the state dir, keyed by the binary's path
 * and identified by its size and mtime; replaced by an atomic rename; any problem with it only
 * means no cache. Synchronous: ADD forks the IPAM plugin first thing, before any other work of the
 * call gets a turn (the IPAM run is the longest step of an ADD), and the plugin loads no
 * node:fs/promises for these few small files.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface Entry {
  size: number;
  mtimeMs: number;
  versions: string[];
}

const FILE = "ipam-versions.json";

function identity(path: string): { size: number; mtimeMs: number } | undefined {
  try {
    const s = statSync(path);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

function readAll(stateDir: string): Record<string, Entry> {
  try {
    const json = JSON.parse(readFileSync(join(stateDir, FILE), "utf8")) as unknown;
    return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}

export function cachedVersions(stateDir: string, pluginPath: string): string[] | undefined {
  const entries = readAll(stateDir);
  const id = identity(pluginPath);
  const entry = entries[pluginPath];
  if (!id || !entry || entry.size !== id.size || entry.mtimeMs !== id.mtimeMs || !Array.isArray(entry.versions)) return undefined;
  return entry.versions.filter((v): v is string => typeof v === "string");
}

export function rememberVersions(stateDir: string, pluginPath: string, versions: string[]): void {
  const id = identity(pluginPath);
  if (!id) return;
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o755 });
    const entries = readAll(stateDir);
    entries[pluginPath] = { ...id, versions };
    const tmp = join(stateDir, `.${FILE}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(entries));
    renameSync(tmp, join(stateDir, FILE));
  } catch {
    // A read-only or missing state dir only costs the extra IPAM runs next time.
  }
}
