// Golden ovs-ofctl strings for the cross-host flows: tunnel and provider ingress, remote sources, remote exits.
import { describe, expect, it } from "vitest";
import { renderFlow } from "../../../ovs/openflow/render.js";
import type { Flow } from "../../../ovs/openflow/flow.js";
import { resolveInput } from "../../../controller/pipeline/compile.js";
import { providerClassifierFlow, tunnelClassifierFlow, tunnelNetworkFlow } from "../../../controller/pipeline/flows/remote-ingress.js";
import { l2RemoteFlow, remoteSourceFlows } from "../../../controller/pipeline/flows/remote-endpoint.js";
import { l3FromRemoteFlows, l3RouteFlow } from "../../../controller/pipeline/flows/l3.js";
import { PURPOSE } from "../../../controller/pipeline/purposes.js";
import { overlayInput } from "./overlay-fixtures.js";

const text = (flows: Flow | Flow[]) => (Array.isArray(flows) ? flows : [flows]).map(renderFlow);
const model = resolveInput(overlayInput());
const acme = model.networks.find((n) => n.name === "blue")!.tenantId;
const remote = (mac: string) => model.remotePorts.find((p) => p.mac === mac)!;
const a2 = remote("02:00:00:00:02:01");
const g2 = remote("02:00:00:00:02:02");

describe("tunnel and provider ingress", () => {
  it("copies tun_src and tun_id into registers for a packet from the tunnel port", () => {
    expect(text(tunnelClassifierFlow(100))).toEqual([
      "table=0,priority=100,in_port=100,vlan_tci=0x0000/0x1000 actions=move:tun_src[]->reg7[],move:tun_id[]->xreg4[],goto_table:5",
    ]);
  });

  it("maps a VNI to its network's tenant and marks the packet as remote", () => {
    const blue = model.networks.find((n) => n.name === "blue")!;
    const flow = tunnelNetworkFlow(blue, 5101);
    expect(renderFlow(flow)).toBe(`table=5,priority=100,reg9=5101 actions=set_field:${acme}->reg2,set_field:1->reg6,goto_table:6`);
    expect(flow.purpose).toBe(PURPOSE.tunnelNetwork);
  });

  it("gives a provider port's untagged frames their network's tenant", () => {
    expect(model.providerPorts).toHaveLength(1);
    expect(text(providerClassifierFlow(model.providerPorts[0]!))).toEqual([
      `table=0,priority=100,in_port=200,vlan_tci=0x0000/0x1000 actions=set_field:${acme}->reg2,set_field:2->reg6,goto_table:6`,
    ]);
  });

  it("skips L3 for packets from another host, through the tunnel or a provider port", () => {
    expect(text(l3FromRemoteFlows())).toEqual(["table=60,priority=300,reg6=1 actions=goto_table:70", "table=60,priority=300,reg6=2 actions=goto_table:70"]);
  });
});

describe("remote endpoints", () => {
  it("accepts a remote address only from its own host's tunnel address, or from a provider port of the tenant", () => {
    const [v4, v6] = a2.endpoints;
    // 172.31.0.2 = 0xac1f0002 = 2887712770
    expect(text(remoteSourceFlows(v4!))).toEqual([
      `table=6,priority=100,ip,reg2=${acme},reg7=2887712770,nw_src=10.1.0.12 actions=set_field:101->reg0,set_field:1->reg1,goto_table:30`,
      `table=6,priority=100,ip,reg2=${acme},reg6=2,nw_src=10.1.0.12 actions=set_field:101->reg0,set_field:1->reg1,goto_table:30`,
    ]);
    expect(text(remoteSourceFlows(v6!))[0]).toBe(
      `table=6,priority=100,ipv6,reg2=${acme},reg7=2887712770,ipv6_src=fd10:1::12 actions=set_field:101->reg0,set_field:2->reg1,goto_table:30`,
    );
  });

  it("has no provider-path source flow in a tenant without a provider network here", () => {
    const r2 = remote("02:00:00:00:03:02");
    expect(r2.arrives).toEqual({ tunnelSource: 0xac1f0003, provider: false });
    expect(text(remoteSourceFlows(r2.endpoints[0]!))).toHaveLength(1);
  });

  it("sends an overlay endpoint's traffic into the tunnel with its network's VNI to its host, never traffic from another host", () => {
    expect(text(l2RemoteFlow(a2.endpoints[0]!))).toEqual([
      "table=80,priority=100,ip,reg4=101,reg6=0,dl_dst=02:00:00:00:02:01,nw_dst=10.1.0.12 actions=set_field:5101->tun_id,set_field:172.31.0.2->tun_dst,set_field:100->reg5,goto_table:90",
    ]);
  });

  it("sends a provider endpoint's traffic to its network's provider port", () => {
    expect(text(l2RemoteFlow(g2.endpoints[0]!))).toEqual([
      "table=80,priority=100,ip,reg4=102,reg6=0,dl_dst=02:00:00:00:02:02,nw_dst=10.3.0.12 actions=set_field:200->reg5,goto_table:90",
    ]);
  });

  it("routes to a remote endpoint like to a local one", () => {
    expect(text(l3RouteFlow(g2.endpoints[0]!))).toEqual([
      "table=61,priority=100,ip,reg4=102,nw_dst=10.3.0.12 actions=set_field:02:00:00:00:02:02->eth_dst,set_field:0a:5d:00:00:00:03->eth_src,dec_ttl,goto_table:70",
    ]);
  });
});
