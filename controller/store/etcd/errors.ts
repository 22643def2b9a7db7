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
