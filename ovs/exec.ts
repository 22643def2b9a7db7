import { spawn } from "node:child_process";
import { CniCode, CniError } from "../plugin/cni/errors.js";

/** A child process that failed to start, timed out or exited non-zero. */
export class CommandError extends CniError {
  constructor(
    readonly command: string,
    readonly exitCode: number | null,
    readonly stderr: string,
    reason: string,
  ) {
    super(CniCode.IoFailure, `${command}: ${reason}${stderr.trim() ? `: ${stderr.trim()}` : ""}`);
  }
}

export interface RunOptions {
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  /** Run inside this named network namespace (`ip netns exec`). */
  netns?: string;
  /** Environment of the child; defaults to this process's. */
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Exit codes that count as success besides 0 (e.g. `ovs-ofctl diff-flows` exits 2 on differences). */
  okExitCodes?: number[];
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** Runs a command without a shell; resolves with its output, rejects with a CommandError. */
export function runFull(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, argv] = opts.netns ? ["ip", ["netns", "exec", opts.netns, cmd, ...args]] : [cmd, [...args]];
  const display = [cmd, ...args].join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { env: opts.env ?? process.env, stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, opts.timeoutMs ?? 30_000);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new CommandError(display, null, "", e.message));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(err).toString("utf8");
      if (timedOut) return reject(new CommandError(display, null, stderr, `timed out after ${opts.timeoutMs ?? 30_000} ms`));
      if (code === 0 || (code !== null && opts.okExitCodes?.includes(code))) return resolve({ stdout, stderr, exitCode: code });
      reject(new CommandError(display, code, stderr, signal ? `killed by ${signal}` : `exited with ${code}`));
    });
    child.stdin.on("error", () => undefined); // the child may exit before reading its input
    child.stdin.end(opts.input ?? "");
  });
}

/** Runs a command and resolves with its stdout. */
export async function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return (await runFull(cmd, args, opts)).stdout;
}
