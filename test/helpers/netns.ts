import { randomBytes } from "node:crypto";
import { run, type RunOptions } from "../../ovs/exec.js";

/** A short name unique to this run: interface and netns names stay within Linux's 15 characters. */
export function uniqueName(tag: string): string {
  return `t${tag.slice(0, 6)}${randomBytes(3).toString("hex")}`;
}

export async function createNetns(name: string): Promise<void> {
  await run("ip", ["netns", "add", name]);
  await run("ip", ["-n", name, "link", "set", "lo", "up"]);
}

/** Deletes a namespace this test created; tolerates its absence. */
export async function deleteNetns(name: string): Promise<void> {
  await run("ip", ["netns", "del", name]).catch(() => undefined);
}

export function execInNetns(name: string, cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  return run(cmd, args, { ...opts, netns: name });
}

export function netnsPath(name: string): string {
  return `/var/run/netns/${name}`;
}
