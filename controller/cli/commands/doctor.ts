/** `doctor`: one OK/FAIL line per check; exit code 3 when any check fails. */
import { Command, Option } from "commander";
import { evaluate, renderChecks } from "../doctor/checks.js";
import { gatherFacts } from "../doctor/gather.js";
import { ExitCode } from "../errors.js";
import { renderData } from "../output.js";
import { contextOf, formatOf, outputOption, type CommandDeps } from "../program-deps.js";

export function doctorCommand(deps: CommandDeps): Command {
  return new Command("doctor")
    .description("check OVS, the bridge, the controller, flow sync, leaked ports and leases, the checksum-offload pitfall and the CNI plugin")
    .addOption(new Option("--cni-bin-dir <dir>", "where the CNI plugin is installed").env("OVS_SDNCTL_CNI_BIN_DIR").default("/opt/cni/bin"))
    .addOption(outputOption())
    .addHelpText(
      "after",
      `
Checks: OVS reachable (OVSDB), bridge fail-secure, controller up, flows in sync (the controller's
count equals the installed ovs-sdn flows), no leaked ports (namespace gone, no ofport), no leases
without a port, checksum offload (userspace datapath with tx checksum offload on in a container),
CNI plugin (the installed ovs-sdn answers VERSION; whether its code cache is written).
Exit code 0 when all pass, 3 when any fails, 1 when the doctor itself failed.

Examples:
  ovs-sdnctl doctor
  ovs-sdnctl doctor -o json`,
    )
    .action(async (opts: { cniBinDir: string }, cmd: Command) => {
      const ctx = contextOf(cmd, deps);
      const results = evaluate(await gatherFacts(ctx, opts.cniBinDir));
      const format = formatOf(cmd);
      ctx.print(format === "table" ? renderChecks(results) : renderData(format, results));
      if (results.some((r) => r.status === "FAIL")) deps.exit.code = ExitCode.problemsFound;
    });
}
