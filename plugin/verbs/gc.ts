/**
 * GC (spec 1.1.0): every port on the bridge that ovs-sdn made for this network (config `name`) and
 * whose attachment is not in cni.dev/valid-attachments is removed with its veth; then the source
 * frees what those attachments held (IPAM GC, or one IPAM DEL each for IPAMs without GC).
 */
import { CniCode, CniError } from "../cni/errors.js";
import { findPorts, type OvsdbClient } from "../../ovs/ovsdb/index.js";
import { fromExternalIds, OWNER_VALUE, PortKey, type PortIdentity } from "../../ovs/port-identity.js";
import { deleteVeth } from "../link/veth.js";
import { acquireLock } from "../lock.js";
import { detachPort, openOvsdb } from "../ovs/port.js";
import type { AttachmentSource } from "../source/types.js";
import type { VerbContext } from "./context.js";

async function removeStale(ctx: VerbContext, client: OvsdbClient, portName: string, id: PortIdentity): Promise<void> {
  const { config, log } = ctx;
  // The same lock ADD and DEL take: never remove a port an ADD of the same attachment is making.
  const lock = await acquireLock(`${id.containerId}/${id.ifname}`, config.timeoutMs);
  try {
    const outcome = await detachPort(client, config.bridge, portName, id.containerId, id.ifname);
    await deleteVeth(portName, config.timeoutMs);
    log.info({ port: portName, containerId: id.containerId, ifname: id.ifname, outcome }, "gc: removed stale attachment");
  } finally {
    await lock.release();
  }
}

export async function cmdGc(ctx: VerbContext, source: AttachmentSource): Promise<void> {
  const { config } = ctx;
  const valid = config.validAttachments;
  if (valid === undefined) throw new CniError(CniCode.InvalidConfig, "cni.dev/valid-attachments: required for GC");
  const keep = new Set(valid.map((a) => `${a.containerID}\0${a.ifname}`));
  const client = await openOvsdb(config.ovsdb, config.timeoutMs);
  const stale: PortIdentity[] = [];
  try {
    const ports = await findPorts(client, { bridge: config.bridge, externalIds: { [PortKey.owner]: OWNER_VALUE, [PortKey.network]: config.name } });
    for (const port of ports) {
      const id = fromExternalIds(port.externalIds);
      if (!id || keep.has(`${id.containerId}\0${id.ifname}`)) continue;
      await removeStale(ctx, client, port.name, id);
      stale.push(id);
    }
  } finally {
    client.close();
  }
  await source.collect(ctx, stale);
}
