import { describe, expect, it } from "vitest";
import { cookFlow, cookFlows, finalizeFlows, flowModText } from "../../../ovs/openflow/desired.js";
import type { Flow } from "../../../ovs/openflow/flow.js";
import { OpenFlowError } from "../../../ovs/openflow/errors.js";

const flow = (inPort: number, table = 10): Flow => ({ table: 0, priority: 100, purpose: 2, match: { inPort }, actions: [{ kind: "goto", table }] });

describe("cookFlows", () => {
  it("renders each flow once and gives it a unique cookie of ours", () => {
    const cooked = cookFlows([flow(1), flow(2)]);
    expect(cooked.map((f) => f.text)).toEqual(["table=0,priority=100,in_port=1 actions=goto_table:10", "table=0,priority=100,in_port=2 actions=goto_table:10"]);
    expect(new Set(cooked.map((f) => f.cookie)).size).toBe(2);
    expect(cooked[0]).toMatchObject({ table: 0, priority: 100, purpose: 2 });
  });

  it("drops exact duplicates", () => {
    expect(cookFlows([flow(1), flow(1)])).toHaveLength(1);
  });

  it("refuses two flows that would overwrite each other in OVS", () => {
    expect(() => cookFlows([flow(1, 10), flow(1, 20)])).toThrow(OpenFlowError);
  });

  it("prefixes the cookie for an add line", () => {
    const [cooked] = cookFlows([flow(1)]);
    expect(flowModText(cooked!)).toMatch(/^cookie=0x5d0e02[0-9a-f]{10},table=0,priority=100,in_port=1 actions=goto_table:10$/);
  });
});

describe("finalizeFlows", () => {
  it("salts a colliding cookie and still drops a later duplicate of the salted flow", () => {
    const [a, b] = [cookFlow(flow(1)), cookFlow(flow(2))];
    const collided = { ...b, cookie: a.cookie }; // as if b's text hashed to a's cookie
    const out = finalizeFlows([a, collided, collided]);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual(a);
    expect(out[1]!.cookie).not.toBe(a.cookie);
    expect(out[1]!.text).toBe(b.text);
  });
});
