/** The `ovs-sdnctl` command line: global options and one subcommand per file in commands/. */
import { Command, Option } from "commander";
import { applyCommand } from "./commands/apply.js";
import { deleteCommand } from "./commands/delete.js";
import { doctorCommand } from "./commands/doctor.js";
import { flowsCommand } from "./commands/flows.js";
import { gcCommand } from "./commands/gc.js";
import { getCommand } from "./commands/get.js";
import { traceCommand } from "./commands/trace.js";
import { DEFAULTS } from "./context.js";
import type { CommandDeps } from "./program-deps.js";

export const ENV = {
  apiSocket: "OVS_SDNCTL_API_SOCKET",
  ovsdb: "OVS_SDNCTL_OVSDB",
  bridge: "OVS_SDNCTL_BRIDGE",
  openflowTarget: "OVS_SDNCTL_OPENFLOW_TARGET",
  appctlTarget: "OVS_SDNCTL_APPCTL_TARGET",
} as const;

export function buildProgram(deps: CommandDeps): Command {
  const program = new Command("ovs-sdnctl")
    .description("operate ovs-sdn: definitions, leases, ports, the OpenFlow pipeline, packet traces and diagnostics")
    .addOption(new Option("--api-socket <path>", "the controller's API socket").env(ENV.apiSocket).default(DEFAULTS.apiSocket))
    .addOption(new Option("--ovsdb <remote>", "OVSDB remote: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT").env(ENV.ovsdb).default(DEFAULTS.ovsdb))
    .addOption(new Option("--bridge <name>", "the integration bridge").env(ENV.bridge).default(DEFAULTS.bridge))
    .addOption(new Option("--openflow-target <target>", "ovs-ofctl target of the bridge, e.g. unix:/run/x/br-int.mgmt (default: the bridge name)").env(ENV.openflowTarget))
    .addOption(new Option("--appctl-target <target>", "ovs-vswitchd's control socket for ovs-appctl -t").env(ENV.appctlTarget).default(DEFAULTS.appctlTarget))
    .configureOutput({ writeOut: (s) => deps.io.out(s), writeErr: (s) => deps.io.err(s) })
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .addHelpText(
      "after",
      `
Exit codes: 0 success, 1 error, 2 usage error, 3 doctor found problems.

Examples:
  ovs-sdnctl apply -f tenants.yaml
  ovs-sdnctl get subnets
  ovs-sdnctl flows --port web-0
  ovs-sdnctl trace default/web-0 10.1.0.12 tcp/80
  ovs-sdnctl doctor
  OVS_SDNCTL_API_SOCKET=/tmp/ctl/api.sock ovs-sdnctl get leases -o json`,
    );
  for (const make of [applyCommand, getCommand, deleteCommand, flowsCommand, traceCommand, doctorCommand, gcCommand]) {
    program.addCommand(
      make(deps)
        .configureOutput({ writeOut: (s) => deps.io.out(s), writeErr: (s) => deps.io.err(s) })
        .showHelpAfterError(`(run with --help for usage)`)
        .exitOverride(),
    );
  }
  return program;
}
