/** The command line itself: help with examples, global options from flags and environment, usage errors. */
import { afterEach, describe, expect, it } from "vitest";
import { CommanderError } from "commander";
import { buildProgram, ENV } from "../../../controller/cli/program.js";
import type { CommandDeps } from "../../../controller/cli/program-deps.js";
import { UsageError } from "../../../controller/cli/errors.js";

function harness(stdin = "") {
  const out: string[] = [];
  const err: string[] = [];
  const deps: CommandDeps = { io: { out: (s) => void out.push(s), err: (s) => void err.push(s) }, readStdin: () => stdin, exit: { code: 0 } };
  const run = (...args: string[]) => buildProgram(deps).parseAsync(["node", "ovs-sdnctl", ...args]);
  return { run, out: () => out.join(""), err: () => err.join(""), deps };
}

const COMMANDS = ["apply", "get", "delete", "flows", "trace", "doctor", "gc"];

describe("ovs-sdnctl command line", () => {
  afterEach(() => {
    for (const name of Object.values(ENV)) delete process.env[name];
  });

  it.each(COMMANDS)("%s --help shows examples", async (command) => {
    const h = harness();
    await expect(h.run(command, "--help")).rejects.toMatchObject({ exitCode: 0, code: "commander.helpDisplayed" });
    expect(h.out()).toMatch(new RegExp(`Usage: ovs-sdnctl ${command}`));
    expect(h.out()).toMatch(/Examples:\n {2}ovs-sdnctl /);
  });

  it("lists every command, the global options with their variables, and the exit codes", async () => {
    const h = harness();
    await expect(h.run("--help")).rejects.toBeInstanceOf(CommanderError);
    for (const command of COMMANDS) expect(h.out()).toContain(`\n  ${command}`);
    for (const name of Object.values(ENV)) expect(h.out()).toContain(`env: ${name}`);
    expect(h.out()).toContain("Exit codes: 0 success, 1 error, 2 usage error, 3 doctor found problems.");
  });

  it("rejects bad command lines as usage errors (commander's or ours)", async () => {
    const h = harness();
    await expect(h.run("frobnicate")).rejects.toMatchObject({ exitCode: 1, code: "commander.unknownCommand" });
    await expect(h.run("get")).rejects.toMatchObject({ code: "commander.missingArgument" });
    await expect(h.run("get", "networks", "-o", "xml")).rejects.toMatchObject({ code: "commander.invalidArgument" });
    expect(h.err()).toContain("run with --help for usage");
    await expect(h.run("get", "widgets")).rejects.toThrow(UsageError);
    await expect(h.run("apply")).rejects.toThrow(new UsageError("apply needs -f FILE, -f DIR or -f -"));
    await expect(h.run("delete", "lease", "x")).rejects.toThrow(/leases and ports follow their containers/);
    await expect(h.run("delete", "network")).rejects.toThrow(UsageError);
    await expect(h.run("trace", "a", "10.0.0.1", "tcp")).rejects.toThrow(/bad probe "tcp"/);
  });

  it("takes the API socket from the environment, and a flag over it, and names it when unreachable", async () => {
    process.env[ENV.apiSocket] = "/nonexistent/from-env.sock";
    const h = harness();
    await expect(h.run("get", "networks")).rejects.toThrow("controller not reachable at /nonexistent/from-env.sock");
    await expect(h.run("--api-socket", "/nonexistent/from-flag.sock", "get", "networks")).rejects.toThrow("controller not reachable at /nonexistent/from-flag.sock");
    await expect(h.run("gc", "--api-socket", "/nonexistent/after.sock")).rejects.toThrow("/nonexistent/after.sock");
  });

  it("names the OVSDB remote it cannot reach", async () => {
    const h = harness();
    await expect(h.run("--ovsdb", "unix:/nonexistent/db.sock", "get", "ports")).rejects.toThrow(/^cannot reach OVSDB at unix:\/nonexistent\/db.sock: /);
  });

  it("reads apply documents from stdin before talking to the controller", async () => {
    const h = harness("kind: Network\nmetadata: {name: x}\n---\nkind: Bogus\nmetadata: {name: y}\n");
    await expect(h.run("--api-socket", "/nonexistent/x.sock", "apply", "-f", "-")).rejects.toThrow('<stdin>#2 (line 4): unknown kind "Bogus"');
  });
});
