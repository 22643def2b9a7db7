/**
 * The `ovs-sdn` CNI plugin: reads the config on stdin and the CNI_* environment, runs one verb,
 * prints the result (ADD, VERSION) or one CNI error JSON on stdout and exits 1 on error.
 * Nothing else ever goes to stdout; logs go to the configured file or stderr.
 */
import { writeSync } from "node:fs";
import { run } from "./run.js";

const MAX_STDIN = (1 << 20) + 1;

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_STDIN) break; // enough to know it is too large
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

const outcome = await run(process.env, await readStdin().catch(() => new Uint8Array()));
emit(outcome.stdout, outcome.exitCode);
