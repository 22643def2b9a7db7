import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileStore } from "../../../controller/store/file/file-store.js";
import type { Store } from "../../../controller/store/types.js";
import { runStoreConformance } from "./conformance.js";

/** Seals run after a write, on the next event-loop turn: give them that turn after every write. */
function yieldingAfterWrites(store: Store): Store {
  const tick = () => new Promise<void>((r) => setImmediate(r));
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "createIfAbsent" || prop === "compareAndSwap" || prop === "delete") {
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          await tick();
          return result;
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
}

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
    open: async () => yieldingAfterWrites(await FileStore.open(join(dir, "data"), { watchPollMs: 50, sealEvery: 3, keepGenerations: 1000 })),
    destroy: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
