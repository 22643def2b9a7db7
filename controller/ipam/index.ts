/** IP address management over the store. */
export * from "./types.js";
export { Ipam } from "./ipam.js";
export { IpamError, type IpamReason } from "./errors.js";
export { verifyIpam, type IpamIssue, type IpamIssueType, type VerifyOptions, type VerifyReport } from "./verify.js";
