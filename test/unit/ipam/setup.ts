/** A temp file store with definitions applied, and an Ipam on it. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DefinitionService } from "../../../controller/model/definitions.js";
import type { Definition } from "../../../controller/model/types.js";
import { Ipam } from "../../../controller/ipam/ipam.js";
import { IpamError } from "../../../controller/ipam/errors.js";
import { FileStore } from "../../../controller/store/file/file-store.js";

export interface IpamFixture {
  dir: string;
  store: FileStore;
  defs: DefinitionService;
  ipam: Ipam;
  close(): Promise<void>;
}

export async function ipamFixture(definitions: Definition[]): Promise<IpamFixture> {
  const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-ipam-"));
  const store = await FileStore.open(join(dir, "data"));
  const defs = new DefinitionService(store);
  await defs.apply(definitions);
  return {
    dir,
    store,
    defs,
    ipam: new Ipam(store, () => new Date("2030-01-02T03:04:05.000Z")),
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The IpamError a promise rejects with. */
export async function ipamError(p: Promise<unknown>): Promise<IpamError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IpamError) return err;
    throw err;
  }
  throw new Error("expected an IpamError");
}
