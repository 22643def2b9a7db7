/**
 * Standalone mode: addresses come from the delegated IPAM plugin, VLAN and MTU from the config,
 * the MAC from runtimeConfig.mac, args.cni.mac, CNI_ARGS MAC, the config's mac, or else a stable
 * one derived from the attachment (in that order).
 */
import { CniCode, CniError } from "../cni/errors.js";
import { parseResult } from "../cni/result.js";
import { atLeast } from "../cni/versions.js";
import { ipamExec, ipamVersions, type IpamCall } from "../ipam/delegate.js";
import { sanitizeIpamResult } from "../ipam/addresses.js";
import { containerMac, normalizeMac } from "../link/names.js";
import type { PortIdentity } from "../../ovs/port-identity.js";
import type { VerbContext } from "../verbs/context.js";
import type { UndoStack } from "../verbs/undo.js";
import type { AttachmentPlan, AttachmentSource } from "./types.js";

function ipamCall(ctx: VerbContext): IpamCall | undefined {
  const ipam = ctx.config.ipam;
  if (!ipam) return undefined;
  return { type: ipam.type, cniPath: ctx.env.path, configText: ctx.configText, cniVersion: ctx.config.cniVersion, env: ctx.processEnv, timeoutMs: ctx.config.timeoutMs, stateDir: ctx.config.stateDir };
}

/** The MAC the runtime or the config asks for, if any. */
export function chooseRequestedMac(ctx: VerbContext): string | undefined {
  const { config, cniArgs } = ctx;
  if (config.runtimeConfig.mac) return normalizeMac(config.runtimeConfig.mac, "runtimeConfig.mac");
  if (config.argsMac) return normalizeMac(config.argsMac, "args.cni.mac");
  if (cniArgs.mac) return normalizeMac(cniArgs.mac, "CNI_ARGS MAC");
  if (config.mac) return normalizeMac(config.mac, "mac");
  return undefined;
}

export function chooseMac(ctx: VerbContext): string {
  return chooseRequestedMac(ctx) ?? containerMac(ctx.env.containerId, ctx.env.ifname);
}

/** Does the IPAM plugin speak 1.1.0 (STATUS, GC)? */
async function ipamHas11(call: IpamCall): Promise<boolean> {
  return (await ipamVersions(call)).some((v) => atLeast(v, "1.1.0"));
}

export const standaloneSource: AttachmentSource = {
  async acquire(ctx: VerbContext, undo: UndoStack): Promise<AttachmentPlan> {
    const mac = chooseMac(ctx);
    const call = ipamCall(ctx);
    let ips: AttachmentPlan["ips"] = [];
    let routes: AttachmentPlan["routes"] = [];
    let dns = ctx.config.dns;
    if (call) {
      const out = await ipamExec(call, "ADD");
      ctx.log.debug({}, "ipam ADD done");
      undo.push("ipam DEL", () => ipamExec(call, "DEL"));
      const result = sanitizeIpamResult(parseResult(out, ctx.config.cniVersion));
      if ((result.ips ?? []).length === 0) throw new CniError(CniCode.IpamFailure, `ipam ${call.type} returned no address`);
      ips = result.ips ?? [];
      routes = result.routes ?? [];
      dns = result.dns ?? dns;
    }
    const { vlan, trunks, mtu, name } = ctx.config;
    return { mode: "standalone", network: name, ips, routes, dns, mac, vlan: trunks ? undefined : (vlan ?? 0), trunks, mtu };
  },

  async ready(): Promise<void> {
    // Standalone: the bridge is the operator's (NORMAL switching); an applied port is a ready port.
  },

  async release(ctx: VerbContext): Promise<void> {
    const call = ipamCall(ctx);
    if (call) await ipamExec(call, "DEL");
  },

  async check(ctx: VerbContext): Promise<void> {
    const call = ipamCall(ctx);
    if (call) await ipamExec(call, "CHECK");
  },

  async status(ctx: VerbContext): Promise<void> {
    const call = ipamCall(ctx);
    if (call && (await ipamHas11(call))) await ipamExec(call, "STATUS");
  },

  async collect(ctx: VerbContext, stale: PortIdentity[]): Promise<void> {
    const call = ipamCall(ctx);
    if (!call) return;
    if (await ipamHas11(call)) {
      await ipamExec(call, "GC");
      return;
    }
    // An IPAM without GC: release what each stale attachment holds, one DEL each.
    for (const s of stale) await ipamExec(call, "DEL", { CNI_CONTAINERID: s.containerId, CNI_IFNAME: s.ifname, CNI_NETNS: "" });
  },
};
