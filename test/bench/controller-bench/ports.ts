/**
 * Bulk ports for the scale measurements, made without the plugin (1,000 plugin ADDs would take
 * minutes): veth pairs in the sandbox's host netns from one `ip -batch`, each host end added to
 * br-int through one OVSDB connection with the external_ids the plugin writes in managed mode.
 * The netns recorded is the sandbox's own (it exists), so the controller's GC leaves them alone.
 */
import { performance } from "node:perf_hooks";
import type { Lab } from "../../../controller/lab/lab.js";
import { BRIDGE } from "../../../controller/lab/lab.js";
import { addAccessPort, type OvsdbClient } from "../../../ovs/ovsdb/index.js";
import { OWNER_VALUE, PortKey, toExternalIds } from "../../../ovs/port-identity.js";
import { bulkPort } from "./world.js";

/** Transactions in flight at once on the one connection. */
const IN_FLIGHT = 50;

export interface AddedBatch {
  /** When the last port's transaction committed (performance.now()). */
  lastAddedAt: number;
  vethMs: number;
  ovsdbMs: number;
  /** vswitchd has applied every port of the batch once Open_vSwitch.cur_cfg reaches this. */
  nextCfg: number;
}

/** Creates bulk ports [from, to): veths first, then the OVSDB rows. */
export async function addBulkPorts(lab: Lab, ovsdb: OvsdbClient, vlans: ReadonlyMap<string, number>, from: number, to: number): Promise<AddedBatch> {
  const ports = Array.from({ length: to - from }, (_, i) => bulkPort(from + i));
  const batch = ports.flatMap((p) => [`link add ${p.name} type veth peer name ${p.peer}`, `link set ${p.name} up`]).join("\n");
  let t0 = performance.now();
  await lab.sandbox.execInHost("ip", ["-batch", "-"], { input: `${batch}\n`, timeoutMs: 120_000 });
  const vethMs = performance.now() - t0;

  t0 = performance.now();
  const netns = `/var/run/netns/${lab.sandbox.netns}`;
  let nextCfg = 0;
  for (let i = 0; i < ports.length; i += IN_FLIGHT) {
    const added = await Promise.all(
      ports.slice(i, i + IN_FLIGHT).map((p) => {
        const tag = vlans.get(p.network);
        if (tag === undefined) throw new Error(`network ${p.network} has no VLAN`);
        const identity = { mode: "managed" as const, containerId: p.containerId, ifname: "eth0", netns, network: p.network, ips: [p.ip], mac: p.mac };
        return addAccessPort(ovsdb, {
          bridge: BRIDGE,
          portName: p.name,
          tag,
          portExternalIds: { [PortKey.owner]: OWNER_VALUE, [PortKey.containerId]: p.containerId, [PortKey.ifname]: "eth0", [PortKey.mode]: "managed", [PortKey.network]: p.network },
          interfaceExternalIds: toExternalIds(identity),
        });
      }),
    );
    nextCfg = Math.max(nextCfg, ...added.map((a) => a.nextCfg));
  }
  const lastAddedAt = performance.now();
  return { lastAddedAt, vethMs, ovsdbMs: lastAddedAt - t0, nextCfg };
}

/** Polls GET /v1/status (every 25 ms) until the controller has `ports` ports and its flows in sync; returns when. */
export async function waitInSync(lab: Lab, ports: number, timeoutMs = 120_000): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const status = await lab.client.status();
    if (status.ports === ports && status.flowsInSync) return performance.now();
    if (performance.now() > deadline) throw new Error(`controller not in sync with ${ports} ports after ${timeoutMs} ms: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 25)); // each status call decodes every port: poll gently
  }
}

/** The network -> VLAN map the controller allocated (Port.tag, as the plugin would set it). */
export async function networkVlans(lab: Lab): Promise<Map<string, number>> {
  const networks = await lab.client.call<Array<{ metadata: { name: string }; spec: { vlan?: number } }>>("GET", "/v1/definitions/networks");
  return new Map(networks.filter((n) => n.spec.vlan !== undefined).map((n) => [n.metadata.name, n.spec.vlan!]));
}
