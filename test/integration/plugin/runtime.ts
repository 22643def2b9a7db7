/**
 * A small CNI runtime that follows libcni's rules (no cnitool/libcni on these machines): a conflist
 * runs plugin by plugin with prevResult chaining; the runtime-supplied config keys (name,
 * cniVersion, runtimeConfig for declared capabilities only) are injected; a successful ADD's
 * result is cached on disk and drives CHECK and DEL (plugins in reverse order); a failed ADD
 * caches nothing, and the runtime then calls DEL without prevResult.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CallResult, PluginHarness } from "./harness.js";

export interface ConfList {
  cniVersion: string;
  name: string;
  plugins: Record<string, unknown>[];
}

export interface Attachment {
  containerId: string;
  netns: string;
  ifname: string;
  capabilityArgs?: Record<string, unknown>;
}

export class MiniRuntime {
  constructor(
    private readonly h: PluginHarness,
    private readonly cacheDir: string,
  ) {
    mkdirSync(join(cacheDir, "results"), { recursive: true });
  }

  cachePath(list: ConfList, a: Attachment): string {
    return join(this.cacheDir, "results", `${list.name}-${a.containerId}-${a.ifname}`);
  }

  cachedResult(list: ConfList, a: Attachment): Record<string, unknown> | undefined {
    const path = this.cachePath(list, a);
    return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { result: Record<string, unknown> }).result : undefined;
  }

  private pluginConfig(list: ConfList, plugin: Record<string, unknown>, a: Attachment, prevResult: unknown): Record<string, unknown> {
    const config: Record<string, unknown> = { ...plugin, name: list.name, cniVersion: list.cniVersion };
    const caps = (plugin.capabilities ?? {}) as Record<string, boolean>;
    const runtimeConfig = Object.fromEntries(Object.entries(a.capabilityArgs ?? {}).filter(([k]) => caps[k]));
    if (Object.keys(runtimeConfig).length > 0) config.runtimeConfig = runtimeConfig;
    if (prevResult !== undefined) config.prevResult = prevResult;
    return config;
  }

  private exec(command: string, list: ConfList, plugin: Record<string, unknown>, a: Attachment, prev: unknown): Promise<CallResult> {
    const env = this.h.env(command, { containerId: a.containerId, netns: a.netns, ifname: a.ifname, args: "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-0" });
    return this.h.callRaw(env, JSON.stringify(this.pluginConfig(list, plugin, a, prev)), join(this.h.cniPath, String(plugin.type)));
  }

  /** ADD: the final result, or the failing plugin's error (nothing cached). */
  async add(list: ConfList, a: Attachment): Promise<CallResult> {
    let prev: unknown;
    let last: CallResult | undefined;
    for (const plugin of list.plugins) {
      last = await this.exec("ADD", list, plugin, a, prev);
      if (last.exitCode !== 0) return last;
      prev = last.json;
    }
    const entry = { kind: "cniCacheV1", containerId: a.containerId, ifName: a.ifname, networkName: list.name, capabilityArgs: a.capabilityArgs ?? {}, result: prev };
    writeFileSync(this.cachePath(list, a), JSON.stringify(entry));
    return last as CallResult;
  }

  async check(list: ConfList, a: Attachment): Promise<CallResult[]> {
    const cached = this.cachedResult(list, a);
    if (!cached) throw new Error("CHECK without a cached result");
    const out = [];
    for (const plugin of list.plugins) out.push(await this.exec("CHECK", list, plugin, a, cached));
    return out;
  }

  /** DEL in reverse order with the cached result (if any); the cache entry goes last. */
  async del(list: ConfList, a: Attachment): Promise<CallResult[]> {
    const cached = this.cachedResult(list, a);
    const out = [];
    for (const plugin of [...list.plugins].reverse()) out.push(await this.exec("DEL", list, plugin, a, cached));
    if (out.every((r) => r.exitCode === 0)) rmSync(this.cachePath(list, a), { force: true });
    return out;
  }
}
