/** Telling a network namespace path apart from a missing path or an ordinary file, without a process. */
import { statfsSync } from "node:fs";

/** statfs(2) f_type of nsfs, the filesystem namespace files live on. */
const NSFS_MAGIC = 0x6e736673;

export type NetnsState = "netns" | "missing" | "not-netns";

/** Synchronous: one statfs(2), cheaper than a round trip through libuv's thread pool. */
export function netnsState(path: string): NetnsState {
  try {
    const fs = statfsSync(path);
    return fs.type === NSFS_MAGIC ? "netns" : "not-netns";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "not-netns";
  }
}
