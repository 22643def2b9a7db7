/** JSON logs (pino) to a file or stderr; never stdout, which the CLI uses for results. */
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(options: { file: string; level: string; name: string }): Logger {
  const destination = options.file ? pino.destination({ dest: options.file, mkdir: true, sync: false }) : pino.destination(2);
  return pino({ name: options.name, level: options.level, base: { pid: process.pid } }, destination);
}
