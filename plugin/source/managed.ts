/**
 * Managed mode: the controller on this host decides addresses (fixed IPs and reservations
 * included), MAC, VLAN, MTU, routes and DNS. ADD returns only once the controller reports the
 * port's flows installed, so the container has working, isolated networking when ADD returns.
 * An unreachable controller is "try again later" (11) naming the socket; DEL still succeeds
 * then, and the controller's GC releases the lease once the port is gone.
 */
import { ControllerClient } from "../../controller/api/client.js";
import { CniCode, CniError } from "../cni/errors.js";
import type { PortIdentity } from "../../ovs/port-identity.js";
import type { VerbContext } from "../verbs/context.js";
import type { UndoStack } from "../verbs/undo.js";
import type { AttachmentPlan, AttachmentSource } from "./types.js";
import { chooseRequestedMac } from "./standalone.js";

function controllerOf(ctx: VerbContext): ControllerClient {
  return new ControllerClient(ctx.config.controllerSocket, ctx.config.timeoutMs);
}

function networkOf(ctx: VerbContext): string {
  const network = ctx.config.network;
  if (network === undefined) throw new CniError(CniCode.InvalidConfig, "network: required in managed mode");
  return network;
}

export const managedSource: AttachmentSource = {
  async acquire(ctx: VerbContext, undo: UndoStack): Promise<AttachmentPlan> {
    const { env, config, cniArgs } = ctx;
    const client = controllerOf(ctx);
    const requestedIps = config.runtimeConfig.ips ?? cniArgs.ips;
    const requestedMac = chooseRequestedMac(ctx);
    const attachment = await client.attach({
      containerId: env.containerId,
      ifname: env.ifname,
      netns: env.netns,
      network: networkOf(ctx),
      ...(cniArgs.podNamespace ? { podNamespace: cniArgs.podNamespace } : {}),
      ...(cniArgs.podName ? { podName: cniArgs.podName } : {}),
      ...(config.subnets ? { subnets: config.subnets } : {}),
      ...(requestedIps && requestedIps.length > 0 ? { requestedIps } : {}),
      ...(requestedMac ? { requestedMac } : {}),
    });
    undo.push("release controller attachment", () => client.release(env.containerId, env.ifname));
    return {
      mode: "managed",
      network: attachment.network,
      ips: attachment.ips.map((ip) => ({ address: ip.address, ...(ip.gateway ? { gateway: ip.gateway } : {}) })),
      routes: attachment.routes,
      dns: Object.keys(attachment.dns).length > 0 ? attachment.dns : config.dns,
      mac: attachment.mac,
      vlan: attachment.vlan,
      trunks: undefined,
      mtu: config.mtu ?? attachment.mtu,
    };
  },

  async ready(ctx: VerbContext, port: { name: string; ofport: number }): Promise<void> {
    const { env, config } = ctx;
    const flows = await controllerOf(ctx).waitFlows(env.containerId, env.ifname, config.timeoutMs);
    if (!flows.installed || flows.ofport !== port.ofport) {
      throw new CniError(CniCode.TryAgainLater, `controller did not install the flows of port ${port.name} (ofport ${port.ofport})`);
    }
  },

  async release(ctx: VerbContext): Promise<void> {
    try {
      await controllerOf(ctx).release(ctx.env.containerId, ctx.env.ifname);
    } catch (err) {
      if (!(err instanceof CniError) || err.code !== CniCode.TryAgainLater) throw err;
      ctx.log.warn({ err: err.message }, "controller unreachable: its GC releases the lease once the port is gone");
    }
  },

  async check(ctx: VerbContext): Promise<void> {
    const flows = await controllerOf(ctx).waitFlows(ctx.env.containerId, ctx.env.ifname, 0);
    if (!flows.installed) {
      throw new CniError(CniCode.OpenFlowFailure, `CHECK: the flows of ${ctx.env.containerId}/${ctx.env.ifname} are not installed by the controller`);
    }
  },

  async status(ctx: VerbContext): Promise<void> {
    let ready = false;
    let reason = "";
    try {
      const status = await controllerOf(ctx).status();
      ready = status.ready;
      reason = status.reason ?? "";
    } catch (err) {
      reason = (err as Error).message;
    }
    if (!ready) throw new CniError(CniCode.PluginNotAvailable, `controller at ${ctx.config.controllerSocket} is not ready: ${reason}`);
  },

  async collect(ctx: VerbContext, stale: PortIdentity[]): Promise<void> {
    const client = controllerOf(ctx);
    for (const s of stale) await client.release(s.containerId, s.ifname);
  },
};
