// Golden ovs-ofctl strings for the ingress half of the pipeline: classifier, SpoofGuard, neighbor, destination.
import { describe, expect, it } from "vitest";
import { renderFlow } from "../../../ovs/openflow/render.js";
import type { Flow } from "../../../ovs/openflow/flow.js";
import { classifierPortFlow } from "../../../controller/pipeline/flows/classifier.js";
import { spoofGuardFlows } from "../../../controller/pipeline/flows/spoof-guard.js";
import { arpReplyFlow, ndCompleteFlow, ndReplyFlow, neighborDropFlows } from "../../../controller/pipeline/flows/neighbor.js";
import { destinationSubnetFlow } from "../../../controller/pipeline/flows/destination.js";
import { tableMissFlows } from "../../../controller/pipeline/flows/table-miss.js";
import { PURPOSE } from "../../../controller/pipeline/purposes.js";
import { port, subnet } from "./fixtures.js";

const text = (flows: Flow | Flow[]) => (Array.isArray(flows) ? flows : [flows]).map(renderFlow);
const v4 = subnet(1, "10.1.0.0/24", "10.1.0.1");
const v6 = subnet(3, "fd10:1::/64", "fd10:1::1");
const dual = port(4, "02:00:00:00:00:04", [["10.1.0.11", v4], ["fd10:1::11", v6]]);
dual.linkLocal = "fe80::ff:fe00:4";

describe("table misses", () => {
  it("drop everywhere except neighbor, which passes on to destination", () => {
    expect(text(tableMissFlows())).toEqual([
      "table=0,priority=0 actions=drop",
      "table=5,priority=0 actions=drop",
      "table=6,priority=0 actions=drop",
      "table=10,priority=0 actions=drop",
      "table=20,priority=0 actions=goto_table:30",
      ...[21, 30, 40, 50, 51, 60, 61, 70, 71, 80, 90].map((t) => `table=${t},priority=0 actions=drop`),
    ]);
  });
});

describe("Classifier", () => {
  it("maps an untagged frame of a known port to its network and tenant", () => {
    const flow = classifierPortFlow(dual);
    expect(renderFlow(flow)).toBe("table=0,priority=100,in_port=4,vlan_tci=0x0000/0x1000 actions=set_field:101->reg0,set_field:7->reg2,goto_table:10");
    expect(flow.purpose).toBe(PURPOSE.classifierPort);
  });
});

describe("SpoofGuard", () => {
  it("admits only the port's MAC with its own IPv4 (ARP too), IPv6 and link-local source", () => {
    expect(text(spoofGuardFlows(dual))).toEqual([
      "table=10,priority=100,ip,in_port=4,dl_src=02:00:00:00:00:04,nw_src=10.1.0.11 actions=set_field:1->reg1,goto_table:20",
      "table=10,priority=100,arp,in_port=4,dl_src=02:00:00:00:00:04,arp_spa=10.1.0.11,arp_sha=02:00:00:00:00:04 actions=goto_table:20",
      "table=10,priority=100,ipv6,in_port=4,dl_src=02:00:00:00:00:04,ipv6_src=fd10:1::11 actions=set_field:3->reg1,goto_table:20",
      "table=10,priority=100,ipv6,in_port=4,dl_src=02:00:00:00:00:04,ipv6_src=fe80::ff:fe00:4 actions=goto_table:20",
    ]);
  });

  it("gives an IPv4-only port no IPv6 and no link-local flow", () => {
    const only4 = port(5, "02:00:00:00:00:05", [["10.1.0.12", v4]]);
    expect(text(spoofGuardFlows(only4)).every((f) => !f.includes("ipv6"))).toBe(true);
  });
});

describe("Neighbor", () => {
  it("turns an ARP request into the reply, sent back where it came from", () => {
    expect(renderFlow(arpReplyFlow(101, "10.1.0.1", "0a:5d:00:00:00:01"))).toBe(
      "table=20,priority=200,arp,reg0=101,arp_op=1,arp_tpa=10.1.0.1 actions=move:eth_src[]->eth_dst[],set_field:0a:5d:00:00:00:01->eth_src,set_field:2->arp_op,move:arp_sha[]->arp_tha[],set_field:0a:5d:00:00:00:01->arp_sha,move:arp_spa[]->arp_tpa[],set_field:10.1.0.1->arp_spa,in_port",
    );
  });

  it("turns a neighbor solicitation into an advertisement in two steps", () => {
    expect(renderFlow(ndReplyFlow(101, "fd10:1::1", "0a:5d:00:00:00:03", true))).toBe(
      "table=20,priority=200,icmp6,reg0=101,icmp_type=135,nd_target=fd10:1::1 actions=set_field:136->icmpv6_type,set_field:0->icmpv6_code,set_field:0xe0000000->nd_reserved,set_field:2->nd_options_type,move:eth_src[]->eth_dst[],set_field:0a:5d:00:00:00:03->eth_src,move:ipv6_src[]->ipv6_dst[],set_field:fd10:1::1->ipv6_src,goto_table:21",
    );
    expect(renderFlow(ndReplyFlow(101, "fd10:1::11", "02:00:00:00:00:04", false))).toContain("set_field:0x60000000->nd_reserved");
    expect(renderFlow(ndCompleteFlow())).toBe("table=21,priority=100,icmp6,icmp_type=136 actions=move:eth_src[]->nd_tll[],in_port");
  });

  it("drops every other ARP, ND and MLD message instead of flooding it", () => {
    expect(text(neighborDropFlows())).toEqual([
      "table=20,priority=50,arp actions=drop",
      ...[130, 131, 132, 133, 134, 135, 136, 137, 143].map((t) => `table=20,priority=50,icmp6,icmp_type=${t} actions=drop`),
    ]);
  });
});

describe("Destination", () => {
  it("looks the destination up among the tenant's subnets only, longest prefix first", () => {
    expect(renderFlow(destinationSubnetFlow(v4))).toBe("table=30,priority=124,ip,reg2=7,nw_dst=10.1.0.0/24 actions=set_field:1->reg3,set_field:101->reg4,goto_table:40");
    expect(renderFlow(destinationSubnetFlow(v6))).toBe("table=30,priority=164,ipv6,reg2=7,ipv6_dst=fd10:1::/64 actions=set_field:3->reg3,set_field:101->reg4,goto_table:40");
  });
});
