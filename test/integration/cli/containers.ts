/**
 * Containers attached by hand as managed ports, exactly as the plugin would (netns + veth + OVSDB
 * external_ids): the controller learns them from OVSDB like any other.
 */
import { run } from "../../../ovs/exec.js";
import type { OvsSandbox } from "../../../ovs/sandbox.js";
import { PortKey, toExternalIds } from "../../../ovs/port-identity.js";
import { createNetns, execInNetns, netnsPath, uniqueName } from "../../helpers/netns.js";
import { BRIDGE } from "./helpers.js";

export interface TestContainer {
  pod: string;
  containerId: string;
  netns: string;
  hostIf: string;
  ip: string;
  mac: string;
}

export interface AttachSpec {
  pod: string;
  ip: string;
  prefix: number;
  gateway: string;
  mac: string;
  vlan: number;
  network: string;
  /** What external_ids records as the netns path; default the real one. */
  recordedNetns?: string;
}

/** A managed port attached by hand, exactly as the plugin would: the controller learns it from OVSDB. */
export async function attachContainer(sandbox: OvsSandbox, spec: AttachSpec): Promise<TestContainer> {
  const netns = uniqueName(spec.pod);
  const hostIf = `${netns}h`.slice(0, 15);
  const containerId = `${netns}-0123456789abcdef`;
  await createNetns(netns);
  await run("ip", ["link", "add", hostIf, "netns", sandbox.netns, "type", "veth", "peer", "name", "eth0", "netns", netns]);
  await sandbox.execInHost("ip", ["link", "set", hostIf, "up"]);
  await execInNetns(netns, "ip", ["link", "set", "eth0", "address", spec.mac]);
  // The userspace datapath does not complete checksums a veth leaves to offload.
  await execInNetns(netns, "ethtool", ["-K", "eth0", "tx", "off"]);
  await execInNetns(netns, "ip", ["addr", "add", `${spec.ip}/${spec.prefix}`, "dev", "eth0"]);
  await execInNetns(netns, "ip", ["link", "set", "eth0", "up"]);
  await execInNetns(netns, "ip", ["route", "add", "default", "via", spec.gateway]);
  const ids = toExternalIds({
    mode: "managed",
    containerId,
    ifname: "eth0",
    netns: spec.recordedNetns ?? netnsPath(netns),
    network: spec.network,
    ips: [`${spec.ip}/${spec.prefix}`],
    mac: spec.mac,
    podNamespace: "default",
    podName: spec.pod,
  });
  // Like the plugin: the whole identity on the Interface, who owns it on the Port too.
  const portKeys = [PortKey.owner, PortKey.containerId, PortKey.ifname, PortKey.mode, PortKey.network];
  const idArgs = (keys: string[]) => keys.map((k) => `external_ids:"${k}"="${ids[k]}"`);
  await sandbox.vsctl("add-port", BRIDGE, hostIf, `tag=${spec.vlan}`, ...idArgs(portKeys), "--", "set", "Interface", hostIf, ...idArgs(Object.keys(ids)));
  return { pod: spec.pod, containerId, netns, hostIf, ip: spec.ip, mac: spec.mac };
}

/** One ping; true when a reply came back. */
export async function ping(from: TestContainer, ip: string): Promise<boolean> {
  return execInNetns(from.netns, "ping", ["-c", "1", "-W", "1", ip]).then(
    () => true,
    () => false,
  );
}
