/** The shared store conformance suite on a private etcd: one etcd, a fresh key prefix per test. */
import { afterAll, beforeAll } from "vitest";
import { EtcdStore } from "../../../controller/store/etcd/etcd-store.js";
import { startEtcd, type EtcdCluster } from "../../helpers/etcd.js";
import { runStoreConformance } from "../../unit/store/conformance.js";

let etcd: EtcdCluster | undefined;
let runs = 0;

beforeAll(async () => {
  etcd = await startEtcd();
});
afterAll(async () => {
  await etcd?.stop();
});

runStoreConformance("etcd", async () => {
  if (!etcd) throw new Error("etcd did not start");
  const options = { endpoints: etcd.endpoints, prefix: `/conformance-${++runs}/` };
  return {
    open: () => EtcdStore.open(options),
    destroy: async () => {
      const store = await EtcdStore.open(options);
      for (const record of (await store.list("")).records) await store.delete(record.key);
      await store.close();
    },
  };
});
