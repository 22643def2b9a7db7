import { CniCode, CniError } from "../../plugin/cni/errors.js";

export type IpamReason =
  | "invalid-request"
  | "unknown-network"
  | "unknown-subnet"
  | "ambiguous-subnet"
  | "outside"
  | "excluded"
  | "gateway"
  | "reserved"
  | "taken"
  | "full"
  | "terminating"
  | "conflict";

/** Address management refused a request; the message names the address and why. */
export class IpamError extends CniError {
  readonly reason: IpamReason;
  readonly address: string | undefined;

  constructor(reason: IpamReason, message: string, address?: string) {
    super(CniCode.IpamFailure, message);
    this.reason = reason;
    this.address = address;
  }
}
