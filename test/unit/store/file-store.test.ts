import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore } from "../../../controller/store/file/file-store.js";
import { runStoreConformance } from "./conformance.js";

runStoreConformance("file store", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-store-"));
  return {
    open: () => FileStore.open(join(dir, "data"), { watchPollMs: 50 }),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

// The same suite with a log that seals every few entries, so every test also crosses generations.
runStoreConformance("file store, sealing every 3 entries", async () => {
  const dir = mkdtempSync(join(tmpdir(), "ovs-sdn-store-"));
  return {
    open: () => FileStore.open(join(dir, "data"), { watchPollMs: 50, sealEvery: 3, keepGenerations: 1000 }),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
