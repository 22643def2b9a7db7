/** The README's main command, as CI runs it: the demo must pass and leave nothing behind. */
import { describe, expect, it } from "vitest";
import { runFull } from "../../ovs/exec.js";

describe("npm run demo", () => {
  it("shows the matrix as defined, traces an allowed and a blocked packet, and cleans up", async () => {
    const demoNetns = async () => (await runFull("ip", ["netns", "list"])).stdout.split("\n").filter((l) => l.startsWith("ovsbdemo") || /^lab[0-9a-f]{4}(web|db|app)-/.test(l));
    expect(await demoNetns()).toEqual([]);
    const result = await runFull(process.execPath, ["--import", "tsx", "controller/lab/demo.ts"], { timeoutMs: 120_000, okExitCodes: [1] });
    expect(result.stdout).toContain("All connections behaved as defined");
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/Verdict: DELIVERED/);
    expect(result.stdout).toMatch(/Verdict: DROPPED: dropped in table Acl/);
    expect(await demoNetns()).toEqual([]);
  });
});
