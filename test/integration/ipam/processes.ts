/** Spawning and collecting worker processes; every child is tracked so tests can kill exactly their own. */
import { spawn, type ChildProcess } from "node:child_process";
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
