/**
 * The veth pair: one `ip link add` creates it with the container end already inside the netns under
 * CNI_IFNAME (a name clash there fails it and leaves nothing behind) and the host end up. The host
 * end gets no IPv6 and answers no ARP (the userspace datapath leaves host-end frames to the host
 * stack too); the sysctls land before the container end comes up, and until then the host end has
 * no carrier, so the kernel sends nothing from it in between.
 */
import { writeFileSync } from "node:fs";
import { run } from "../../ovs/exec.js";
import { CniCode, CniError } from "../cni/errors.js";
import { LinkError, stderrOf } from "./errors.js";

/** Only names: MAC and MTU are set later (container end by configureContainer, host end by OVS). */
export interface VethSpec {
  hostName: string;
  hostMac: string;
  ifname: string;
  netnsPath: string;
  timeoutMs: number;
}

async function linkExists(name: string, timeoutMs: number): Promise<boolean> {
  return run("ip", ["link", "show", "dev", name], { timeoutMs }).then(
    () => true,
    () => false,
  );
}

export async function createVeth(spec: VethSpec): Promise<void> {
  try {
    await run("ip", ["link", "add", spec.hostName, "address", spec.hostMac, "up", "type", "veth", "peer", "name", spec.ifname, "netns", spec.netnsPath], { timeoutMs: spec.timeoutMs });
  } catch (err) {
    const stderr = stderrOf(err);
    if (/File exists/.test(stderr)) {
      if (await linkExists(spec.hostName, spec.timeoutMs)) {
        throw new CniError(CniCode.LinkFailure, `host interface ${spec.hostName} already exists (a leftover of this attachment? run DEL first)`, stderr);
      }
      throw new CniError(CniCode.LinkFailure, `CNI_IFNAME ${spec.ifname} already exists in ${spec.netnsPath}`, stderr);
    }
    throw new LinkError(`creating veth ${spec.hostName}/${spec.ifname} failed`, stderr, { cause: err });
  }
}

/**
 * Takes IPv6 and ARP replies away from the host end; run right after createVeth. Two tiny writes,
 * synchronous: cheaper than waking libuv's thread pool, which an ADD otherwise never needs.
 */
export function isolateHostEnd(name: string): void {
  try {
    try {
      writeFileSync(`/proc/sys/net/ipv6/conf/${name}/disable_ipv6`, "1");
    } catch {
      // IPv6 may be off host-wide
    }
    writeFileSync(`/proc/sys/net/ipv4/conf/${name}/arp_ignore`, "8");
  } catch (err) {
    throw new LinkError(`isolating host interface ${name} failed`, (err as Error).message, { cause: err });
  }
}

/** Deletes the pair through its host end; true if it existed. A gone netns took the pair with it. */
export async function deleteVeth(hostName: string, timeoutMs: number): Promise<boolean> {
  try {
    await run("ip", ["link", "del", "dev", hostName], { timeoutMs });
    return true;
  } catch (err) {
    const stderr = stderrOf(err);
    if (/Cannot find device|does not exist|No such device/.test(stderr)) return false;
    throw new LinkError(`deleting host interface ${hostName} failed`, stderr, { cause: err });
  }
}
