/** ovs-sdnctl: the operator CLI. Maps every outcome to an exit code (see errors.ts). */
import { readFileSync } from "node:fs";
import { CommanderError } from "commander";
import { asCniError } from "../../plugin/cni/errors.js";
import { ExitCode, UsageError } from "./errors.js";
import { buildProgram } from "./program.js";
import type { CommandDeps } from "./program-deps.js";

async function main(): Promise<number> {
  const deps: CommandDeps = {
    io: { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) },
    readStdin: () => readFileSync(0, "utf8"),
    exit: { code: ExitCode.ok },
  };
  try {
    await buildProgram(deps).parseAsync(process.argv);
    return deps.exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and version are "errors" to commander with exit code 0; the rest are usage errors (already printed).
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const e = asCniError(err);
    process.stderr.write(`ovs-sdnctl: ${e.message}\n`);
    if (e.details && e.details !== e.message && !e.message.includes(e.details)) process.stderr.write(`${e.details.replace(/^/gm, "  ")}\n`);
    return err instanceof UsageError ? ExitCode.usage : ExitCode.error;
  }
}

main().then((code) => {
  process.exitCode = code;
});
