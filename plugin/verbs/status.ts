/** STATUS (spec 1.1.0): ready when OVSDB answers and the bridge exists; then the IPAM's STATUS. */
import { CniCode, CniError } from "../cni/errors.js";
import { bridgeDatapath, openOvsdb } from "../ovs/port.js";
import type { AttachmentSource } from "../source/types.js";
import type { VerbContext } from "./context.js";

export async function cmdStatus(ctx: VerbContext, source: AttachmentSource): Promise<void> {
  const { config } = ctx;
  let datapath: string | undefined;
  try {
    const client = await openOvsdb(config.ovsdb, config.timeoutMs);
    try {
      datapath = await bridgeDatapath(client, config.bridge);
    } finally {
      client.close();
    }
  } catch (err) {
    throw new CniError(CniCode.PluginNotAvailable, `OVSDB ${config.ovsdb} does not answer: ${(err as Error).message}`);
  }
  if (datapath === undefined) throw new CniError(CniCode.PluginNotAvailable, `bridge ${config.bridge} does not exist in OVSDB ${config.ovsdb}`);
  await source.status(ctx);
}
