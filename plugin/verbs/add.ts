/**
 * ADD, linear like the reference plugins: each step that creates something registers its undo
 * right after. Independent steps run together: the attachment source (IPAM; its plugin is forked
 * first, being the longest step), the veth (its container end prepared: gratuitous ARP/NA sysctls,
 * tx offload off on a userspace-datapath bridge) and the OVSDB connection with a look at the
 * bridge; then the port in one transaction plus the wait for vswitchd; then the container end (MAC,
 * MTU, addresses, link up — so the kernel's gratuitous ARP and unsolicited NA leave through an
 * applied port — and routes), through the same container-end process that prepared it. Any
 * failure undoes it all.
 */
import { CniCode, CniError } from "../cni/errors.js";
import type { CniResult } from "../cni/types.js";
import { ContainerEnd } from "../link/container.js";
import { hostIfName, hostMac } from "../link/names.js";
import { netnsState } from "../link/netns.js";
import { createVeth, deleteVeth, isolateHostEnd } from "../link/veth.js";
import { attachPort, bridgeDatapath, detachPort, openOvsdb } from "../ovs/port.js";
import type { OvsdbClient } from "../../ovs/ovsdb/index.js";
import type { AttachmentSource } from "../source/types.js";
import type { VerbContext } from "./context.js";
import { buildAddResult } from "./add-result.js";
import { allOrFirstError, UndoStack } from "./undo.js";

export function requireNetns(path: string): void {
  const state = netnsState(path);
  if (state === "missing") throw new CniError(CniCode.UnknownContainer, `CNI_NETNS ${path} does not exist`);
  if (state === "not-netns") throw new CniError(CniCode.InvalidEnvironment, `CNI_NETNS ${path} is not a network namespace`);
}

async function bridgeOf(client: OvsdbClient, bridge: string, remote: string): Promise<string> {
  const datapath = await bridgeDatapath(client, bridge);
  if (datapath === undefined) throw new CniError(CniCode.OvsdbFailure, `bridge ${bridge} does not exist in OVSDB ${remote}`);
  return datapath;
}

export async function cmdAdd(ctx: VerbContext, source: AttachmentSource): Promise<CniResult> {
  const { env, config, log } = ctx;
  requireNetns(env.netns);
  const hostName = hostIfName(env.containerId, env.ifname);
  const timeoutMs = config.timeoutMs;
  const undo = new UndoStack();
  const connecting = openOvsdb(config.ovsdb, timeoutMs);
  try {
    const datapathOf = connecting.then((c) => bridgeOf(c, config.bridge, config.ovsdb));
    const makeVeth = async (): Promise<ContainerEnd> => {
      const creating = createVeth({ hostName, hostMac: hostMac(env.containerId, env.ifname), ifname: env.ifname, netnsPath: env.netns, timeoutMs });
      const containerEnd = ContainerEnd.start(env.netns, env.ifname, timeoutMs);
      undo.push(`stop the container-end process`, () => containerEnd.stop());
      await creating;
      undo.push(`delete veth ${hostName}`, () => deleteVeth(hostName, timeoutMs));
      isolateHostEnd(hostName); // sysctls via /proc/sys/net: this process's (the host's) netns
      const txChecksumOff = (await datapathOf) === "netdev";
      await containerEnd.prepare(txChecksumOff);
      log.debug({ hostName, txChecksumOff }, "veth created");
      return containerEnd;
    };
    const [plan, containerEnd, client, datapath] = await allOrFirstError([source.acquire(ctx, undo), makeVeth(), connecting, datapathOf] as const);
    log.debug({ hostName, datapath, ips: plan.ips.map((i) => i.address) }, "veth and addresses ready");

    const identity = {
      mode: plan.mode,
      containerId: env.containerId,
      ifname: env.ifname,
      netns: env.netns,
      network: plan.network,
      ips: plan.ips.map((i) => i.address),
      mac: plan.mac,
      ...(ctx.cniArgs.podNamespace ? { podNamespace: ctx.cniArgs.podNamespace } : {}),
      ...(ctx.cniArgs.podName ? { podName: ctx.cniArgs.podName } : {}),
    };
    // Registered before the transaction: a timeout may leave a committed port behind.
    undo.push(`detach port ${hostName}`, () => detachPort(client, config.bridge, hostName, env.containerId, env.ifname));
    const ofport = await attachPort(client, { bridge: config.bridge, portName: hostName, identity, vlan: plan.vlan, trunks: plan.trunks, mtu: plan.mtu, timeoutMs });
    log.debug({ hostName, ofport }, "port applied");

    await containerEnd.configure({ ifname: env.ifname, mac: plan.mac, mtu: plan.mtu, ips: plan.ips, routes: plan.routes });
    log.debug({}, "container end configured");
    await source.ready(ctx, { name: hostName, ofport });
    return buildAddResult(ctx, plan, hostName);
  } catch (err) {
    await undo.runAll(log);
    throw err;
  } finally {
    connecting.then((c) => c.close(), () => undefined);
  }
}
