/**
 * The pipeline tests' world: two tenants with identical CIDRs, dual-stack subnets, a policy with
 * a deny rule, a conjunctive allow rule and a cross-network allow rule; seven containers attached
 * to a private OVS (br-int: netdev, fail_mode=secure, OpenFlow13) with echo servers running.
 */
import type { ChildProcess } from "node:child_process";
import { OvsSandbox } from "../../../../ovs/sandbox.js";
import { OfctlFlowApplier } from "../../../../ovs/openflow/applier.js";
import { setTableNames } from "../../../../ovs/openflow/table-names.js";
import { syncFlows } from "../../../../ovs/openflow/sync.js";
import type { FlowDiff } from "../../../../ovs/openflow/diff.js";
import { compileDesiredFlows, pipelineTableNames } from "../../../../controller/pipeline/compile.js";
import type { PipelineInput, PolicyInput } from "../../../../controller/pipeline/input.js";
import { attachContainer, ipsOf, removeContainers, type Container, type ContainerSpec } from "./containers.js";
import { startEchoServer, stopAll } from "./traffic.js";

export const BRIDGE = "br-int";
export const ECHO_PORTS = [80, 9000];

export const NETWORKS: PipelineInput["networks"] = [
  { name: "blue", tenant: "acme", id: 101, interSubnetDefault: "deny" },
  { name: "green", tenant: "acme", id: 102, interSubnetDefault: "deny" },
  { name: "red", tenant: "globex", id: 201, interSubnetDefault: "allow" },
];

export const SUBNETS: PipelineInput["subnets"] = [
  { name: "blue-a", network: "blue", id: 1, cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
  { name: "blue-a6", network: "blue", id: 2, cidr: "fd10:1::/64", gateway: "fd10:1::1" },
  { name: "blue-b", network: "blue", id: 3, cidr: "10.2.0.0/24", gateway: "10.2.0.1" },
  { name: "blue-b6", network: "blue", id: 4, cidr: "fd10:2::/64", gateway: "fd10:2::1" },
  { name: "green-a", network: "green", id: 5, cidr: "10.3.0.0/24", gateway: "10.3.0.1" },
  // globex reuses acme's blue-a CIDR on purpose.
  { name: "red-a", network: "red", id: 6, cidr: "10.1.0.0/24", gateway: "10.1.0.1" },
  { name: "red-c", network: "red", id: 7, cidr: "10.4.0.0/24", gateway: "10.4.0.1" },
];

export function acmePolicy(allowedWebPort = 80): PolicyInput {
  return {
    name: "acme-main",
    tenant: "acme",
    rules: [
      { action: "deny", from: [{ cidr: "10.1.0.12/32" }], to: [{ cidr: "10.1.0.11/32" }], protocol: "tcp", ports: [{ from: 9000 }] },
      { action: "allow", from: [{ subnet: "blue-a" }, { subnet: "blue-a6" }], to: [{ subnet: "blue-b" }, { subnet: "blue-b6" }], protocol: "tcp", ports: [{ from: allowedWebPort }] },
      { action: "allow", from: [{ network: "green" }], to: [{ subnet: "blue-a" }], protocol: "tcp", ports: [{ from: 80 }] },
    ],
  };
}

const v4 = (address: string, gateway: string) => ({ address, prefix: 24, gateway });
const v6 = (address: string, gateway: string) => ({ address, prefix: 64, gateway });

export const CONTAINERS: ContainerSpec[] = [
  { name: "a1", network: "blue", ofport: 1, vlan: 101, mac: "02:00:00:00:01:11", v4: v4("10.1.0.11", "10.1.0.1"), v6: v6("fd10:1::11", "fd10:1::1") },
  { name: "a2", network: "blue", ofport: 2, vlan: 101, mac: "02:00:00:00:01:12", v4: v4("10.1.0.12", "10.1.0.1"), v6: v6("fd10:1::12", "fd10:1::1") },
  { name: "b1", network: "blue", ofport: 3, vlan: 101, mac: "02:00:00:00:02:11", v4: v4("10.2.0.11", "10.2.0.1"), v6: v6("fd10:2::11", "fd10:2::1") },
  { name: "g1", network: "green", ofport: 4, vlan: 102, mac: "02:00:00:00:03:11", v4: v4("10.3.0.11", "10.3.0.1") },
  { name: "r1", network: "red", ofport: 5, vlan: 201, mac: "02:00:00:00:04:11", v4: v4("10.1.0.11", "10.1.0.1") },
  { name: "r2", network: "red", ofport: 6, vlan: 201, mac: "02:00:00:00:04:12", v4: v4("10.1.0.12", "10.1.0.1") },
  { name: "r3", network: "red", ofport: 7, vlan: 201, mac: "02:00:00:00:04:13", v4: v4("10.4.0.11", "10.4.0.1") },
];

export function scenarioInput(policies: PolicyInput[] = [acmePolicy()]): PipelineInput {
  return {
    networks: NETWORKS,
    subnets: SUBNETS,
    policies,
    ports: CONTAINERS.map((c) => ({ name: c.name, ofport: c.ofport, network: c.network, mac: c.mac, ips: ipsOf(c) })),
  };
}

export interface World {
  sandbox: OvsSandbox;
  applier: OfctlFlowApplier;
  /** A container by its logical name (a1, a2, b1, g1, r1, r2, r3). */
  c(name: string): Container;
  /** Compiles `input` and converges the bridge to it; returns what changed. */
  sync(input?: PipelineInput): Promise<FlowDiff>;
  stop(): Promise<void>;
}

export async function startWorld(prefix: string): Promise<World> {
  const sandbox = await OvsSandbox.start({ prefix });
  const containers: Container[] = [];
  const servers: ChildProcess[] = [];
  const stop = async () => {
    stopAll(servers);
    await removeContainers(containers);
    await sandbox.stop();
  };
  try {
    await sandbox.vsctl("add-br", BRIDGE, "--", "set", "Bridge", BRIDGE, "datapath_type=netdev", "fail_mode=secure", "protocols=OpenFlow13");
    await setTableNames((...args) => sandbox.vsctl(...args), BRIDGE, pipelineTableNames());
    for (const spec of CONTAINERS) containers.push(await attachContainer(sandbox, BRIDGE, spec));
    for (const c of containers) servers.push(await startEchoServer(c, ECHO_PORTS));
  } catch (err) {
    await stop();
    throw err;
  }
  const applier = new OfctlFlowApplier({ target: `unix:${sandbox.mgmtSocket(BRIDGE)}` });
  const sync = async (input = scenarioInput()) => {
    const { flows, problems } = compileDesiredFlows(input);
    if (problems.length > 0) throw new Error(`pipeline input problems: ${problems.join("; ")}`);
    return syncFlows(applier, flows);
  };
  const c = (name: string) => {
    const found = containers.find((x) => x.name === name);
    if (!found) throw new Error(`no container ${name}`);
    return found;
  };
  return { sandbox, applier, c, sync, stop };
}
