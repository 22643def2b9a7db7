import { CniCode, CniError } from "../../../plugin/cni/errors.js";
import { StoreError } from "../errors.js";

/**
 * No etcd endpoint answered (refused, timed out, no leader), or a write's outcome is unknown because
 * its member failed mid-request. CNI code 11: the caller may try again later.
 */
export class EtcdUnavailableError extends CniError {
  constructor(
    readonly endpoints: readonly string[],
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(CniCode.TryAgainLater, `etcd unavailable at ${endpoints.join(", ")}: ${reason}`, undefined, options);
  }
}

/** etcd answered with an error (gRPC status `grpcCode`, e.g. 5 not found, 11 compacted). */
export class EtcdRequestError extends StoreError {
  constructor(
    readonly grpcCode: number,
    readonly etcdMessage: string,
    endpoint: string,
  ) {
    super(`etcd ${endpoint}: ${etcdMessage} (gRPC code ${grpcCode})`);
  }
}

/** gRPC status codes etcd uses that matter to this client. */
export const GrpcCode = { DeadlineExceeded: 4, NotFound: 5, OutOfRange: 11, Unavailable: 14 } as const;

/** Whether a failed request may be sent again: always, or only when it is a read. */
export type Retry = "safe" | "reads-only";

/** The gateway's error body ({error, message, code}) as an EtcdRequestError. */
export function requestError(text: string, status: number | undefined, endpoint: string): EtcdRequestError {
  try {
    const body = JSON.parse(text) as { code?: number; message?: string; error?: string };
    return new EtcdRequestError(body.code ?? -1, body.message ?? body.error ?? text, endpoint);
  } catch {
    return new EtcdRequestError(-1, `HTTP ${status ?? "?"}: ${text.slice(0, 200)}`, endpoint);
  }
}

/** How a gRPC error of the gateway is retried: "no leader" never reached raft; timeouts may have. */
export function retryOf(err: EtcdRequestError): Retry | undefined {
  if (err.grpcCode !== GrpcCode.Unavailable && err.grpcCode !== GrpcCode.DeadlineExceeded) return undefined;
  return /no leader/.test(err.etcdMessage) ? "safe" : "reads-only";
}
