/**
 * Logging never touches stdout (it carries the CNI result). Lines are JSON in pino's format (level
 * numbers, time, pid, msg, fields), written synchronously to the configured logFile or to stderr.
 * The plugin does not bundle pino itself: even unused, its code costs ≈ 6 ms of every call's
 * start-up (docs/performance-plugin.md); a short-lived process needs none of its machinery.
 * Default (no logFile, no logLevel): warnings and errors on stderr.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { mkdirSync } from "node:fs";

export type LogFn = (fields: Record<string, unknown>, msg: string) => void;

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** Releases the log file; call before exiting. */
  close(): void;
}

export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;
export type LevelName = keyof typeof LEVELS;

export interface LoggerOptions {
  /** Absolute path; created (with its directory) and appended to. Default: stderr. */
  file?: string | undefined;
  level?: string | undefined;
  context: Record<string, unknown>;
}

/** Throws if the file cannot be opened (the caller falls back to stderr). */
export function createLogger(options: LoggerOptions): Logger {
  const min = LEVELS[(options.level ?? "warn") as LevelName] ?? LEVELS.warn;
  let fd = 2;
  if (options.file !== undefined) {
    mkdirSync(dirname(options.file), { recursive: true });
    fd = openSync(options.file, "a", 0o640);
  }
  const base = { pid: process.pid, ...options.context };
  const at = (level: number): LogFn =>
    level < min
      ? () => undefined
      : (fields, msg) => {
          // ms: time since the process started, to see where a slow call spends it.
          writeSync(fd, `${JSON.stringify({ level, time: Date.now(), ms: Math.round(performance.now()), ...base, ...fields, msg })}\n`);
        };
  return {
    debug: at(LEVELS.debug),
    info: at(LEVELS.info),
    warn: at(LEVELS.warn),
    error: at(LEVELS.error),
    close: () => {
      if (fd !== 2) closeSync(fd);
      fd = 2;
    },
  };
}

/** An error as log fields: message, code and details, never a stack. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const { code, details } = err as Error & { code?: unknown; details?: unknown };
    return { err: err.message, ...(code === undefined ? {} : { code }), ...(details === undefined ? {} : { details }) };
  }
  return { err: String(err) };
}
