// Golden ovs-ofctl strings for the second half: conntrack, acl base, l3, egress conntrack, l2, output.
import { describe, expect, it } from "vitest";
import { renderFlow } from "../../../ovs/openflow/render.js";
import type { Flow } from "../../../ovs/openflow/flow.js";
import { conntrackFlows } from "../../../controller/pipeline/flows/conntrack.js";
import { aclCommitFlows, aclIntraSubnetFlow, aclNetworkDefaultFlow, aclStateFlows } from "../../../controller/pipeline/flows/acl-base.js";
import { l3GatewayFlow, l3RouteFlow, l3SameNetworkFlow } from "../../../controller/pipeline/flows/l3.js";
import { egressConntrackFlows, egressSameNetworkFlow, egressStateFlows } from "../../../controller/pipeline/flows/egress.js";
import { l2EndpointFlow, outputFlow } from "../../../controller/pipeline/flows/l2.js";
import { blue, port, subnet } from "./fixtures.js";

const text = (flows: Flow | Flow[]) => (Array.isArray(flows) ? flows : [flows]).map(renderFlow);
const v4 = subnet(1, "10.1.0.0/24", "10.1.0.1");
const v6 = subnet(3, "fd10:1::/64", "fd10:1::1");
const p = port(4, "02:00:00:00:00:04", [["10.1.0.11", v4], ["fd10:1::11", v6]]);
const [e4, e6] = p.endpoints as [typeof p.endpoints[0], typeof p.endpoints[0]];

describe("conntrack and acl base", () => {
  it("tracks IP in the source network's zone", () => {
    expect(text(conntrackFlows())).toEqual([
      "table=40,priority=100,ip actions=ct(table=50,zone=reg0[0..15])",
      "table=40,priority=100,ipv6 actions=ct(table=50,zone=reg0[0..15])",
    ]);
  });

  it("drops invalid and passes established/related above every rule", () => {
    expect(text(aclStateFlows())).toEqual([
      "table=50,priority=65001,ct_state=+inv+trk actions=drop",
      "table=50,priority=65000,ct_state=+est+trk actions=goto_table:60",
      "table=50,priority=64999,ct_state=+rel+trk actions=goto_table:60",
    ]);
  });

  it("commits allowed new connections in the source zone", () => {
    expect(text(aclCommitFlows())).toEqual([
      "table=51,priority=100,ip actions=ct(commit,zone=reg0[0..15]),goto_table:60",
      "table=51,priority=100,ipv6 actions=ct(commit,zone=reg0[0..15]),goto_table:60",
    ]);
  });

  it("lets a subnet talk to itself and applies the network default between its subnets", () => {
    expect(renderFlow(aclIntraSubnetFlow(v4))).toBe("table=50,priority=3000,reg1=1,reg3=1 actions=goto_table:51");
    expect(renderFlow(aclNetworkDefaultFlow(blue))).toBe("table=50,priority=2000,reg0=101,reg4=101 actions=drop");
    expect(renderFlow(aclNetworkDefaultFlow({ ...blue, interSubnetDefault: "allow" }))).toBe("table=50,priority=2000,reg0=101,reg4=101 actions=goto_table:51");
  });
});

describe("l3", () => {
  it("routes frames sent to the source subnet's gateway MAC", () => {
    expect(renderFlow(l3GatewayFlow(v4))).toBe("table=60,priority=200,reg1=1,dl_dst=0a:5d:00:00:00:01 actions=goto_table:61");
    expect(renderFlow(l3SameNetworkFlow(blue))).toBe("table=60,priority=100,reg0=101,reg4=101 actions=goto_table:80");
  });

  it("rewrites both MACs and decrements the TTL / hop limit", () => {
    expect(renderFlow(l3RouteFlow(e4))).toBe(
      "table=61,priority=100,ip,reg4=101,nw_dst=10.1.0.11 actions=set_field:02:00:00:00:00:04->eth_dst,set_field:0a:5d:00:00:00:01->eth_src,dec_ttl,goto_table:70",
    );
    expect(renderFlow(l3RouteFlow(e6))).toBe(
      "table=61,priority=100,ipv6,reg4=101,ipv6_dst=fd10:1::11 actions=set_field:02:00:00:00:00:04->eth_dst,set_field:0a:5d:00:00:00:03->eth_src,dec_ttl,goto_table:70",
    );
  });
});

describe("egress conntrack", () => {
  it("skips the second zone inside one network and tracks cross-network traffic in the destination zone", () => {
    expect(renderFlow(egressSameNetworkFlow(blue))).toBe("table=70,priority=100,reg0=101,reg4=101 actions=goto_table:80");
    expect(text(egressConntrackFlows())).toEqual([
      "table=70,priority=99,ip actions=ct(table=71,zone=reg4[0..15])",
      "table=70,priority=99,ipv6 actions=ct(table=71,zone=reg4[0..15])",
    ]);
    expect(text(egressStateFlows())).toEqual([
      "table=71,priority=100,ip,ct_state=+new+trk actions=ct(commit,zone=reg4[0..15]),goto_table:80",
      "table=71,priority=100,ipv6,ct_state=+new+trk actions=ct(commit,zone=reg4[0..15]),goto_table:80",
      "table=71,priority=100,ct_state=+est+trk actions=goto_table:80",
      "table=71,priority=99,ct_state=+rel+trk actions=goto_table:80",
    ]);
  });
});

describe("l2 and output", () => {
  it("forwards on destination network + MAC + IP to the owning port", () => {
    expect(renderFlow(l2EndpointFlow(e4))).toBe("table=80,priority=100,ip,reg4=101,dl_dst=02:00:00:00:00:04,nw_dst=10.1.0.11 actions=set_field:4->reg5,goto_table:90");
    expect(renderFlow(l2EndpointFlow(e6))).toBe("table=80,priority=100,ipv6,reg4=101,dl_dst=02:00:00:00:00:04,ipv6_dst=fd10:1::11 actions=set_field:4->reg5,goto_table:90");
    expect(renderFlow(outputFlow())).toBe("table=90,priority=100 actions=output:reg5[]");
  });
});
