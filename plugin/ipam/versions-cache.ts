/**
 * Remembers which CNI versions an IPAM binary speaks, so that a config in a version the IPAM
 * does not know (a 1.1.0 config with Debian's 1.0.0 plugins) costs one IPAM run instead of three
 * (refused call, VERSION, retry). One small JSON file in the state dir, keyed by the binary's path
 * and identified by its size and mtime; replaced by an atomic rename; any problem with it only
 * means no cache.
 */
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";

interface Entry {
  size: number;
  mtimeMs: number;
  versions: string[];
}

const FILE = "ipam-versions.json";

async function identity(path: string): Promise<{ size: number; mtimeMs: number } | undefined> {
  try {
    const s = await stat(path);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

async function readAll(stateDir: string): Promise<Record<string, Entry>> {
  try {
    const json = JSON.parse(await readFile(join(stateDir, FILE), "utf8")) as unknown;
    return typeof json === "object" && json !== null && !Array.isArray(json) ? (json as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}

export async function cachedVersions(stateDir: string, pluginPath: string): Promise<string[] | undefined> {
  const [entries, id] = await Promise.all([readAll(stateDir), identity(pluginPath)]);
  const entry = entries[pluginPath];
  if (!id || !entry || entry.size !== id.size || entry.mtimeMs !== id.mtimeMs || !Array.isArray(entry.versions)) return undefined;
  return entry.versions.filter((v): v is string => typeof v === "string");
}

export async function rememberVersions(stateDir: string, pluginPath: string, versions: string[]): Promise<void> {
  const id = await identity(pluginPath);
  if (!id) return;
  try {
    await mkdir(stateDir, { recursive: true, mode: 0o755 });
    const entries = await readAll(stateDir);
    entries[pluginPath] = { ...id, versions };
    const tmp = join(stateDir, `.${FILE}.${process.pid}`);
    await writeFile(tmp, JSON.stringify(entries));
    await rename(tmp, join(stateDir, FILE));
  } catch {
    // A read-only or missing state dir only costs the extra IPAM runs next time.
  }
}
