/**
 * The veth pair: created with its container end already inside the netns under CNI_IFNAME, so a
 * name clash there fails the one `ip link add` and leaves nothing behind. The host end gets no
 * IPv6 and answers no ARP (the userspace datapath leaves host-end frames to the host stack too).
 */
import { writeFile } from "node:fs/promises";
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

/** Sysctls of a host-netns device, written directly: /proc/sys/net is the opener's netns. */
async function isolateHostEnd(name: string): Promise<void> {
  await Promise.all([
    writeFile(`/proc/sys/net/ipv6/conf/${name}/disable_ipv6`, "1").catch(() => undefined), // IPv6 may be off host-wide
    writeFile(`/proc/sys/net/ipv4/conf/${name}/arp_ignore`, "8"),
  ]);
}

export async function createVeth(spec: VethSpec): Promise<void> {
  try {
    await run("ip", ["link", "add", spec.hostName, "address", spec.hostMac, "type", "veth", "peer", "name", spec.ifname, "netns", spec.netnsPath], { timeoutMs: spec.timeoutMs });
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

/** Brings the host end up once it is isolated; run after createVeth. */
export async function enableHostEnd(name: string, timeoutMs: number): Promise<void> {
  try {
    await isolateHostEnd(name);
    await run("ip", ["link", "set", "dev", name, "up"], { timeoutMs });
  } catch (err) {
    throw new LinkError(`bringing host interface ${name} up failed`, stderrOf(err), { cause: err });
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
