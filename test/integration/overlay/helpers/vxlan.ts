/**
 * Forged traffic on the underlay: VXLAN packets sent from a host's own kernel (its underlay address,
 * or any other source address given to br-phy), and raw (VLAN-tagged) frames put on the underlay
 * bridge: what a rogue or misconfigured machine on the underlay could send.
 */
import { fileURLToPath } from "node:url";
import { execInNetns } from "../../../helpers/netns.js";
import type { Host } from "./hosts.js";

const RAWFRAME = fileURLToPath(new URL("../../pipeline/helpers/rawframe.py", import.meta.url));

const SEND = `
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.sendto(bytes.fromhex(sys.argv[3]), (sys.argv[2], 4789))
`;

/** VXLAN header (flags: VNI present) + the inner Ethernet frame. */
export function vxlanPayload(vni: number, innerFrameHex: string): string {
  return `08000000${vni.toString(16).padStart(6, "0")}00${innerFrameHex}`;
}

export async function sendVxlan(from: Host, source: string, to: Host, vni: number, innerFrameHex: string): Promise<void> {
  await from.sandbox.execInHost("python3", ["-c", SEND, source, to.underlayIp, vxlanPayload(vni, innerFrameHex)]);
}

/** A raw Ethernet frame put on the underlay itself (the bridge joining the hosts' uplinks). */
export async function sendOnUnderlay(underlayNetns: string, frameHex: string): Promise<void> {
  await execInNetns(underlayNetns, "python3", [RAWFRAME, "send", "ul0", frameHex]);
}
