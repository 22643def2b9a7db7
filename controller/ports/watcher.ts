/**
 * The controller learns container ports only from OVSDB: a monitor on the bridge, its ports and
 * the interfaces the plugin tagged as ours. Every change yields a fresh list of local ports; a
 * port counts once vswitchd gave it a valid ofport.
 */
import { EventEmitter } from "node:events";
import { BridgeTable, InterfaceTable, PortTable, VSWITCH_DB, where, type Monitor, type OvsdbClient, type Row } from "../../ovs/ovsdb/index.js";
import { fromExternalIds, OWNER_VALUE, PortKey, type PortIdentity } from "../../ovs/port-identity.js";

export interface LocalPort {
  /** The OVS port (and interface) name: the veth's host end. */
  name: string;
  ofport: number;
  tag: number | undefined;
  identity: PortIdentity;
}

export interface PortWatcherEvents {
  changed: [ports: LocalPort[]];
}

type AnyPort = Omit<LocalPort, "ofport"> & { ofport: number | undefined };

export class PortWatcher extends EventEmitter<PortWatcherEvents> {
  /** Decoded once per change of the replica, not once per caller (the reconciler asks every round). */
  private cached: { all: AnyPort[]; ready: LocalPort[] } | undefined;

  private constructor(
    private readonly monitor: Monitor,
    private readonly bridge: string,
  ) {
    super();
  }

  /** Starts monitoring; the replica holds the current ports when this resolves. */
  static async start(client: OvsdbClient, bridge: string): Promise<PortWatcher> {
    const monitor = await client.monitor(VSWITCH_DB, {
      Bridge: { columns: ["name", "ports"], where: [where.eq("name", bridge)] },
      Port: { columns: ["name", "interfaces", "tag", "external_ids"] },
      Interface: {
        columns: ["name", "ofport", "error", "external_ids"],
        where: [where.includes("external_ids", new Map([[PortKey.owner, OWNER_VALUE]]))],
      },
    });
    const watcher = new PortWatcher(monitor, bridge);
    monitor.onChange(() => {
      watcher.cached = undefined;
      watcher.emit("changed", watcher.ports());
    });
    return watcher;
  }

  /** Our ports on the bridge, managed or standalone, that vswitchd has given an ofport. */
  ports(): LocalPort[] {
    return this.decoded().ready;
  }

  /** Every port of ours on the bridge, also those without a device (ofport -1, e.g. their netns is gone). */
  allPorts(): AnyPort[] {
    return this.decoded().all;
  }

  private decoded(): { all: AnyPort[]; ready: LocalPort[] } {
    if (!this.cached) {
      const all = this.decode();
      this.cached = { all, ready: all.filter((p): p is LocalPort => p.ofport !== undefined && p.ofport > 0) };
    }
    return this.cached;
  }

  private decode(): AnyPort[] {
    const replica = this.monitor.replica;
    const bridge = replica.find(BridgeTable, (b) => b.name === this.bridge);
    if (!bridge) return [];
    const portRows = replica.table(PortTable.table);
    const ifaceRows = replica.table(InterfaceTable.table);
    const result: AnyPort[] = [];
    for (const portUuid of bridge.ports) {
      const portRow = portRows.get(portUuid);
      if (!portRow) continue;
      const port = this.portOf(portUuid, portRow);
      for (const ifaceUuid of port.interfaces) {
        const ifaceRow = ifaceRows.get(ifaceUuid);
        const decoded = ifaceRow && this.portFrom(portRow, port.tag, ifaceUuid, ifaceRow);
        if (decoded) result.push(decoded);
      }
    }
    return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // The replica replaces a row's object whenever the row changes, so results cached by row object
  // stay right: at 1,000 ports a change re-decodes only the rows it touched, and an unchanged port
  // keeps its LocalPort object (describePortChanges compares by identity first).
  private readonly portRows = new WeakMap<Row, { interfaces: string[]; tag: number | undefined }>();
  private readonly localPorts = new WeakMap<Row, WeakMap<Row, AnyPort | null>>();

  private portOf(uuid: string, row: Row): { interfaces: string[]; tag: number | undefined } {
    let port = this.portRows.get(row);
    if (!port) {
      const decoded = PortTable.decode(uuid, row);
      port = { interfaces: decoded.interfaces, tag: decoded.tag };
      this.portRows.set(row, port);
    }
    return port;
  }

  private portFrom(portRow: Row, tag: number | undefined, ifaceUuid: string, ifaceRow: Row): AnyPort | undefined {
    let byIface = this.localPorts.get(portRow);
    if (!byIface) this.localPorts.set(portRow, (byIface = new WeakMap()));
    let port = byIface.get(ifaceRow);
    if (port === undefined) {
      const iface = InterfaceTable.decode(ifaceUuid, ifaceRow);
      const identity = fromExternalIds(iface.externalIds);
      port = identity ? { name: iface.name, ofport: iface.ofport, tag, identity } : null;
      byIface.set(ifaceRow, port);
    }
    return port ?? undefined;
  }

  /** Resolves with the port once it is on the bridge with a valid ofport. */
  waitForPort(containerId: string, ifname: string, timeoutMs: number): Promise<LocalPort> {
    return this.monitor.waitFor(
      () => this.ports().find((p) => p.identity.containerId === containerId && p.identity.ifname === ifname),
      timeoutMs,
    );
  }

  async stop(): Promise<void> {
    this.removeAllListeners();
    await this.monitor.cancel();
  }
}
