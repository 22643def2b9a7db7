/** `gc`: ask the controller to collect leaked ports and leases now, and show what went. */
import { Command } from "commander";
import { ApiPath } from "../../api/protocol.js";
import type { GcReport } from "../../gc.js";
import { renderData } from "../output.js";
import { contextOf, formatOf, outputOption, type CommandDeps } from "../program-deps.js";
import { shortId } from "../resources.js";

export function gcCommand(deps: CommandDeps): Command {
  return new Command("gc")
    .description("remove ports whose network namespace is gone and release leases whose port has been gone past the grace period")
    .addOption(outputOption())
    .addHelpText(
      "after",
      `
Examples:
  ovs-sdnctl gc
  ovs-sdnctl gc -o json`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, deps);
      const report = await ctx.api().call<GcReport>("POST", ApiPath.gc);
      const format = formatOf(cmd);
      if (format !== "table") return ctx.print(renderData(format, report));
      ctx.print(formatGcReport(report));
    });
}

export function formatGcReport(report: GcReport): string {
  const lines = [
    ...report.removedPorts.map((p) => `removed port ${p} (its network namespace is gone)`),
    ...report.releasedLeases.map((l) => `released lease ${l.ips.join(", ") || "(no address)"} of ${shortId(l.containerId)}/${l.ifname} (no port)`),
  ];
  if (lines.length === 0) lines.push("nothing to collect (leases without a port are released only after the controller's grace period)");
  else lines.push(`${report.removedPorts.length} port(s) removed, ${report.releasedLeases.length} lease(s) released`);
  return `${lines.join("\n")}\n`;
}
