/**
 * Acl, everything except policy rules: conntrack state first (invalid drops; established and
 * related pass whatever the rules say now), then, below the rules, the defaults: same subnet
 * passes, between subnets of one network the network's default decides, anything else (another
 * network of the tenant) matches no flow and drops. Allowed new connections go to AclCommit.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Network, Subnet } from "../model.js";
import { REG } from "../registers.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { DROP, flow, goto, regs } from "./build.js";

export function aclStateFlows(): Flow[] {
  return [
    flow("Acl", PRIORITY.aclState + 1, PURPOSE.aclState, { ctState: "+inv+trk" }, DROP),
    flow("Acl", PRIORITY.aclState, PURPOSE.aclState, { ctState: "+est+trk" }, [goto("L3Gateway")]),
    flow("Acl", PRIORITY.aclState - 1, PURPOSE.aclState, { ctState: "+rel+trk" }, [goto("L3Gateway")]),
  ];
}

/** AclCommit: remember the allowed connection in the source zone, then route/forward it. */
export function aclCommitFlows(): Flow[] {
  return (["ip", "ipv6"] as const).map((protocol) =>
    flow("AclCommit", PRIORITY.normal, PURPOSE.aclCommit, { protocol }, [{ kind: "ct", commit: true, zoneReg: REG.srcNetwork }, goto("L3Gateway")]),
  );
}

export function aclIntraSubnetFlow(subnet: Subnet): Flow {
  return flow("Acl", PRIORITY.aclIntraSubnet, PURPOSE.aclIntraSubnet, { regs: regs({ srcSubnet: subnet.id, dstSubnet: subnet.id }) }, [goto("AclCommit")]);
}

export function aclNetworkDefaultFlow(network: Network): Flow {
  const actions = network.interSubnetDefault === "allow" ? [goto("AclCommit")] : DROP;
  return flow("Acl", PRIORITY.aclNetworkDefault, PURPOSE.aclNetworkDefault, { regs: regs({ srcNetwork: network.id, dstNetwork: network.id }) }, actions);
}
