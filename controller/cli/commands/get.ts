/** `get <resource> [name]` (alias `list`): definitions, leases and ports as tables, JSON or YAML. */
import { Command } from "commander";
import { ApiPath } from "../../api/protocol.js";
import type { Lease } from "../../ipam/types.js";
import type { Definition, IsolationPolicy, Kind, Network, Subnet } from "../../model/types.js";
import type { CliContext } from "../context.js";
import type { Column, Format } from "../output.js";
import { render } from "../output.js";
import { findPort, readOurPorts } from "../ports.js";
import { contextOf, formatOf, outputOption, type CommandDeps } from "../program-deps.js";
import { kindOfResource, leaseColumns, networkColumns, policyColumns, portColumns, RESOURCE_NAMES, resourceOf, subnetColumns } from "../resources.js";

interface GetOptions {
  network?: string;
}

export function getCommand(deps: CommandDeps): Command {
  return new Command("get")
    .alias("list")
    .description(`show ${RESOURCE_NAMES.join(", ")}: a table for people, -o json|yaml for scripts`)
    .argument("<resource>", RESOURCE_NAMES.join(" | "))
    .argument("[name]", "one definition; for leases an IP or container id; for ports a port name, container id or pod")
    .option("--network <name>", "only leases or ports of this network")
    .addOption(outputOption())
    .addHelpText(
      "after",
      `
Examples:
  ovs-sdnctl get networks
  ovs-sdnctl get subnet blue-a -o yaml
  ovs-sdnctl list leases --network blue
  ovs-sdnctl get ports -o json`,
    )
    .action(async (resourceText: string, name: string | undefined, opts: GetOptions, cmd: Command) => {
      const ctx = contextOf(cmd, deps);
      const format = formatOf(cmd);
      const resource = resourceOf(resourceText);
      const kind = kindOfResource(resource);
      if (kind) return ctx.print(await showDefinitions(ctx, kind, name, format));
      if (resource === "leases") return ctx.print(await showLeases(ctx, name, opts, format));
      return ctx.print(await showPorts(ctx, name, opts, format));
    });
}

function columnsOf(kind: Kind): Column<Definition>[] {
  const columns = kind === "Network" ? networkColumns : kind === "Subnet" ? subnetColumns : policyColumns;
  return columns as unknown as Column<Definition>[];
}

async function showDefinitions(ctx: CliContext, kind: Kind, name: string | undefined, format: Format): Promise<string> {
  const api = ctx.api();
  if (name !== undefined) {
    const def = await api.call<Network | Subnet | IsolationPolicy>("GET", ApiPath.definition(kind, name));
    return render(format, [def], columnsOf(kind), def);
  }
  const defs = await api.call<Definition[]>("GET", ApiPath.definitions(kind));
  defs.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return render(format, defs, columnsOf(kind));
}

async function showLeases(ctx: CliContext, name: string | undefined, opts: GetOptions, format: Format): Promise<string> {
  const query = opts.network ? `?network=${encodeURIComponent(opts.network)}` : "";
  let leases = await ctx.api().call<Lease[]>("GET", `${ApiPath.leases}${query}`);
  if (name !== undefined) leases = leases.filter((l) => l.ip === name || l.containerId === name || (name.length >= 4 && l.containerId.startsWith(name)));
  leases.sort((a, b) => a.network.localeCompare(b.network) || a.subnet.localeCompare(b.subnet) || compareIps(a.ip, b.ip));
  return render(format, leases, leaseColumns());
}

async function showPorts(ctx: CliContext, name: string | undefined, opts: GetOptions, format: Format): Promise<string> {
  let ports = await ctx.withOvsdb((client) => readOurPorts(client, ctx.bridge));
  if (opts.network) ports = ports.filter((p) => p.identity.network === opts.network);
  if (name !== undefined) {
    const port = findPort(ports, name);
    return render(format, [port], portColumns, port);
  }
  return render(format, ports, portColumns);
}

/** Numeric order for IPv4, text order otherwise: 10.0.0.9 before 10.0.0.10. */
function compareIps(a: string, b: string): number {
  const na = a.split(".").map(Number);
  const nb = b.split(".").map(Number);
  if (na.length === 4 && nb.length === 4) for (let i = 0; i < 4; i++) if (na[i] !== nb[i]) return na[i]! - nb[i]!;
  return a.localeCompare(b);
}
