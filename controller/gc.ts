/**
 * Garbage collection for what a runtime never cleaned up: leases whose port has been gone for a
 * grace period (e.g. a DEL that ran while the controller was down), and managed ports whose
 * network namespace no longer exists. A lease younger than the grace period is never touched: its
 * ADD may still be in flight.
 */
import { existsSync } from "node:fs";
import type { Logger } from "pino";
import { deletePort, type OvsdbClient } from "../ovs/ovsdb/index.js";
import { OWNER_VALUE, PortKey } from "../ovs/port-identity.js";
import type { Ipam } from "./ipam/ipam.js";
import type { PortWatcher } from "./ports/watcher.js";

export interface GcReport {
  releasedLeases: Array<{ containerId: string; ifname: string; ips: string[] }>;
  removedPorts: string[];
}

export interface GarbageCollectorOptions {
  ipam: Ipam;
  ovsdb: OvsdbClient;
  watcher: PortWatcher;
  bridge: string;
  graceMs: number;
  log: Logger;
  now?: () => number;
}

export class GarbageCollector {
  /** attachment key -> when we first saw it without a port. */
  private readonly missingSince = new Map<string, number>();

  constructor(private readonly options: GarbageCollectorOptions) {}

  async run(): Promise<GcReport> {
    const { ipam, ovsdb, watcher, bridge, graceMs, log } = this.options;
    const now = this.options.now?.() ?? Date.now();
    const report: GcReport = { releasedLeases: [], removedPorts: [] };

    // A deleted netns takes its veth along: such ports linger with ofport -1, so look at all of ours.
    for (const port of watcher.allPorts()) {
      if (port.identity.mode !== "managed" || port.identity.netns === "" || existsSync(port.identity.netns)) continue;
      const removed = await deletePort(ovsdb, {
        bridge,
        portName: port.name,
        requireExternalIds: { [PortKey.owner]: OWNER_VALUE, [PortKey.containerId]: port.identity.containerId, [PortKey.ifname]: port.identity.ifname },
      });
      if (removed) {
        report.removedPorts.push(port.name);
        log.info({ containerId: port.identity.containerId, network: port.identity.network, port: port.name }, "gc: removed port whose netns is gone");
      }
    }

    const present = new Set(watcher.ports().filter((p) => !report.removedPorts.includes(p.name)).map((p) => `${p.identity.containerId}/${p.identity.ifname}`));
    const seen = new Set<string>();
    for (const att of await ipam.attachments()) {
      const key = `${att.containerId}/${att.ifname}`;
      seen.add(key);
      if (present.has(key)) {
        this.missingSince.delete(key);
        continue;
      }
      const since = this.missingSince.get(key) ?? now;
      this.missingSince.set(key, since);
      const age = now - Date.parse(att.time);
      if (now - since < graceMs || age < graceMs) continue;
      const ips = await ipam.release(att.containerId, att.ifname);
      this.missingSince.delete(key);
      report.releasedLeases.push({ containerId: att.containerId, ifname: att.ifname, ips });
      log.info({ containerId: att.containerId, ifname: att.ifname, network: att.network, ips }, "gc: released lease without a port");
    }
    for (const key of this.missingSince.keys()) if (!seen.has(key)) this.missingSince.delete(key);
    return report;
  }
}
