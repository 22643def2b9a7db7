/** Telling a network namespace path apart from a missing path or an ordinary file, without a process. */
import { statfs } from "node:fs/promises";

/** statfs(2) f_type of nsfs, the filesystem namespace files live on. */
const NSFS_MAGIC = 0x6e736673;

export type NetnsState = "netns" | "missing" | "not-netns";

export async function netnsState(path: string): Promise<NetnsState> {
  try {
    const fs = await statfs(path);
    return fs.type === NSFS_MAGIC ? "netns" : "not-netns";
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "not-netns";
  }
}
