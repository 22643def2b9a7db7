/**
 * Destination: the destination address picks a subnet of the *source's tenant* only, which is what
 * makes the tenant boundary absolute: identical CIDRs of another tenant are simply not in the
 * lookup. Longer prefixes get higher priority (subnets of a tenant do not overlap; this only makes
 * the choice deterministic if they ever did). No subnet: drop.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Subnet } from "../model.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { flow, goto, regs, setReg } from "./build.js";

export function destinationSubnetFlow(subnet: Subnet): Flow {
  const tenant = regs({ tenant: subnet.network.tenantId });
  const match =
    subnet.cidr.family === 4 ? { protocol: "ip" as const, regs: tenant, ipv4Dst: subnet.cidr.text } : { protocol: "ipv6" as const, regs: tenant, ipv6Dst: subnet.cidr.text };
  return flow("Destination", PRIORITY.normal + subnet.cidr.prefix, PURPOSE.destinationSubnet, match, [
    setReg("dstSubnet", subnet.id),
    setReg("dstNetwork", subnet.network.id),
    goto("Conntrack"),
  ]);
}
