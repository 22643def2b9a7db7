/**
 * The cross-host test world: three hosts, two tenants with identical CIDRs spread across them,
 * acme's blue overlay network (two IPv4 subnets, one IPv6), acme's green VLAN provider network and globex's red
 * overlay network. Each host's pipeline is compiled from its own containers plus every other
 * host's containers as remote endpoints (what the controller will feed from etcd).
 */
import type { ChildProcess } from "node:child_process";
import { syncFlows } from "../../../../ovs/openflow/sync.js";
import type { FlowDiff } from "../../../../ovs/openflow/diff.js";
import { compileDesiredFlows } from "../../../../controller/pipeline/compile.js";
import type { NetworkInput, PipelineInput, PolicyInput } from "../../../../controller/pipeline/input.js";
import { attachContainer, ipsOf, removeContainers, type Container, type ContainerSpec } from "../../pipeline/helpers/containers.js";
import { startEchoServer, stopAll } from "../../pipeline/helpers/traffic.js";
import { execInNetns } from "../../../helpers/netns.js";
import { attachmentMtu } from "../../../../controller/pipeline/mtu.js";
import type { TunnelType } from "../../../../ovs/tunnel/tunnel-port.js";
import { BRIDGE, deleteOnExit, startUnderlay, type Host, type Underlay } from "./hosts.js";

export const ECHO_PORTS = [80, 9000];
export const PROVIDER_VLAN = 300;

export const NETWORKS: NetworkInput[] = [
  { name: "blue", tenant: "acme", id: 101, interSubnetDefault: "deny", transport: { type: "overlay", vni: 5101 } },
  { name: "green", tenant: "acme", id: 102, interSubnetDefault: "deny", transport: { type: "vlan-provider", vlan: PROVIDER_VLAN } },
  { name: "red", tenant: "globex", id: 201, interSubnetDefault: "allow", transport: { type: "overlay", vni: 5201 } },
];

export const SUBNETS: PipelineInput["subnets"] = [
  { name: "blue-a", network: "blue", id: 1, cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
  { name: "blue-a6", network: "blue", id: 2, cidr: "fd10:1::/64", gateway: "fd10:1::1" },
  { name: "blue-b", network: "blue", id: 3, cidr: "10.2.0.0/24", gateway: "10.2.0.1" },
  { name: "green-a", network: "green", id: 5, cidr: "10.3.0.0/24", gateway: "10.3.0.1" },
  { name: "red-a", network: "red", id: 6, cidr: "10.1.0.0/24", gateway: "10.1.0.1" }, // acme's blue-a CIDR again
];

export function acmePolicy(extra: PolicyInput["rules"] = []): PolicyInput {
  return {
    name: "acme-main",
    tenant: "acme",
    rules: [
      ...extra,
      { action: "deny", from: [{ cidr: "10.1.0.12/32" }], to: [{ cidr: "10.1.0.11/32" }], protocol: "tcp", ports: [{ from: 9000 }] },
      { action: "allow", from: [{ subnet: "blue-a" }], to: [{ subnet: "blue-b" }], protocol: "tcp", ports: [{ from: 80 }] },
      { action: "allow", from: [{ subnet: "blue-a" }], to: [{ network: "green" }], protocol: "tcp", ports: [{ from: 80 }] },
    ],
  };
}

export interface PlacedSpec extends ContainerSpec {
  host: string;
}

const v4 = (address: string, gateway: string) => ({ address, prefix: 24, gateway });
const v6 = (address: string) => ({ address, prefix: 64, gateway: "fd10:1::1" });

/** a1/a2 of acme and r2/r1 of globex share 10.1.0.11 and 10.1.0.12, on different hosts. */
export const CONTAINERS: PlacedSpec[] = [
  { host: "h1", name: "a1", network: "blue", ofport: 11, vlan: 101, mac: "02:00:00:01:01:11", v4: v4("10.1.0.11", "10.1.0.1"), v6: v6("fd10:1::11") },
  { host: "h1", name: "r2", network: "red", ofport: 12, vlan: 201, mac: "02:00:00:01:04:12", v4: v4("10.1.0.12", "10.1.0.1") },
  { host: "h1", name: "g2", network: "green", ofport: 13, vlan: 102, mac: "02:00:00:01:03:12", v4: v4("10.3.0.12", "10.3.0.1") },
  { host: "h2", name: "a2", network: "blue", ofport: 11, vlan: 101, mac: "02:00:00:02:01:12", v4: v4("10.1.0.12", "10.1.0.1"), v6: v6("fd10:1::12") },
  { host: "h2", name: "b1", network: "blue", ofport: 12, vlan: 101, mac: "02:00:00:02:02:11", v4: v4("10.2.0.11", "10.2.0.1") },
  { host: "h2", name: "r1", network: "red", ofport: 13, vlan: 201, mac: "02:00:00:02:04:11", v4: v4("10.1.0.11", "10.1.0.1") },
  { host: "h3", name: "g1", network: "green", ofport: 11, vlan: 102, mac: "02:00:00:03:03:11", v4: v4("10.3.0.11", "10.3.0.1") },
  { host: "h3", name: "a3", network: "blue", ofport: 12, vlan: 101, mac: "02:00:00:03:01:13", v4: v4("10.1.0.13", "10.1.0.1") },
];

export interface InputOptions {
  policies?: PolicyInput[];
  /** Hosts whose endpoints this host does not know (gone from the store). */
  forgetHosts?: string[];
}

export interface World {
  underlay: Underlay;
  c(name: string): Container;
  host(name: string): Host;
  /** The pipeline input of one host. */
  input(host: string, options?: InputOptions): PipelineInput;
  /** Compiles and converges one host (default: every host). */
  sync(options?: InputOptions & { hosts?: string[] }): Promise<FlowDiff[]>;
  setTunnelType(type: TunnelType): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorld(prefix: string, tunnelType: TunnelType): Promise<World> {
  const underlay = await startUnderlay({ prefix, hosts: 3, tunnelType, providerVlans: [PROVIDER_VLAN] });
  const containers: Container[] = [];
  const servers: ChildProcess[] = [];
  const forget = deleteOnExit(() => containers.map((c) => c.netns));
  const stop = async () => {
    forget();
    stopAll(servers);
    await removeContainers(containers);
    await underlay.stop();
  };
  try {
    for (const spec of CONTAINERS) {
      const c = await attachContainer(underlay.host(spec.host).sandbox, BRIDGE, spec);
      containers.push(c);
      const transport = NETWORKS.find((n) => n.name === spec.network)?.transport;
      const mtu = attachmentMtu(1500, transport, { mtu: 1500, tunnelType });
      await execInNetns(c.netns, "ip", ["link", "set", "eth0", "mtu", String(mtu)]);
    }
    for (const c of containers) servers.push(await startEchoServer(c, ECHO_PORTS));
  } catch (err) {
    await stop();
    throw err;
  }
  const c = (name: string) => {
    const found = containers.find((x) => x.name === name);
    if (!found) throw new Error(`no container ${name}`);
    return found;
  };
  const input = (hostName: string, options: InputOptions = {}): PipelineInput => {
    const host = underlay.host(hostName);
    const remote = CONTAINERS.filter((s) => s.host !== hostName && !options.forgetHosts?.includes(s.host));
    return {
      networks: NETWORKS,
      subnets: SUBNETS,
      policies: options.policies ?? [acmePolicy()],
      ports: CONTAINERS.filter((s) => s.host === hostName).map((s) => ({ name: s.name, ofport: s.ofport, network: s.network, mac: s.mac, ips: ipsOf(s) })),
      remoteEndpoints: remote.map((s) => ({ host: s.host, network: s.network, mac: s.mac, ips: ipsOf(s), tunnelIp: underlay.host(s.host).underlayIp })),
      local: { tunnelIp: host.underlayIp, tunnelOfport: host.tunnelOfport, providerPorts: host.providerPorts },
    };
  };
  const sync = async (options: InputOptions & { hosts?: string[] } = {}) => {
    const diffs: FlowDiff[] = [];
    for (const h of underlay.hosts) {
      if (options.hosts && !options.hosts.includes(h.name)) continue;
      const { flows, problems } = compileDesiredFlows(input(h.name, options));
      if (problems.length > 0) throw new Error(`${h.name}: pipeline input problems: ${problems.join("; ")}`);
      diffs.push(await syncFlows(h.applier, flows));
    }
    return diffs;
  };
  return { underlay, c, host: underlay.host, input, sync, setTunnelType: underlay.setTunnelType, stop };
}
