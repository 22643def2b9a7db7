import { describe, expect, it } from "vitest";
import { renderActions, renderFlow, renderMatch } from "../../../ovs/openflow/render.js";
import { OpenFlowError } from "../../../ovs/openflow/errors.js";

describe("renderMatch", () => {
  it("renders every field in canonical order whatever the object order", () => {
    const text = renderMatch({
      ndSll: "02:00:00:00:00:01",
      ndTarget: "fd10::1",
      icmpType: 135,
      regs: { 2: 7, 0: 5 },
      protocol: "icmp6",
      inPort: 3,
      untagged: true,
    });
    expect(text).toBe("icmp6,in_port=3,vlan_tci=0x0000/0x1000,reg0=5,reg2=7,icmp_type=135,nd_target=fd10::1,nd_sll=02:00:00:00:00:01");
  });

  it("renders IPv4, ARP, conntrack and masked transport ports", () => {
    expect(renderMatch({ protocol: "tcp", ctState: "+new+trk", ipv4Src: "10.0.0.0/24", ipv4Dst: "10.1.0.5", tpDst: { value: 0x1f40, mask: 0xffc0 } })).toBe(
      "tcp,ct_state=+new+trk,nw_src=10.0.0.0/24,nw_dst=10.1.0.5,tp_dst=0x1f40/0xffc0",
    );
    expect(renderMatch({ protocol: "arp", ethSrc: "02:00:00:00:00:01", arpOp: 1, arpSpa: "10.0.0.2", arpTpa: "10.0.0.1", arpSha: "02:00:00:00:00:01" })).toBe(
      "arp,dl_src=02:00:00:00:00:01,arp_op=1,arp_spa=10.0.0.2,arp_tpa=10.0.0.1,arp_sha=02:00:00:00:00:01",
    );
    expect(renderMatch({ conjId: 42 })).toBe("conj_id=42");
    expect(renderMatch({})).toBe("");
  });

  it("rejects register indexes and values OpenFlow does not have", () => {
    expect(() => renderMatch({ regs: { 16: 1 } })).toThrow(OpenFlowError);
    expect(() => renderMatch({ regs: { 0: 2 ** 32 } })).toThrow(/32-bit/);
    expect(() => renderMatch({ regs: { 0: -1 } })).toThrow(OpenFlowError);
  });
});

describe("renderActions", () => {
  it("renders each action kind in ovs-ofctl syntax", () => {
    expect(
      renderActions([
        { kind: "move", from: "eth_src", to: "eth_dst" },
        { kind: "setField", field: "eth_src", value: "0a:5d:00:00:00:01" },
        { kind: "decTtl" },
        { kind: "ct", commit: true, zoneReg: 0 },
        { kind: "ct", zoneReg: 4, table: 71 },
        { kind: "goto", table: 80 },
      ]),
    ).toBe("move:eth_src[]->eth_dst[],set_field:0a:5d:00:00:00:01->eth_src,dec_ttl,ct(commit,zone=reg0[0..15]),ct(table=71,zone=reg4[0..15]),goto_table:80");
    expect(renderActions([{ kind: "conjunction", id: 7, clause: 2, clauses: 3 }])).toBe("conjunction(7,2/3)");
    expect(renderActions([{ kind: "outputReg", reg: 5 }])).toBe("output:reg5[]");
    expect(renderActions([{ kind: "output", port: 4 }, { kind: "inPort" }])).toBe("output:4,in_port");
    expect(renderActions([])).toBe("drop");
    expect(renderActions([{ kind: "drop" }])).toBe("drop");
  });

  it("refuses a goto that is not last and a drop mixed with other actions", () => {
    expect(() => renderActions([{ kind: "goto", table: 1 }, { kind: "decTtl" }])).toThrow(/last/);
    expect(() => renderActions([{ kind: "drop" }, { kind: "decTtl" }])).toThrow(/drop/);
    expect(() => renderActions([{ kind: "goto", table: 254 }])).toThrow(/table/);
  });
});

describe("renderFlow", () => {
  it("renders table, priority, match and actions without a cookie", () => {
    expect(renderFlow({ table: 10, priority: 100, purpose: 3, match: { protocol: "ip", inPort: 1, ipv4Src: "10.1.0.5" }, actions: [{ kind: "goto", table: 20 }] })).toBe(
      "table=10,priority=100,ip,in_port=1,nw_src=10.1.0.5 actions=goto_table:20",
    );
    expect(renderFlow({ table: 0, priority: 0, purpose: 1, match: {}, actions: [{ kind: "drop" }] })).toBe("table=0,priority=0 actions=drop");
  });

  it("rejects priorities outside 0..65535", () => {
    expect(() => renderFlow({ table: 0, priority: 65536, purpose: 1, match: {}, actions: [] })).toThrow(/priority/);
  });
});
