/**
 * EgressConntrack + EgressState: a connection routed into *another* network of the tenant is
 * tracked in both zones (as each network's own traffic is), so its replies are "established" in
 * the destination network's zone on their way back. Within one network there is nothing to do.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Network } from "../model.js";
import { tableId } from "../tables.js";
import { REG } from "../registers.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { flow, goto, regs } from "./build.js";

export function egressSameNetworkFlow(network: Network): Flow {
  return flow("EgressConntrack", PRIORITY.sameNetwork, PURPOSE.egressSameNetwork, { regs: regs({ srcNetwork: network.id, dstNetwork: network.id }) }, [
    goto("L2Forward"),
  ]);
}

export function egressConntrackFlows(): Flow[] {
  return (["ip", "ipv6"] as const).map((protocol) =>
    flow("EgressConntrack", PRIORITY.normal - 1, PURPOSE.egressConntrack, { protocol }, [{ kind: "ct", zoneReg: REG.dstNetwork, table: tableId("EgressState") }]),
  );
}

export function egressStateFlows(): Flow[] {
  return [
    ...(["ip", "ipv6"] as const).map((protocol) =>
      flow("EgressState", PRIORITY.normal, PURPOSE.egressState, { protocol, ctState: "+new+trk" }, [
        { kind: "ct", commit: true, zoneReg: REG.dstNetwork },
        goto("L2Forward"),
      ]),
    ),
    flow("EgressState", PRIORITY.normal, PURPOSE.egressState, { ctState: "+est+trk" }, [goto("L2Forward")]),
    flow("EgressState", PRIORITY.normal - 1, PURPOSE.egressState, { ctState: "+rel+trk" }, [goto("L2Forward")]),
  ];
}
