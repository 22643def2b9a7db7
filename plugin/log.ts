/**
 * Logging never touches stdout (it carries the CNI result). With logFile or logLevel configured the
 * plugin loads pino (to the file, else stderr); without, a few-line stderr writer reports warnings
 * and errors only, which keeps pino's ~15 ms of module loading off every call.
 */
export type LogFn = (fields: Record<string, unknown>, msg: string) => void;

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  /** Writes out anything buffered; call before exiting. */
  flush(): void;
}

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity } as const;

/** The default: JSON lines on stderr at warn and above. */
export function stderrLogger(context: Record<string, unknown>): Logger {
  const write = (level: number) => (fields: Record<string, unknown>, msg: string) => {
    process.stderr.write(`${JSON.stringify({ level, time: Date.now(), ...context, ...fields, msg })}\n`);
  };
  const skip: LogFn = () => undefined;
  return { debug: skip, info: skip, warn: write(LEVELS.warn), error: write(LEVELS.error), flush: () => undefined };
}

export async function pinoLogger(options: { file: string | undefined; level: string | undefined; context: Record<string, unknown> }): Promise<Logger> {
  const { default: pino } = await import("pino");
  const dest = pino.destination({ dest: options.file ?? 2, sync: true, mkdir: true, append: true });
  // ms: time since the process started, to see where a slow call spends it.
  const log = pino({ level: options.level ?? "info", base: { pid: process.pid, ...options.context }, mixin: () => ({ ms: Math.round(performance.now()) }) }, dest);
  return {
    debug: (f, m) => log.debug(f, m),
    info: (f, m) => log.info(f, m),
    warn: (f, m) => log.warn(f, m),
    error: (f, m) => log.error(f, m),
    flush: () => dest.flushSync(),
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
