/**
 * CHECK (spec >= 0.4.0): the container end against prevResult (interface, MAC, addresses,
 * routes), the port against what ADD wrote (owner, tag, a valid ofport), then the IPAM's CHECK.
 * Every mismatch found is named in one error (code 106).
 */
import { CniCode, CniError } from "../cni/errors.js";
import type { CniResult } from "../cni/types.js";
import { canonicalCidr, canonicalIp } from "../ipam/addresses.js";
import { inspectContainerLink } from "../link/inspect.js";
import { hostIfName } from "../link/names.js";
import { openOvsdb, ownerIds, readPort } from "../ovs/port.js";
import type { AttachmentSource } from "../source/types.js";
import type { VerbContext } from "./context.js";
import { requireNetns } from "./add.js";
import { allOrFirstError } from "./undo.js";

async function checkContainer(ctx: VerbContext, prev: CniResult): Promise<string[]> {
  const { env, config } = ctx;
  const state = await inspectContainerLink(env.netns, env.ifname, config.timeoutMs);
  const problems: string[] = [];
  const iface = (prev.interfaces ?? []).findIndex((i) => i.name === env.ifname && i.sandbox !== undefined);
  const wanted = prev.interfaces?.[iface];
  if (!wanted) problems.push(`prevResult has no interface ${env.ifname} with a sandbox`);
  else if (wanted.mac && wanted.mac.toLowerCase() !== state.mac) problems.push(`${env.ifname} has MAC ${state.mac}, expected ${wanted.mac}`);
  if (!state.up) problems.push(`${env.ifname} is down`);
  if (config.mtu !== undefined && state.mtu !== config.mtu) problems.push(`${env.ifname} has MTU ${state.mtu}, expected ${config.mtu}`);
  const have = new Set(state.addresses.map((a) => canonicalCidr(a)));
  for (const ip of prev.ips ?? []) {
    if (ip.interface !== undefined && ip.interface !== iface) continue;
    if (!have.has(canonicalCidr(ip.address))) problems.push(`address ${ip.address} missing on ${env.ifname}`);
  }
  const routes = new Set(state.routes.map((r) => `${canonicalCidr(r.dst)} ${r.gateway ? canonicalIp(r.gateway) : ""}`));
  for (const r of prev.routes ?? []) {
    const key = `${canonicalCidr(r.dst)} ${r.gw ? canonicalIp(r.gw) : ""}`;
    if (!routes.has(key)) problems.push(`route ${r.dst}${r.gw ? ` via ${r.gw}` : ""} missing on ${env.ifname}`);
  }
  return problems;
}

async function checkPort(ctx: VerbContext): Promise<string[]> {
  const { env, config } = ctx;
  const name = hostIfName(env.containerId, env.ifname);
  const client = await openOvsdb(config.ovsdb, config.timeoutMs);
  try {
    const port = await readPort(client, name);
    if (!port) return [`port ${name} is not in OVSDB`];
    const problems: string[] = [];
    if (port.bridge !== config.bridge) problems.push(`port ${name} is on bridge ${port.bridge ?? "(none)"}, expected ${config.bridge}`);
    for (const [k, v] of Object.entries(ownerIds(env.containerId, env.ifname))) {
      if (port.externalIds[k] !== v) problems.push(`port ${name} external_ids:${k} is ${port.externalIds[k] ?? "(unset)"}, expected ${v}`);
    }
    const tag = config.trunks === undefined ? (config.vlan ?? 0) : undefined;
    if (port.tag !== tag) problems.push(`port ${name} has tag ${port.tag ?? "(none)"}, expected ${tag ?? "(none)"}`);
    if (config.trunks !== undefined && port.trunks.join(",") !== config.trunks.join(",")) problems.push(`port ${name} has trunks ${port.trunks.join(",")}, expected ${config.trunks.join(",")}`);
    if (port.error) problems.push(`interface ${name} has an error: ${port.error}`);
    else if (port.ofport === undefined || port.ofport <= 0) problems.push(`interface ${name} has no valid ofport (${port.ofport ?? "none"})`);
    return problems;
  } finally {
    client.close();
  }
}

export async function cmdCheck(ctx: VerbContext, source: AttachmentSource): Promise<void> {
  const prev = ctx.config.prevResult;
  if (!prev) throw new CniError(CniCode.InvalidConfig, "prevResult: required for CHECK");
  requireNetns(ctx.env.netns);
  const [container, port] = await allOrFirstError([checkContainer(ctx, prev), checkPort(ctx)] as const);
  const problems = [...container, ...port];
  if (problems.length > 0) throw new CniError(CniCode.CheckMismatch, `CHECK failed: ${problems.join("; ")}`);
  await source.check(ctx);
}
