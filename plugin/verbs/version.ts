/** VERSION: the versions this plugin speaks, answered in the requested version when we know it. */
import { isSupportedVersion, LATEST_VERSION, SUPPORTED_VERSIONS } from "../cni/versions.js";

export function cmdVersion(requested: unknown): { cniVersion: string; supportedVersions: string[] } {
  return { cniVersion: isSupportedVersion(requested) ? requested : LATEST_VERSION, supportedVersions: [...SUPPORTED_VERSIONS] };
}
