/**
 * Cross-host mode: this host's tunnel port, its registration in the shared store (host record on
 * a lease, endpoint records for its managed ports), and the other hosts' endpoints for the
 * pipeline. A network is carried between hosts over the overlay keyed by its VNI, or, as a provider
 * network, as its 802.1Q VLAN through br-phy's uplink. A host that stops renewing
 * its lease (gone, partitioned) loses its records, and with them its endpoints vanish from the
 * other hosts' flows.
 */
import type { Logger } from "pino";
import type { OvsdbClient } from "../ovs/ovsdb/index.js";
import { ensureTunnelPort, type TunnelType } from "../ovs/tunnel/tunnel-port.js";
import { syncProviderPorts, type ProviderPortOfport } from "../ovs/tunnel/provider-ports.js";
import { ClusterView, HostRegistry, type LocalEndpoint } from "./hosts/index.js";
import type { DefinitionSet, NetworkSpec } from "./model/types.js";
import type { LocalHostInput, RemoteEndpointInput, TransportInput } from "./pipeline/input.js";
import type { LocalPort } from "./ports/watcher.js";
import type { Store } from "./store/types.js";

export interface ClusterConfig {
  bridge: string;
  hostName: string;
  tunnelIp: string;
  tunnelType: TunnelType;
  hostTtlSeconds: number;
}

export class ClusterMembership {
  /** The latest state to publish, and the sync running now: syncs run one at a time, newest state last. */
  private latest: { ports: readonly LocalPort[]; defs: DefinitionSet } | undefined;
  private publishing: Promise<void> | undefined;
  private providerPorts: ProviderPortOfport[] = [];

  private constructor(
    private readonly ovsdb: OvsdbClient,
    private readonly config: ClusterConfig,
    private readonly registry: HostRegistry,
    private readonly view: ClusterView,
    private readonly tunnelOfport: number,
  ) {}

  /** Ensures the tunnel port, registers this host and starts following the others. */
  static async start(store: Store, ovsdb: OvsdbClient, config: ClusterConfig, log: Logger, onChange: () => void): Promise<ClusterMembership> {
    const tunnel = await ensureTunnelPort(ovsdb, { bridge: config.bridge, type: config.tunnelType, localIp: config.tunnelIp });
    const registry = new HostRegistry(store, { name: config.hostName, tunnelIp: config.tunnelIp, ttlSeconds: config.hostTtlSeconds, logger: log });
    await registry.start();
    const view = new ClusterView(store, { onChange, logger: log });
    await view.start();
    log.info({ host: config.hostName, tunnelIp: config.tunnelIp, tunnel: tunnel.name, ofport: tunnel.ofport, hosts: view.hosts.size }, "joined the cluster");
    return new ClusterMembership(ovsdb, config, registry, view, tunnel.ofport);
  }

  transportOf(spec: Pick<NetworkSpec, "vni" | "providerVlan">): TransportInput | undefined {
    return transportOf(spec);
  }

  localInput(): LocalHostInput {
    return { tunnelIp: this.config.tunnelIp, tunnelOfport: this.tunnelOfport, providerPorts: this.providerPorts };
  }

  /** One patch port pair br-int <-> br-phy per provider VLAN in the definitions (others removed). */
  async syncProviderPorts(defs: DefinitionSet): Promise<void> {
    const vlans = [...new Set([...defs.networks.values()].flatMap((n) => (n.spec.providerVlan === undefined ? [] : [n.spec.providerVlan])))].sort((a, b) => a - b);
    this.providerPorts = await syncProviderPorts(this.ovsdb, { intBridge: this.config.bridge, vlans });
  }

  /** The other hosts' endpoints, with the tunnel address of the host each lives on. */
  remoteEndpoints(): RemoteEndpointInput[] {
    const result: RemoteEndpointInput[] = [];
    for (const ep of this.view.remoteEndpoints(this.config.hostName)) {
      const host = this.view.hosts.get(ep.host);
      if (!host) continue; // its host record expired: the endpoint goes with it
      result.push({ host: ep.host, network: ep.network, mac: ep.mac, ips: ep.ips, tunnelIp: host.tunnelIp });
    }
    return result;
  }

  /**
   * Publishes this host's managed ports as endpoint records (withdrawing the ones gone). Calls made
   * while a sync runs coalesce into one more sync of the newest state: an older sync can never
   * finish last and withdraw what a newer one published.
   */
  publish(ports: readonly LocalPort[], defs: DefinitionSet): Promise<void> {
    this.latest = { ports, defs };
    this.publishing ??= this.drain().finally(() => (this.publishing = undefined));
    return this.publishing;
  }

  private async drain(): Promise<void> {
    while (this.latest) {
      const { ports, defs } = this.latest;
      this.latest = undefined;
      await this.registry.syncEndpoints(endpointsOf(ports, defs));
    }
  }


  /** Stops renewing but keeps the records: a restart within the TTL is invisible to the others. */
  async stop(): Promise<void> {
    await this.view.stop();
    await this.registry.stop();
  }
}

function endpointsOf(ports: readonly LocalPort[], defs: DefinitionSet): LocalEndpoint[] {
  const endpoints: LocalEndpoint[] = [];
  for (const port of ports) {
    const network = defs.networks.get(port.identity.network);
    if (port.identity.mode !== "managed" || !network) continue;
    endpoints.push({
      network: port.identity.network,
      mac: port.identity.mac.toLowerCase(),
      ips: port.identity.ips.map((ip) => ip.split("/")[0]!),
      ...(network.spec.vni !== undefined ? { vni: network.spec.vni } : {}),
    });
  }
  return endpoints;
}

/** How a network travels between hosts: as its provider VLAN, else over the overlay with its VNI. */
export function transportOf(spec: Pick<NetworkSpec, "vni" | "providerVlan">): TransportInput | undefined {
  if (spec.providerVlan !== undefined) return { type: "vlan-provider", vlan: spec.providerVlan };
  return spec.vni === undefined ? undefined : { type: "overlay", vni: spec.vni };
}
