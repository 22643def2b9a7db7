/**
 * acl, everything except policy rules: conntrack state first (invalid drops; established and
 * related pass whatever the rules say now), then, below the rules, the defaults: same subnet
 * passes, between subnets of one network the network's default decides, anything else (another
 * network of the tenant) matches no flow and drops. Allowed new connections go to acl_commit.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Network, Subnet } from "../model.js";
import { REG } from "../registers.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { DROP, flow, goto, regs } from "./build.js";

export function aclStateFlows(): Flow[] {
  return [
    flow("acl", PRIORITY.aclState + 1, PURPOSE.aclState, { ctState: "+inv+trk" }, DROP),
    flow("acl", PRIORITY.aclState, PURPOSE.aclState, { ctState: "+est+trk" }, [goto("l3_gateway")]),
    flow("acl", PRIORITY.aclState - 1, PURPOSE.aclState, { ctState: "+rel+trk" }, [goto("l3_gateway")]),
  ];
}

/** acl_commit: remember the allowed connection in the source zone, then route/forward it. */
export function aclCommitFlows(): Flow[] {
  return (["ip", "ipv6"] as const).map((protocol) =>
    flow("acl_commit", PRIORITY.normal, PURPOSE.aclCommit, { protocol }, [{ kind: "ct", commit: true, zoneReg: REG.srcNetwork }, goto("l3_gateway")]),
  );
}

export function aclIntraSubnetFlow(subnet: Subnet): Flow {
  return flow("acl", PRIORITY.aclIntraSubnet, PURPOSE.aclIntraSubnet, { regs: regs({ srcSubnet: subnet.id, dstSubnet: subnet.id }) }, [goto("acl_commit")]);
}

export function aclNetworkDefaultFlow(network: Network): Flow {
  const actions = network.interSubnetDefault === "allow" ? [goto("acl_commit")] : DROP;
  return flow("acl", PRIORITY.aclNetworkDefault, PURPOSE.aclNetworkDefault, { regs: regs({ srcNetwork: network.id, dstNetwork: network.id }) }, actions);
}
