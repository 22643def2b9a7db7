/**
 * The one seam between "where does an attachment's addressing come from" and the kernel + OVSDB
 * work that is the same in every mode. Standalone: delegated IPAM + the config's VLAN and MAC.
 * Managed (the controller): the controller's attachment API on its local socket.
 */
import type { CniDns, CniIpConfig, CniRoute } from "../cni/types.js";
import type { PortIdentity } from "../../ovs/port-identity.js";
import type { UndoStack } from "../verbs/undo.js";
import type { VerbContext } from "../verbs/context.js";

export interface AttachmentPlan {
  mode: PortIdentity["mode"];
  /** external_ids network name. */
  network: string;
  ips: CniIpConfig[];
  routes: CniRoute[];
  dns: CniDns | undefined;
  mac: string;
  /** Port.tag; undefined with trunks. */
  vlan: number | undefined;
  trunks: number[] | undefined;
  mtu: number | undefined;
}

export interface AttachmentSource {
  /** ADD: reserves addresses etc.; pushes its own undo onto `undo` once it holds anything. */
  acquire(ctx: VerbContext, undo: UndoStack): Promise<AttachmentPlan>;
  /** ADD, after the port is applied: returns when the attachment is ready for traffic. */
  ready(ctx: VerbContext, port: { name: string; ofport: number }): Promise<void>;
  /** DEL: idempotent. */
  release(ctx: VerbContext): Promise<void>;
  check(ctx: VerbContext): Promise<void>;
  status(ctx: VerbContext): Promise<void>;
  /** GC: frees what the given stale attachments hold; `valid` lists the ones in use. */
  collect(ctx: VerbContext, stale: PortIdentity[]): Promise<void>;
}
