/** Spawning and collecting worker processes; every child is tracked so tests can kill exactly their own. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { bundleWorker } from "./bundle-worker.js";
import type { WorkerArgs } from "./worker.js";

export interface Worker {
  child: ChildProcess;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

export function startWorker(script: string, args: WorkerArgs): Worker {
  const child = spawn(process.execPath, [script, JSON.stringify(args)], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const parts = stdout.split("\n");
    stdout = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, lines, exited };
}

/** Kills a worker we started (by its pid) and waits for it to be gone. */
export async function killWorker(worker: Worker): Promise<void> {
  if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
  await worker.exited;
}

export interface WorkerPool {
  /** A temp dir of this test file's own, removed after its tests. */
  readonly dir: string;
  /** Every worker started through start(), killed after the file's tests. */
  readonly workers: Worker[];
  start(args: WorkerArgs): Worker;
}

/** Registers the file's beforeAll/afterAll: a temp dir with the bundled worker, and cleanup of both. */
export function useWorkerPool(prefix: string): WorkerPool {
  let script = "";
  const pool = {
    dir: "",
    workers: [] as Worker[],
    start(args: WorkerArgs): Worker {
      const worker = startWorker(script, args);
      pool.workers.push(worker);
      return worker;
    },
  };
  beforeAll(async () => {
    pool.dir = mkdtempSync(join(tmpdir(), prefix));
    script = await bundleWorker(pool.dir);
  });
  afterAll(async () => {
    for (const w of pool.workers) await killWorker(w);
    if (pool.dir) rmSync(pool.dir, { recursive: true, force: true });
  });
  return pool;
}
