/** The few durable file operations the store is built from. Synchronous: they are tiny and local. */
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, statSync, unlinkSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

export function nonce(): string {
  return randomBytes(6).toString("hex");
}

export function errnoOf(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `content` to a new file in `dir` and fsyncs it. The name starts with the pid for diagnosis. */
export function writeDurableTemp(dir: string, content: string): string {
  const path = join(dir, `${process.pid}-${nonce()}`);
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return path;
}

export type LinkOutcome = "linked" | "exists" | "source-missing" | "target-dir-missing";

/** link(2) is atomic and fails when the target exists: the store's only mutual exclusion. */
export function linkExclusive(source: string, target: string): LinkOutcome {
  try {
    linkSync(source, target);
    return "linked";
  } catch (err) {
    const code = errnoOf(err);
    if (code === "EEXIST") return "exists";
    if (code === "ENOENT") return exists(source) ? "target-dir-missing" : "source-missing";
    throw err;
  }
}

export function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return false;
    throw err;
  }
}

/** File content, or undefined when the file does not exist. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    if (errnoOf(err) === "ENOENT") return undefined;
    throw err;
  }
}

export function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (err) {
    if (errnoOf(err) !== "ENOENT") throw err;
  }
}

export function ensureDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
}

export function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
