/** `delete <kind> <name>` or `delete -f FILE`: remove definitions (policies first, networks last). */
import { Command } from "commander";
import { asCniError, CniCode, CniError } from "../../../plugin/cni/errors.js";
import { ApiPath } from "../../api/protocol.js";
import type { Kind } from "../../model/types.js";
import { loadAll } from "../documents.js";
import { UsageError } from "../errors.js";
import { kindOfResource, resourceOf } from "../resources.js";
import { contextOf, type CommandDeps } from "../program-deps.js";

/** Referrers go before what they refer to: policies name subnets and networks, subnets name networks. */
const DELETE_ORDER: Record<Kind, number> = { IsolationPolicy: 0, Subnet: 1, Network: 2 };

export function deleteCommand(deps: CommandDeps): Command {
  return new Command("delete")
    .description("delete a network, subnet or isolation policy (a subnet only once no lease uses it)")
    .argument("[kind]", "network, subnet or policy")
    .argument("[name]", "its name")
    .option("-f, --filename <path...>", "delete every definition in these files or directories")
    .option("--ignore-not-found", "succeed when a definition does not exist")
    .addHelpText(
      "after",
      `
Examples:
  ovs-sdnctl delete policy acme-web
  ovs-sdnctl delete subnet blue-a
  ovs-sdnctl delete -f tenants.yaml`,
    )
    .action(async (kindText: string | undefined, name: string | undefined, opts: { filename?: string[]; ignoreNotFound?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, deps);
      let targets: Array<{ kind: Kind; name: string }>;
      if (opts.filename?.length) {
        if (kindText !== undefined) throw new UsageError("give either -f FILE or KIND NAME, not both");
        targets = loadAll(opts.filename, deps.readStdin)
          .map((d) => ({ kind: d.kind, name: d.name }))
          .sort((a, b) => DELETE_ORDER[a.kind] - DELETE_ORDER[b.kind]);
      } else {
        if (kindText === undefined || name === undefined) throw new UsageError("delete needs KIND NAME (e.g. delete subnet blue-a) or -f FILE");
        const kind = kindOfResource(resourceOf(kindText));
        if (!kind) throw new UsageError(`${kindText} cannot be deleted here: leases and ports follow their containers (see ovs-sdnctl gc)`);
        targets = [{ kind, name }];
      }
      // Like kubectl: try every target, report each, fail at the end if any failed.
      const api = ctx.api();
      const failures: CniError[] = [];
      for (const t of targets) {
        const id = `${t.kind.toLowerCase()}/${t.name}`;
        try {
          const { deleted } = await api.call<{ deleted: boolean }>("DELETE", ApiPath.definition(t.kind, t.name));
          if (!deleted && !opts.ignoreNotFound) throw new CniError(CniCode.UnknownContainer, `${id} not found`);
          ctx.print(`${id} ${deleted ? "deleted" : "not found (ignored)"}\n`);
        } catch (err) {
          const e = asCniError(err);
          if (e.code === CniCode.TryAgainLater) throw e; // the controller is unreachable: the rest would fail the same way
          failures.push(e);
        }
      }
      if (failures.length === 1) throw failures[0]!;
      if (failures.length > 1) throw new CniError(CniCode.InvalidDefinition, `${failures.length} of ${targets.length} deletions failed`, failures.map((f) => f.message).join("\n"));
    });
}
