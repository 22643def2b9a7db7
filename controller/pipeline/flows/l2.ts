/**
 * L2Forward + Output: a frame leaves through the port that owns both its destination MAC and its
 * destination IP in the destination network. Unknown unicast, broadcast and multicast match
 * nothing and drop: ARP and ND are answered by flows, so nothing needs flooding.
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Endpoint } from "../model.js";
import { REG } from "../registers.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { flow, goto, regs, setReg } from "./build.js";

export function l2EndpointFlow(endpoint: Endpoint): Flow {
  const { port } = endpoint;
  const network = regs({ dstNetwork: port.network.id });
  const match =
    endpoint.family === 4
      ? { protocol: "ip" as const, regs: network, ethDst: port.mac, ipv4Dst: endpoint.address }
      : { protocol: "ipv6" as const, regs: network, ethDst: port.mac, ipv6Dst: endpoint.address };
  return flow("L2Forward", PRIORITY.normal, PURPOSE.l2Endpoint, match, [setReg("outPort", port.ofport), goto("Output")]);
}

export function outputFlow(): Flow {
  return flow("Output", PRIORITY.normal, PURPOSE.output, {}, [{ kind: "outputReg", reg: REG.outPort }]);
}
