import { describe, expect, it } from "vitest";
import { parseDumpFlows, parseFlowLine } from "../../../ovs/openflow/dump.js";
import { OpenFlowError } from "../../../ovs/openflow/errors.js";

// Captured from ovs-ofctl 3.1 (-O OpenFlow13 --no-names dump-flows).
const SAMPLE = `OFPST_FLOW reply (OF1.3) (xid=0x2):
 cookie=0x5d0e0a1b2c3d4e5f, duration=0.010s, table=1, n_packets=3, n_bytes=126, priority=200,arp,reg0=0x7,arp_tpa=10.0.0.1,arp_op=1 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],IN_PORT
 cookie=0x5d0e0b0000000001, duration=0.010s, table=40, n_packets=0, n_bytes=0, priority=100,ip actions=ct(table=50,zone=NXM_NX_REG0[0..15])
 cookie=0x5d0e010000000002, duration=0.010s, table=0, n_packets=0, n_bytes=0, priority=0 actions=drop
 cookie=0x0, duration=5.5s, table=0, n_packets=9, n_bytes=900, idle_age=2, in_port=1 actions=NORMAL
`;

describe("parseDumpFlows", () => {
  it("reads cookie, table, priority, counters, match and actions", () => {
    const flows = parseDumpFlows(SAMPLE);
    expect(flows).toHaveLength(4);
    expect(flows[0]).toEqual({
      cookie: 0x5d0e0a1b2c3d4e5fn,
      table: 1,
      priority: 200,
      match: "arp,reg0=0x7,arp_tpa=10.0.0.1,arp_op=1",
      actions: "move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],IN_PORT",
      packets: 3,
      bytes: 126,
    });
    expect(flows[2]).toMatchObject({ table: 0, priority: 0, match: "", actions: "drop" });
  });

  it("takes an omitted priority as OpenFlow's default 32768", () => {
    expect(parseDumpFlows(SAMPLE)[3]).toMatchObject({ cookie: 0n, priority: 32768, match: "in_port=1", actions: "NORMAL" });
  });

  it("returns nothing for an empty table", () => {
    expect(parseDumpFlows("OFPST_FLOW reply (OF1.3) (xid=0x2):\n")).toEqual([]);
  });

  it("refuses lines it cannot read rather than guessing", () => {
    expect(() => parseFlowLine("cookie=0x1, table=classifier, priority=1 actions=drop")).toThrow(/--no-names/);
    expect(() => parseFlowLine("cookie=0x1, table=0, priority=1")).toThrow(OpenFlowError);
  });
});
