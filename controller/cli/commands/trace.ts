/**
 * `trace <source> <destination> [proto/port]`: what the pipeline does with one packet. The source
 * is found in OVSDB, the next hop's MAC is learnt by tracing the ARP/ND request the container would
 * send, then the packet is traced (as the first packet of a new connection) and explained.
 */
import { Command } from "commander";
import { isIP } from "node:net";
import { ApiPath } from "../../api/protocol.js";
import type { Subnet } from "../../model/types.js";
import { CniCode, CniError } from "../../../plugin/cni/errors.js";
import type { CliContext } from "../context.js";
import { renderData } from "../output.js";
import { findPort, podOf, readOurPorts, type OurPort } from "../ports.js";
import { contextOf, formatOf, outputOption, type CommandDeps } from "../program-deps.js";
import { explainTrace, renderExplanation, type PortName } from "../trace/explain.js";
import { parseTrace } from "../trace/parse.js";
import { addressOfFamily, describeProbe, neighborAnswer, neighborFlow, nextHop, packetFlow, parseProbe, type SubnetView } from "../trace/packet.js";
import { parseAddress } from "../../pipeline/addresses.js";

const BROADCAST = "ff:ff:ff:ff:ff:ff";

export function traceCommand(deps: CommandDeps): Command {
  return new Command("trace")
    .description("trace a packet from a container through the pipeline and explain the verdict and the rules it hits")
    .argument("<source>", "container id (or a unique prefix), pod (namespace/name) or OVS port name")
    .argument("<destination>", "an IP address, or a container / pod / port (its address of the same family)")
    .argument("[probe]", "icmp (default), tcp/PORT or udp/PORT")
    .option("--ifname <name>", "the source container's interface, when it has several")
    .addOption(outputOption())
    .addHelpText(
      "after",
      `
The packet is traced as the first packet of a new connection (conntrack state new).

Examples:
  ovs-sdnctl trace 3f2a9c1d 10.1.0.12
  ovs-sdnctl trace default/web-0 default/db-0 tcp/5432
  ovs-sdnctl trace veth3f2a9c1d fd10:1::12 udp/53 -o json`,
    )
    .action(async (source: string, destination: string, probeText: string | undefined, opts: { ifname?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, deps);
      const probe = parseProbe(probeText);
      const ports = await ctx.withOvsdb((client) => readOurPorts(client, ctx.bridge));
      const src = findPort(ports, source, opts.ifname);
      if (src.ofport === undefined || src.ofport < 1) throw new CniError(CniCode.OvsApplyFailure, `port ${src.name} has no ofport${src.error ? `: ${src.error}` : ""}`);
      const { dst, dstPort } = resolveDestination(ports, destination, src);
      const srcAddr = addressOfFamily(src.identity.ips, dst.family);
      if (!srcAddr) throw new CniError(CniCode.InvalidConfig, `port ${src.name} has no IPv${dst.family} address (it has ${src.identity.ips.join(", ") || "none"})`);
      const subnets = await subnetViews(ctx, deps);
      const hop = nextHop(srcAddr.address, srcAddr.cidr || undefined, dst, src.identity.network, subnets);

      const neighborText = await ctx.appctl("ofproto/trace", ctx.bridge, neighborFlow(src.name, src.identity.mac, srcAddr.address, hop.address));
      const answered = neighborAnswer(parseTrace(neighborText));
      const dstMac = answered ?? BROADCAST;
      const flow = packetFlow({ inPort: src.name, srcMac: src.identity.mac, dstMac, src: srcAddr.address, dst, probe });
      const parsed = parseTrace(await ctx.appctl("ofproto/trace", ctx.bridge, flow));
      const explanation = explainTrace(parsed, portNames(ports), src.name);
      if (!answered && explanation.verdict.kind === "dropped") {
        explanation.summary = `the container cannot resolve ${hop.address.text} (no ${dst.family === 4 ? "ARP" : "ND"} answer in network ${src.identity.network}); a frame sent anyway is ${explanation.summary}`;
      }

      const hopText = `${hop.routed ? `via gateway ${hop.address.text}` : `on-link ${hop.address.text}`}${hop.subnet ? ` (subnet ${hop.subnet.name})` : ""}`;
      const neighbor = answered
        ? `${hopText} is at ${answered} (answered by the pipeline's ${dst.family === 4 ? "ARP" : "ND"} responder)`
        : `${hopText}: the pipeline does not answer ${dst.family === 4 ? "ARP" : "neighbor solicitation"} for it, so the container cannot send; traced with destination MAC ${BROADCAST}`;
      const format = formatOf(cmd);
      if (format !== "table") {
        return ctx.print(renderData(format, { source: describePort(src), destination: { address: dst.text, port: dstPort?.name }, probe, nextHop: { address: hop.address.text, routed: hop.routed, mac: answered ?? null }, flow, ...explanation }));
      }
      ctx.print(
        renderExplanation(explanation, [
          `Packet:   ${describeProbe(probe, srcAddr.address.text, dst.text)}, first packet of a new connection`,
          `From:     ${src.name} (${describePort(src)})`,
          `To:       ${dst.text}${dstPort ? ` = ${dstPort.name} (${describePort(dstPort)})` : ""}`,
          `Next hop: ${neighbor}`,
          `Flow:     ${flow}`,
        ]),
      );
    });
}

function resolveDestination(ports: readonly OurPort[], text: string, src: OurPort): { dst: NonNullable<ReturnType<typeof parseAddress>>; dstPort: OurPort | undefined } {
  if (isIP(text)) {
    const dst = parseAddress(text)!;
    // The local endpoint with this address in the source's network (tenants may reuse addresses).
    const dstPort = ports.find((p) => p.identity.network === src.identity.network && p.identity.ips.some((ip) => parseAddress(ip)?.text === dst.text));
    return { dst, dstPort };
  }
  const dstPort = findPort(ports, text);
  const srcFamilies = new Set(src.identity.ips.map((ip) => parseAddress(ip)?.family));
  const chosen = dstPort.identity.ips.map((ip) => parseAddress(ip)).find((a) => a !== undefined && srcFamilies.has(a.family));
  if (!chosen) throw new CniError(CniCode.InvalidConfig, `${dstPort.name} has no address of a family ${src.name} has (${dstPort.identity.ips.join(", ") || "none"})`);
  return { dst: chosen, dstPort };
}

/** Subnet definitions for next-hop decisions; undefined (with a warning) when the controller is down. */
async function subnetViews(ctx: CliContext, deps: CommandDeps): Promise<SubnetView[] | undefined> {
  try {
    const subnets = await ctx.api(5_000).call<Subnet[]>("GET", ApiPath.definitions("Subnet"));
    return subnets.map((s) => ({ name: s.metadata.name, network: s.spec.network, cidr: s.spec.cidr, ...(s.spec.gateway ? { gateway: s.spec.gateway } : {}) }));
  } catch (err) {
    deps.io.err(`warning: subnet definitions unavailable, using the port's own prefix: ${(err as Error).message}\n`);
    return undefined;
  }
}

export function describePort(p: OurPort): string {
  const pod = podOf(p);
  return `container ${p.identity.containerId.slice(0, 12)}/${p.identity.ifname}${pod ? `, pod ${pod}` : ""}, network ${p.identity.network}, ${p.identity.ips.join(" ") || "no address"}`;
}

function portNames(ports: readonly OurPort[]): PortName[] {
  return ports
    .filter((p): p is OurPort & { ofport: number } => p.ofport !== undefined && p.ofport > 0)
    .map((p) => ({ ofport: p.ofport, name: p.name, detail: `container ${p.identity.containerId.slice(0, 12)}/${p.identity.ifname}, network ${p.identity.network}` }));
}
