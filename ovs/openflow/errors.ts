import { CniCode, CniError } from "../../plugin/cni/errors.js";

/** OpenFlow programming failed, or a flow could not be rendered, read back or applied. */
export class OpenFlowError extends CniError {
  constructor(msg: string, details?: string, options?: { cause?: unknown }) {
    super(CniCode.OpenFlowFailure, msg, details, options);
  }
}
