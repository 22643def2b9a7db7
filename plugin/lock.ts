/**
 * Per-attachment mutual exclusion between plugin processes (e.g. a runtime's ADD racing its own DEL
 * of the same container). The lock is a listening socket in Linux's abstract unix namespace: bind
 * is atomic, and the kernel frees the name when the holder exits or crashes, so a lock can never
 * be left stale. A waiter connects to the holder and retries when that connection closes: no
 * polling. Abstract names belong to the network namespace, which is where the runtime runs every
 * plugin of a host. See docs/plugin.md "Concurrency".
 */
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { CniCode, CniError } from "./cni/errors.js";
import { hashHex } from "./hash.js";

export interface Lock {
  release(): Promise<void>;
}

export function lockName(key: string): string {
  return `\0ovs-sdn/lock/${hashHex(key, 16)}`;
}

interface Held {
  server: Server;
  /** Waiters connected to us: closing them wakes them up. */
  waiters: Set<Socket>;
}

function tryBind(name: string): Promise<Held | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    const waiters = new Set<Socket>();
    server.on("connection", (s) => {
      waiters.add(s);
      s.on("close", () => waiters.delete(s));
      s.on("error", () => undefined);
    });
    server.once("error", (err: NodeJS.ErrnoException) => (err.code === "EADDRINUSE" ? resolve(undefined) : reject(err)));
    server.listen(name, () => {
      server.removeAllListeners("error");
      resolve({ server, waiters });
    });
  });
}

/** Resolves when the holder's socket closes (or the holder vanished before we connected). */
function waitForRelease(name: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = createConnection(name);
    socket.on("error", () => resolve());
    socket.on("close", () => resolve());
    socket.resume();
  });
}

/** Takes the lock for `key`, waiting up to timeoutMs (then code 11: try again later). */
export async function acquireLock(key: string, timeoutMs: number): Promise<Lock> {
  const name = lockName(key);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const held = await tryBind(name);
    if (held) {
      held.server.unref();
      return {
        release: () =>
          new Promise<void>((resolve) => {
            held.server.close(() => resolve());
            held.waiters.forEach((s) => s.destroy());
          }),
      };
    }
    const left = deadline - Date.now();
    if (left <= 0) throw new CniError(CniCode.TryAgainLater, "another ovs-sdn call holds this attachment; try again later", key);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([waitForRelease(name), new Promise<void>((r) => (timer = setTimeout(r, left)))]);
    clearTimeout(timer);
  }
}
