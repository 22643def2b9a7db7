import { describe, expect, it } from "vitest";
import { renderBundle } from "../../../ovs/openflow/bundle.js";
import { cookFlows } from "../../../ovs/openflow/desired.js";
import { formatCookie } from "../../../ovs/openflow/cookie.js";

describe("renderBundle", () => {
  it("deletes by exact cookie first, then adds with cookies", () => {
    const [flow] = cookFlows([{ table: 0, priority: 100, purpose: 2, match: { inPort: 1 }, actions: [{ kind: "goto", table: 10 }] }]);
    const text = renderBundle({ add: [flow!], remove: [{ cookie: 0x5d0e020000000001n, table: 0 }], unchanged: 3 });
    expect(text).toBe(
      `delete table=0,cookie=0x5d0e020000000001/-1\nadd cookie=${formatCookie(flow!.cookie)},table=0,priority=100,in_port=1 actions=goto_table:10\n`,
    );
  });

  it("is empty for an empty diff", () => {
    expect(renderBundle({ add: [], remove: [], unchanged: 10 })).toBe("");
  });
});
