/**
 * Watching the file store: a cursor that reads the log's entry files in revision order, following
 * seals into the next generation. It sleeps until fs.watch (inotify) reports a change in the
 * generation directory, a local commit happens, or the fallback poll interval passes.
 */
import { watch as fsWatch, type FSWatcher } from "node:fs";
import { StoreCompactedError, StoreError } from "../errors.js";
import type { WatchEvent } from "../types.js";
import { decodeEntry, entryPath, parseGenerationName, type Generation, type Paths } from "./layout.js";
import { exists, readIfExists } from "./fsutil.js";
import { confirmGeneration, listGenerations } from "./generations.js";

export interface WatchContext {
  paths: Paths;
  /** Registers a callback run after local commits and on close; returns the unregister function. */
  subscribe(wake: () => void): () => void;
  isClosed(): boolean;
  pollMs: number;
}

/** The generation holding revision `rev`: the newest confirmed one whose base is below it. */
function locate(paths: Paths, rev: number): Generation {
  const confirmed = listGenerations(paths).filter((g) => g.confirmed);
  const candidates = confirmed.filter((g) => g.base < rev);
  const found = candidates[candidates.length - 1];
  if (!found) throw new StoreCompactedError(rev, (confirmed[0]?.base ?? 0) + 1);
  return found;
}

/** Sleeps until something may have changed. A change during the last read is latched. */
class Waiter {
  private dirty = false;
  private wakeNow: (() => void) | undefined;
  private watcher: FSWatcher | undefined;
  private readonly unsubscribe: () => void;
  private readonly onAbort = () => this.wake();

  constructor(
    private readonly ctx: WatchContext,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.unsubscribe = ctx.subscribe(() => this.wake());
    signal?.addEventListener("abort", this.onAbort);
  }

  private wake(): void {
    this.dirty = true;
    this.wakeNow?.();
  }

  watchDir(dir: string): void {
    this.watcher?.close();
    try {
      this.watcher = fsWatch(dir, () => this.wake());
      this.watcher.on("error", () => this.watcher?.close());
    } catch {
      this.watcher = undefined; // the poll still finds changes
    }
  }

  clear(): void {
    this.dirty = false;
  }

  wait(): Promise<void> {
    if (this.dirty) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.wakeNow?.(), this.ctx.pollMs);
      this.wakeNow = () => {
        clearTimeout(timer);
        this.wakeNow = undefined;
        resolve();
      };
    });
  }

  close(): void {
    this.watcher?.close();
    this.unsubscribe();
    this.signal?.removeEventListener("abort", this.onAbort);
    this.wakeNow?.();
  }
}

export async function* watchLog<T>(ctx: WatchContext, prefix: string, fromRevision: number, signal?: AbortSignal): AsyncGenerator<WatchEvent<T>> {
  let next = Math.max(1, fromRevision);
  let gen = locate(ctx.paths, next);
  const waiter = new Waiter(ctx, signal);
  try {
    waiter.watchDir(gen.dir);
    while (!signal?.aborted && !ctx.isClosed()) {
      waiter.clear();
      const text = readIfExists(entryPath(gen, next));
      if (text === undefined) {
        if (!exists(gen.dir)) throw new StoreCompactedError(next, locateOldest(ctx.paths));
        await waiter.wait();
        continue;
      }
      const entry = decodeEntry(text);
      if (!entry) throw new StoreError(`file store: unreadable entry ${entryPath(gen, next)}`);
      if (entry.op === "seal") {
        const following = parseGenerationName(ctx.paths, entry.next);
        if (!following || !confirmGeneration(following)) throw new StoreCompactedError(next + 1, locateOldest(ctx.paths));
        gen = following;
        waiter.watchDir(gen.dir);
      } else if (entry.key.startsWith(prefix)) {
        yield entry.op === "put"
          ? { type: "put", key: entry.key, value: JSON.parse(entry.valueText) as T, revision: next }
          : { type: "delete", key: entry.key, revision: next };
      }
      next++;
    }
  } finally {
    waiter.close();
  }
}

function locateOldest(paths: Paths): number {
  const confirmed = listGenerations(paths).filter((g) => g.confirmed);
  return (confirmed[0]?.base ?? 0) + 1;
}
