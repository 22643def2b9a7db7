/**
 * The CLI's errors and exit codes. Every failure reaching main.ts is a CniError (the project's one
 * error base); the exit code says what kind of failure it was so scripts can tell them apart.
 */
import { CniCode, CniError } from "../../plugin/cni/errors.js";

export const ExitCode = {
  ok: 0,
  /** Something failed: a request, a command, a file. */
  error: 1,
  /** The command line is wrong (unknown option, missing argument, bad value). */
  usage: 2,
  /** `doctor` ran and found at least one problem. */
  problemsFound: 3,
} as const;

/** A wrong command line: exit code 2. */
export class UsageError extends CniError {
  constructor(message: string) {
    super(CniCode.InvalidConfig, message);
  }
}

/** A definitions file that cannot be read or parsed; names the file and the document. */
export class DocumentError extends CniError {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(CniCode.DecodeFailure, `${source}: ${message}`);
  }
}
