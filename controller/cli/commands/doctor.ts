/** `doctor`: one OK/FAIL line per check; exit code 3 when any check fails. */
import { Command } from "commander";
import { evaluate, renderChecks } from "../doctor/checks.js";
import { gatherFacts } from "../doctor/gather.js";
import { ExitCode } from "../errors.js";
import { renderData } from "../output.js";
import { contextOf, formatOf, outputOption, type CommandDeps } from "../program-deps.js";

export function doctorCommand(deps: CommandDeps): Command {
  return new Command("doctor")
    .description("check OVS, the bridge, the controller, flow sync, leaked ports and leases, and the checksum-offload pitfall")
    .addOption(outputOption())
    .addHelpText(
      "after",
      `
Checks: OVS reachable (OVSDB), bridge fail-secure, controller up, flows in sync (the controller's
count equals the installed ovs-sdn flows), no leaked ports (namespace gone, no ofport), no leases
without a port, checksum offload (userspace datapath with tx checksum offload on in a container).
Exit code 0 when all pass, 3 when any fails, 1 when the doctor itself failed.

Examples:
  ovs-sdnctl doctor
  ovs-sdnctl doctor -o json`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, deps);
      const results = evaluate(await gatherFacts(ctx));
      const format = formatOf(cmd);
      ctx.print(format === "table" ? renderChecks(results) : renderData(format, results));
      if (results.some((r) => r.status === "FAIL")) deps.exit.code = ExitCode.problemsFound;
    });
}
