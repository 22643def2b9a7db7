import { describe, expect, it } from "vitest";
import { describePortChanges, pipelinePorts } from "../../../controller/ports/changes.js";
import type { LocalPort } from "../../../controller/ports/watcher.js";

const port = (name: string, containerId: string, extra: Partial<LocalPort["identity"]> = {}, ofport = 1): LocalPort => ({
  name,
  ofport,
  tag: undefined,
  identity: { mode: "managed", containerId, ifname: "eth0", netns: "/run/netns/x", network: "blue", ips: ["10.0.0.2/24"], mac: "02:00:00:00:00:01", ...extra },
});

describe("port changes in the controller's round log", () => {
  it("names added, changed and removed ports with their container and network", () => {
    const a = port("osda", "c1");
    const b = port("osdb", "c2", { network: "red" });
    expect(describePortChanges([a, b], [port("osda", "c1", {}, 7), port("osdc", "c3")])).toBe(
      "+osdc (c3/eth0, blue), ~osda (c1/eth0, blue), -osdb (c2/eth0, red)",
    );
  });

  it("says nothing when no field the pipeline uses changed", () => {
    expect(describePortChanges([port("osda", "c1")], [port("osda", "c1")])).toBeUndefined();
    expect(describePortChanges([], [])).toBeUndefined();
  });

  it("names at most `limit` ports and counts the rest", () => {
    const many = Array.from({ length: 8 }, (_, i) => port(`osd${i}`, `c${i}`));
    expect(describePortChanges([], many, 3)).toBe("+osd0 (c0/eth0, blue), +osd1 (c1/eth0, blue), +osd2 (c2/eth0, blue) and 5 more");
  });

  it("leaves standalone ports out of the pipeline's set", () => {
    expect(pipelinePorts([port("osda", "c1"), port("osdb", "c2", { mode: "standalone" })]).map((p) => p.name)).toEqual(["osda"]);
  });
});
