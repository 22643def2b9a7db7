/**
 * CNI spec versions this plugin speaks, and how a config picks one (SPEC.md "Version
 * considerations"): a plugin config carries `cniVersion`; a conflist-style config may carry
 * `cniVersions`, of which the highest one we support wins.
 */
import { CniCode, CniError } from "./errors.js";

export const SUPPORTED_VERSIONS = ["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"] as const;
export type CniVersion = (typeof SUPPORTED_VERSIONS)[number];
export const LATEST_VERSION: CniVersion = "1.1.0";

export function isSupportedVersion(v: unknown): v is CniVersion {
  return typeof v === "string" && (SUPPORTED_VERSIONS as readonly string[]).includes(v);
}

/** Compares two dotted versions numerically; non-numeric parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map((p) => Number.parseInt(p, 10) || 0);
  const pb = b.split(".").map((p) => Number.parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export function atLeast(version: string, minimum: string): boolean {
  return compareVersions(version, minimum) >= 0;
}

export function incompatibleVersion(configVersion: string): CniError {
  return new CniError(
    CniCode.IncompatibleVersion,
    "incompatible CNI versions",
    `config is ${JSON.stringify(configVersion)}, plugin supports ${JSON.stringify(SUPPORTED_VERSIONS)}`,
  );
}

/** The version a config asks for: `cniVersion`, else the highest supported entry of `cniVersions`. */
export function configVersion(config: { cniVersion?: unknown; cniVersions?: unknown }): CniVersion {
  if (config.cniVersion !== undefined) {
    if (isSupportedVersion(config.cniVersion)) return config.cniVersion;
    throw incompatibleVersion(asText(config.cniVersion));
  }
  if (Array.isArray(config.cniVersions)) {
    const supported = config.cniVersions.filter(isSupportedVersion).sort(compareVersions);
    const best = supported[supported.length - 1];
    if (best !== undefined) return best;
    throw incompatibleVersion(config.cniVersions.map(asText).join(","));
  }
  throw new CniError(CniCode.InvalidConfig, "cniVersion: required (or cniVersions)");
}

/** Any JSON value as text for a message: String() throws on objects like {"toString": null}. */
function asText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** The highest version both sides support, for talking to a delegated plugin. */
export function bestCommonVersion(wanted: string, theirs: readonly string[]): string | undefined {
  const common = theirs.filter((v) => isSupportedVersion(v) && compareVersions(v, wanted) <= 0).sort(compareVersions);
  return common[common.length - 1];
}
