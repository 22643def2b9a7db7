/**
 * Typed OVSDB errors. All extend CniError so the plugin entry can turn any of them into a CNI
 * error result; the CNI code tells the runtime whether retrying makes sense.
 */
import { CniCode, CniError } from "../../plugin/cni/errors.js";

/** errno codes that mean "the server is not there (yet)": worth retrying later. */
const RETRYABLE_ERRNO = new Set(["ECONNREFUSED", "ENOENT", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EAGAIN"]);

/** The connection could not be opened, broke, or was closed while a call was pending. */
export class OvsdbTransportError extends CniError {
  /** errno-style code of the underlying socket error, when there was one. */
  readonly errno: string | undefined;

  constructor(message: string, options: { errno?: string; cause?: unknown; retryable?: boolean } = {}) {
    const retryable = options.retryable ?? (options.errno !== undefined && RETRYABLE_ERRNO.has(options.errno));
    super(retryable ? CniCode.TryAgainLater : CniCode.IoFailure, message, options.errno, { cause: options.cause });
    this.errno = options.errno;
  }
}

/** The peer sent bytes or JSON that are not valid OVSDB JSON-RPC; the connection cannot continue. */
export class OvsdbProtocolError extends OvsdbTransportError {
  constructor(message: string) {
    super(`OVSDB protocol error: ${message}`);
  }
}

/** A call got no answer in time. The server is alive but slow or stuck: try again later. */
export class OvsdbTimeoutError extends OvsdbTransportError {
  constructor(
    readonly method: string,
    readonly timeoutMs: number,
  ) {
    super(`OVSDB ${method} got no reply within ${timeoutMs} ms`, { retryable: true });
  }
}

/** The server answered a JSON-RPC request with an error (unknown method, unknown database, ...). */
export class OvsdbRpcError extends CniError {
  constructor(
    readonly method: string,
    /** The server's `error` member, as sent. */
    readonly rpcError: unknown,
  ) {
    super(CniCode.OvsdbFailure, `OVSDB ${method} failed: ${describeRpcError(rpcError)}`, JSON.stringify(rpcError));
  }
}

/** Where and why a transaction failed; index is the failing operation (or ops.length for commit). */
export interface OperationFailure {
  index: number;
  /** "insert", "mutate", ... or "commit" when all operations passed but the commit did not. */
  op: string;
  table: string | undefined;
  /** The server's error string, e.g. "constraint violation", "timed out", "referential integrity violation". */
  error: string;
  details: string | undefined;
}

/** One operation of a transaction (or its commit) failed; nothing of the transaction was applied. */
export class OvsdbOperationError extends CniError {
  readonly failure: OperationFailure;

  constructor(failure: OperationFailure, hint?: string) {
    const where = `operation ${failure.index} (${failure.op}${failure.table ? ` on ${failure.table}` : ""})`;
    const why = `${failure.error}${failure.details ? `: ${failure.details}` : ""}`;
    super(CniCode.OvsdbFailure, `OVSDB transaction failed at ${where}: ${hint ? `${hint} (${why})` : why}`, failure.details);
    this.failure = failure;
  }

  get index(): number {
    return this.failure.index;
  }
  get op(): string {
    return this.failure.op;
  }
  get table(): string | undefined {
    return this.failure.table;
  }
  get serverError(): string {
    return this.failure.error;
  }
}

/** A request is valid OVSDB but conflicts with what is in the database (port owned by someone else, ...). */
export class OvsdbConflictError extends CniError {
  constructor(message: string, details?: string) {
    super(CniCode.OvsdbFailure, message, details);
  }
}

/** ovs-vswitchd did not apply a change in time, or an interface has no usable ofport. */
export class OvsApplyError extends CniError {
  constructor(
    message: string,
    /** Interface.error as reported by vswitchd, when there is one. */
    readonly interfaceError?: string,
    readonly ofport?: number,
  ) {
    super(CniCode.OvsApplyFailure, message, interfaceError);
  }
}

function describeRpcError(error: unknown): string {
  if (typeof error === "string") return error;
  if (error !== null && typeof error === "object") {
    const e = error as { error?: unknown; details?: unknown };
    if (typeof e.error === "string") return typeof e.details === "string" ? `${e.error}: ${e.details}` : e.error;
  }
  return JSON.stringify(error);
}
