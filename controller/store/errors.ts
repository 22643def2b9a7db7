import { CniCode, CniError } from "../../plugin/cni/errors.js";

/** The store could not be read or written (I/O error, corrupt data, closed store). */
export class StoreError extends CniError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(CniCode.IoFailure, message, undefined, options);
  }
}

/** A key that the store does not accept. */
export class StoreKeyError extends CniError {
  constructor(key: string) {
    super(CniCode.InvalidConfig, `invalid store key ${JSON.stringify(key)}: use "a/b/c" paths of printable characters`);
  }
}

/** A watch asked for history the store no longer keeps; re-list and watch from the list revision. */
export class StoreCompactedError extends CniError {
  readonly requestedRevision: number;
  readonly oldestRevision: number;

  constructor(requestedRevision: number, oldestRevision: number) {
    super(CniCode.TryAgainLater, `store history before revision ${oldestRevision} is compacted (asked for ${requestedRevision})`);
    this.requestedRevision = requestedRevision;
    this.oldestRevision = oldestRevision;
  }
}
