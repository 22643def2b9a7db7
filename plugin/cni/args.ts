/**
 * CNI_ARGS ("K1=V1;K2=V2", SPEC.md "Parameters"). Like the reference plugins, unknown keys are an
 * error unless IgnoreUnknown is true or 1; IP and GATEWAY belong to the delegated IPAM (host-local,
 * static) and are only passed through.
 */
import { CniCode, CniError } from "./errors.js";

export interface CniArgs {
  mac?: string;
  /** IP= (comma-separated fixed addresses); used in managed mode, delegated IPAM reads it itself. */
  ips?: string[];
  podNamespace?: string;
  podName?: string;
}

const KNOWN = new Set(["IgnoreUnknown", "IP", "GATEWAY", "MAC", "K8S_POD_NAMESPACE", "K8S_POD_NAME", "K8S_POD_INFRA_CONTAINER_ID", "K8S_POD_UID"]);

export function parseCniArgs(raw: string): CniArgs {
  const pairs = new Map<string, string>();
  for (const item of raw.split(";")) {
    if (item === "") continue;
    const eq = item.indexOf("=");
    if (eq <= 0) throw new CniError(CniCode.InvalidEnvironment, "CNI_ARGS: invalid pair (want KEY=VALUE)", item.slice(0, 128));
    pairs.set(item.slice(0, eq), item.slice(eq + 1));
  }
  const ignoreUnknown = ["1", "true"].includes((pairs.get("IgnoreUnknown") ?? "").toLowerCase());
  if (!ignoreUnknown) {
    const unknown = [...pairs.keys()].filter((k) => !KNOWN.has(k));
    if (unknown.length > 0) {
      throw new CniError(CniCode.UnsupportedField, `CNI_ARGS: unknown key ${unknown.map((k) => JSON.stringify(k.slice(0, 64))).join(", ")} (set IgnoreUnknown=1 to ignore)`);
    }
  }
  const args: CniArgs = {};
  const mac = pairs.get("MAC");
  if (mac !== undefined && mac !== "") args.mac = mac;
  const ip = pairs.get("IP");
  if (ip) args.ips = ip.split(",").filter((a) => a !== "");
  const ns = pairs.get("K8S_POD_NAMESPACE");
  if (ns) args.podNamespace = ns;
  const name = pairs.get("K8S_POD_NAME");
  if (name) args.podName = name;
  return args;
}
