/**
 * Conntrack: every IP packet is tracked in its source network's zone (reg srcNetwork, low 16 bits),
 * so tenants with identical addresses never share connection state; Acl continues after recirculation.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import { tableId } from "../tables.js";
import { REG } from "../registers.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { flow } from "./build.js";

export function conntrackFlows(): Flow[] {
  return (["ip", "ipv6"] as const).map((protocol) =>
    flow("Conntrack", PRIORITY.normal, PURPOSE.conntrack, { protocol }, [{ kind: "ct", zoneReg: REG.srcNetwork, table: tableId("Acl") }]),
  );
}
