/** What commands get besides their arguments: output streams, stdin, and the exit code to report. */
import { Option, type Command } from "commander";
import { CliContext, type GlobalOptions, type Output } from "./context.js";
import { FORMATS, parseFormat, type Format } from "./output.js";

export interface CommandDeps {
  io: Output;
  /** The whole of stdin (for `apply -f -`). */
  readStdin: () => string;
  /** Set by a command that finished but must not exit 0 (doctor found problems). */
  exit: { code: number };
}

/** The context of a running subcommand, from its own and the program's options. */
export function contextOf(cmd: Command, deps: CommandDeps): CliContext {
  return new CliContext(cmd.optsWithGlobals<GlobalOptions>(), deps.io);
}

export function outputOption(): Option {
  return new Option("-o, --output <format>", "output format").choices([...FORMATS]).default("table");
}

export function formatOf(cmd: Command): Format {
  return parseFormat(cmd.opts<{ output?: string }>().output);
}
