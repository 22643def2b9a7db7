/**
 * The `ovs-sdn` CNI plugin: reads the config on stdin and the CNI_* environment, runs one verb,
 * prints the result (ADD, VERSION) or one CNI error JSON on stdout and exits 1 on error.
 * Nothing else ever goes to stdout; logs go to the configured file or stderr.
 */
import { readSync, writeSync } from "node:fs";
import { run } from "./run.js";

const MAX_STDIN = (1 << 20) + 1;

/**
 * Reads fd 0 with plain read(2) calls: constructing process.stdin would load stream machinery
 * (≈ 2 ms). Stops once the config is known to be too large. Falls back to the stream for a
 * non-blocking stdin (EAGAIN).
 */
async function readStdin(): Promise<Uint8Array> {
  const buffer = Buffer.alloc(MAX_STDIN);
  let size = 0;
  try {
    for (;;) {
      const n = readSync(0, buffer, size, MAX_STDIN - size, null);
      if (n === 0) break;
      size += n;
      if (size >= MAX_STDIN) break; // enough to know it is too large
    }
    return buffer.subarray(0, size);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
  }
  const chunks: Buffer[] = [buffer.subarray(0, size)];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_STDIN) break;
  }
  return Buffer.concat(chunks);
}

function emit(text: string, code: number): never {
  if (text !== "") writeSync(1, text);
  process.exit(code);
}

const fatal = (err: unknown) =>
  emit(`${JSON.stringify({ cniVersion: "1.1.0", code: 999, msg: `internal error: ${err instanceof Error ? err.message : String(err)}` })}\n`, 1);
process.on("uncaughtException", fatal);
process.on("unhandledRejection", fatal);

// No top-level await: the bundle is CommonJS, which Node loads ≈ 5 ms faster than an ES module.
void readStdin()
  .catch(() => new Uint8Array())
  .then((stdin) => run(process.env, stdin))
  .then((outcome) => emit(outcome.stdout, outcome.exitCode), fatal);
