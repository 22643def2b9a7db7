/** `apply -f FILE|DIR|-`: send definitions to the controller as one transaction. */
import { Command } from "commander";
import { ApiPath } from "../../api/protocol.js";
import type { ApplyOutcome } from "../../model/definitions.js";
import { loadAll } from "../documents.js";
import { UsageError } from "../errors.js";
import { renderData } from "../output.js";
import { contextOf, formatOf, outputOption, type CommandDeps } from "../program-deps.js";

export function applyCommand(deps: CommandDeps): Command {
  return new Command("apply")
    .description("create or update networks, subnets and isolation policies from YAML or JSON (all or nothing)")
    .option("-f, --filename <path...>", "file, directory (every .yaml/.yml/.json) or - for stdin; repeatable")
    .addOption(outputOption())
    .addHelpText(
      "after",
      `
Examples:
  ovs-sdnctl apply -f tenants.yaml
  ovs-sdnctl apply -f ./definitions/
  ovs-sdnctl get networks -o yaml | ovs-sdnctl apply -f -`,
    )
    .action(async (opts: { filename?: string[] }, cmd: Command) => {
      if (!opts.filename?.length) throw new UsageError("apply needs -f FILE, -f DIR or -f -");
      const ctx = contextOf(cmd, deps);
      const docs = loadAll(opts.filename, deps.readStdin);
      if (docs.length === 0) throw new UsageError(`no documents in ${opts.filename.join(", ")}`);
      const outcomes = await ctx.api().call<ApplyOutcome[]>("POST", ApiPath.applyDefinitions, docs.map((d) => d.doc));
      const format = formatOf(cmd);
      if (format !== "table") return ctx.print(renderData(format, outcomes));
      for (const o of outcomes) ctx.print(`${o.kind.toLowerCase()}/${o.name} ${o.action}\n`);
    });
}
