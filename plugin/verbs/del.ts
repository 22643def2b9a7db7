/**
 * DEL: idempotent and tolerant. The IPAM release, the port removal and the veth removal run
 * together; each tolerates its resource being gone already (missing netns, empty CNI_NETNS,
 * missing port, a second DEL). A port that another attachment owns is never removed.
 */
import { hostIfName } from "../link/names.js";
import { deleteVeth } from "../link/veth.js";
import { detachPort, openOvsdb } from "../ovs/port.js";
import type { AttachmentSource } from "../source/types.js";
import type { VerbContext } from "./context.js";
import { allOrFirstError } from "./undo.js";

export async function cmdDel(ctx: VerbContext, source: AttachmentSource): Promise<void> {
  const { env, config, log } = ctx;
  const hostName = hostIfName(env.containerId, env.ifname);
  const detach = async () => {
    const client = await openOvsdb(config.ovsdb, config.timeoutMs);
    try {
      const outcome = await detachPort(client, config.bridge, hostName, env.containerId, env.ifname);
      if (outcome === "foreign") log.warn({ port: hostName }, "port exists but is not owned by this attachment: left alone");
      return outcome;
    } finally {
      client.close();
    }
  };
  const [, port, veth] = await allOrFirstError([source.release(ctx), detach(), deleteVeth(hostName, config.timeoutMs)] as const);
  log.debug({ hostName, port, vethDeleted: veth }, "deleted");
}
