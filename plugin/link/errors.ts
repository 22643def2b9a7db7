/** Kernel-side failures of the plugin (veth, addresses, routes, offload), code 105. */
import { CniCode, CniError } from "../cni/errors.js";

export class LinkError extends CniError {
  constructor(msg: string, details?: string, options?: { cause?: unknown }) {
    super(CniCode.LinkFailure, msg, details, options);
  }
}

/** The stderr of a failed command, for error details (CommandError keeps it). */
export function stderrOf(err: unknown): string {
  const stderr = (err as { stderr?: unknown }).stderr;
  return typeof stderr === "string" ? stderr.trim() : err instanceof Error ? err.message : String(err);
}
