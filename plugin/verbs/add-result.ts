/** The ADD result: prevResult (when chained) plus our host and container interfaces. */
import type { CniInterface, CniResult } from "../cni/types.js";
import { hostMac } from "../link/names.js";
import type { AttachmentPlan } from "../source/types.js";
import type { VerbContext } from "./context.js";

export function buildAddResult(ctx: VerbContext, plan: AttachmentPlan, hostName: string): CniResult {
  const prev = ctx.config.prevResult;
  const interfaces: CniInterface[] = [...(prev?.interfaces ?? [])];
  const mtu = plan.mtu === undefined ? {} : { mtu: plan.mtu };
  interfaces.push({ name: hostName, mac: hostMac(ctx.env.containerId, ctx.env.ifname), ...mtu });
  interfaces.push({ name: ctx.env.ifname, mac: plan.mac, ...mtu, sandbox: ctx.env.netns });
  const containerIndex = interfaces.length - 1;
  const dns = plan.dns ?? prev?.dns;
  return {
    cniVersion: ctx.config.cniVersion,
    interfaces,
    ips: [...(prev?.ips ?? []), ...plan.ips.map((ip) => ({ ...ip, interface: containerIndex }))],
    routes: [...(prev?.routes ?? []), ...plan.routes],
    ...(dns ? { dns } : {}),
  };
}
