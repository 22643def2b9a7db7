/**
 * The one error base of ovs-sdn. Every error that can reach a user carries a CNI error code;
 * only the plugin entry point turns it into the CNI error JSON on stdout.
 * Codes 1-99 are the CNI spec's (SPEC.md "Error"); 100+ are ours and documented in docs/configuration.md.
 */
export const CniCode = {
  IncompatibleVersion: 1,
  UnsupportedField: 2,
  UnknownContainer: 3,
  InvalidEnvironment: 4,
  IoFailure: 5,
  DecodeFailure: 6,
  InvalidConfig: 7,
  TryAgainLater: 11,
  /** STATUS: the plugin cannot currently add containers. */
  PluginNotAvailable: 50,
  /** STATUS: the plugin can add containers only in a limited way. */
  PluginNotAvailableLimited: 51,
  /** An OVSDB transaction or one of its operations failed. */
  OvsdbFailure: 100,
  /** ovs-vswitchd did not apply a change, or an interface has no valid ofport. */
  OvsApplyFailure: 101,
  /** Address management refused: address taken, outside its subnet, subnet full. */
  IpamFailure: 102,
  /** A definition (network, subnet, policy) is invalid or refers to something unknown. */
  InvalidDefinition: 103,
  /** OpenFlow programming failed. */
  OpenFlowFailure: 104,
  /** A kernel operation of the plugin failed: veth, address, route, offload, netns entry. */
  LinkFailure: 105,
  /** CHECK: the attachment differs from what ADD made (prevResult, port tag or owner). */
  CheckMismatch: 106,
} as const;

export type CniErrorCode = (typeof CniCode)[keyof typeof CniCode] | number;

export class CniError extends Error {
  readonly code: CniErrorCode;
  readonly details: string | undefined;

  constructor(code: CniErrorCode, msg: string, details?: string, options?: { cause?: unknown }) {
    super(msg, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  /** The CNI error result (SPEC.md "Error"). */
  toResult(cniVersion: string): { cniVersion: string; code: number; msg: string; details?: string } {
    const result: { cniVersion: string; code: number; msg: string; details?: string } = {
      cniVersion,
      code: this.code,
      msg: this.message,
    };
    if (this.details !== undefined && this.details !== "") result.details = this.details;
    return result;
  }
}

/** Wraps anything thrown into a CniError, keeping typed errors as they are. */
export function asCniError(err: unknown, fallbackCode: CniErrorCode = CniCode.IoFailure): CniError {
  if (err instanceof CniError) return err;
  if (err instanceof Error) return new CniError(fallbackCode, err.message, undefined, { cause: err });
  return new CniError(fallbackCode, String(err));
}
