/**
 * The controller's API routes: attachments for the plugin; definitions, leases, ports and status
 * for the CLI. Each handler is a thin call into the controller's services.
 */
import { CniCode, CniError } from "../../plugin/cni/errors.js";
import { KINDS, type Kind } from "../model/types.js";
import type { Controller } from "../daemon.js";
import type { AttachRequest, ControllerStatus, FlowsInstalled } from "./protocol.js";
import type { Route } from "./server.js";

const MAX_FLOW_WAIT_MS = 60_000;

export function apiRoutes(c: Controller): Route[] {
  return [
    { method: "GET", path: /^\/v1\/status$/, handler: async () => status(c) },
    { method: "POST", path: /^\/v1\/attachments$/, handler: async ({ body }) => c.attachments.attach(body as AttachRequest) },
    {
      method: "DELETE",
      path: /^\/v1\/attachments\/(?<containerId>[^/]+)\/(?<ifname>[^/]+)$/,
      handler: async ({ params }) => {
        const ips = await c.attachments.release(params.containerId!, params.ifname!);
        c.log.info({ containerId: params.containerId, ifname: params.ifname, ips }, "attachment released");
        return undefined;
      },
    },
    {
      method: "GET",
      path: /^\/v1\/attachments\/(?<containerId>[^/]+)\/(?<ifname>[^/]+)\/flows$/,
      handler: async ({ params, query }) => waitFlows(c, params.containerId!, params.ifname!, Number(query.get("waitMs") ?? 0)),
    },
    { method: "GET", path: /^\/v1\/definitions\/(?<kind>[^/]+)$/, handler: async ({ params }) => c.definitions.list(kindOf(params.kind!)) },
    {
      method: "GET",
      path: /^\/v1\/definitions\/(?<kind>[^/]+)\/(?<name>[^/]+)$/,
      handler: async ({ params }) => {
        const def = await c.definitions.get(kindOf(params.kind!), params.name!);
        if (!def) throw new CniError(CniCode.UnknownContainer, `${params.kind} "${params.name}" not found`);
        return def;
      },
    },
    {
      method: "POST",
      path: /^\/v1\/definitions$/,
      handler: async ({ body }) => c.definitions.apply(Array.isArray(body) ? body : [body]),
    },
    {
      method: "DELETE",
      path: /^\/v1\/definitions\/(?<kind>[^/]+)\/(?<name>[^/]+)$/,
      handler: async ({ params }) => ({ deleted: await c.definitions.delete(kindOf(params.kind!), params.name!) }),
    },
    { method: "GET", path: /^\/v1\/leases$/, handler: async ({ query }) => c.ipam.leases(query.get("network") ? { network: query.get("network")! } : {}) },
    { method: "GET", path: /^\/v1\/ports$/, handler: async () => c.watcher.ports() },
    { method: "POST", path: /^\/v1\/gc$/, handler: async () => c.gc.run() },
  ];
}

function kindOf(text: string): Kind {
  const kind = KINDS.find((k) => k.toLowerCase() === text.toLowerCase() || `${k.toLowerCase()}s` === text.toLowerCase());
  if (!kind) throw new CniError(CniCode.InvalidConfig, `unknown kind "${text}" (expected one of ${KINDS.join(", ")})`);
  return kind;
}

function status(c: Controller): ControllerStatus {
  const connected = c.ovsdb.connected;
  const result: ControllerStatus = {
    ready: connected,
    bridge: c.config.bridge,
    ovsdb: connected ? "connected" : "disconnected",
    flowsInSync: c.reconciler.inSync,
    ports: c.watcher.ports().length,
    flows: c.reconciler.flowCount,
  };
  if (!connected) result.reason = `OVSDB ${c.config.ovsdb} is not connected`;
  return result;
}

/** Resolves once the port is on the bridge and a converged round covered it. */
async function waitFlows(c: Controller, containerId: string, ifname: string, waitMs: number): Promise<FlowsInstalled> {
  const timeout = Math.min(Math.max(Number.isFinite(waitMs) ? waitMs : 0, 0), MAX_FLOW_WAIT_MS);
  const present = c.watcher.ports().find((p) => p.identity.containerId === containerId && p.identity.ifname === ifname);
  if (!present && timeout === 0) return { installed: false };
  const started = Date.now();
  const port = present ?? (await c.watcher.waitForPort(containerId, ifname, timeout).catch(() => undefined));
  if (!port) throw new CniError(CniCode.TryAgainLater, `no port of ${containerId}/${ifname} appeared on ${c.config.bridge} within ${timeout} ms`);
  if (!c.definitionSet.networks.has(port.identity.network)) {
    throw new CniError(CniCode.InvalidConfig, `port ${port.name} is on network "${port.identity.network}", which is not defined: it gets no flows`);
  }
  if (c.installedPorts.has(port.name, port.ofport)) return { installed: true, ofport: port.ofport, portName: port.name };
  if (timeout === 0) return { installed: false, ofport: port.ofport, portName: port.name };
  try {
    await c.installedPorts.waitFor(port.name, port.ofport, Math.max(timeout - (Date.now() - started), 1));
  } catch (err) {
    throw new CniError(CniCode.TryAgainLater, (err as Error).message);
  }
  return { installed: true, ofport: port.ofport, portName: port.name };
}
