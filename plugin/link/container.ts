/**
 * The container end, inside CNI_NETNS, through one process tree (nsenter → sh → ip) that ADD starts
 * next to the veth and feeds line by line on its stdin, so that no step waits for a process to start:
 * 1. prepare (while IPAM runs), once the veth exists: sysctls that make the kernel send a gratuitous
 *    ARP and an unsolicited NA when the link comes up, and tx checksum offload off when the bridge
 *    uses the userspace datapath (TCP/UDP break otherwise); the script answers "prepared".
 * 2. configure (after the port is applied): with IPv6 addresses, IPv6 is switched on for the
 *    interface; then `ip -batch -` with MAC, MTU, addresses, link up and routes.
 * A fixed script: names are positional parameters, never spliced into code. sh's `read` takes one
 * line and leaves the rest of stdin to `ip`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import type { CniIpConfig, CniRoute } from "../cni/types.js";
import { LinkError } from "./errors.js";

export interface ContainerSetup {
  ifname: string;
  mac: string;
  mtu: number | undefined;
  ips: CniIpConfig[];
  routes: CniRoute[];
}

// $1 = ifname. Line 1: tx checksum offload off (1/0). Line 2: IPv6 on (1/0). Then the ip batch.
const SCRIPT = [
  "set -e",
  "read -r tx_off",
  'echo 1 > "/proc/sys/net/ipv4/conf/$1/arp_notify"',
  'if [ -d "/proc/sys/net/ipv6/conf/$1" ]; then echo 1 > "/proc/sys/net/ipv6/conf/$1/ndisc_notify"; fi',
  'if [ "$tx_off" = 1 ]; then ethtool -K "$1" tx off >/dev/null; fi',
  "echo prepared",
  "read -r ipv6",
  'if [ "$ipv6" = 1 ]; then echo 0 > "/proc/sys/net/ipv6/conf/$1/disable_ipv6"; fi',
  "exec ip -batch -",
].join("\n");

const PREPARED = "prepared\n";

const isV6 = (address: string) => address.includes(":");

interface Exit {
  code: number | null;
  reason: string;
}

export class ContainerEnd {
  private stdout = "";
  private stderr = "";
  private readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private killedBecause: string | undefined;
  private onOutput: () => void = () => undefined;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly netnsPath: string,
    readonly ifname: string,
    private readonly timeoutMs: number,
  ) {
    child.stdout.on("data", (chunk: Buffer) => {
      this.stdout += chunk.toString("utf8");
      this.onOutput();
    });
    child.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString("utf8")));
    child.stdin.on("error", () => undefined); // the script may be gone before we write
    this.exited = new Promise<Exit>((resolve) => {
      child.on("error", (err) => resolve({ code: null, reason: err.message }));
      child.on("close", (code, signal) => resolve({ code, reason: this.killedBecause ?? (signal ? `killed by ${signal}` : `exited with ${code}`) }));
    }).then((exit) => {
      this.exit = exit;
      this.onOutput();
      return exit;
    });
  }

  /** Starts the process; it waits for prepare(). */
  static start(netnsPath: string, ifname: string, timeoutMs: number): ContainerEnd {
    const child = spawn("nsenter", [`--net=${netnsPath}`, "--", "sh", "-c", SCRIPT, "sh", ifname], { stdio: ["pipe", "pipe", "pipe"] });
    return new ContainerEnd(child, netnsPath, ifname, timeoutMs);
  }

  /** Call once the veth exists; resolves when the sysctls (and the offload) are set. */
  async prepare(txChecksumOff: boolean): Promise<void> {
    this.child.stdin.write(txChecksumOff ? "1\n" : "0\n");
    await this.withinTimeout(
      new Promise<void>((resolve) => {
        this.onOutput = () => {
          if (this.stdout.includes(PREPARED) || this.exit) resolve();
        };
        this.onOutput();
      }),
    );
    if (!this.stdout.includes(PREPARED)) throw this.failure("preparing");
  }

  /** MAC, MTU, addresses, link up, routes; the process ends with it. */
  async configure(setup: ContainerSetup): Promise<void> {
    const ipv6 = setup.ips.some((ip) => isV6(ip.address)) || setup.routes.some((r) => isV6(r.dst));
    this.child.stdin.end(`${ipv6 ? 1 : 0}\n${batchLines(setup).join("\n")}\n`);
    const exit = await this.withinTimeout(this.exited);
    if (exit.code !== 0) throw this.failure("configuring");
  }

  /** Ends the process if it still runs (an ADD that failed before configure). */
  async stop(): Promise<void> {
    this.kill("stopped");
    await this.exited;
  }

  /** Each step gets timeoutMs of its own, as a separate process would; then the process is killed. */
  private async withinTimeout<T>(step: Promise<T>): Promise<T> {
    const timer = setTimeout(() => this.kill(`timed out after ${this.timeoutMs} ms`), this.timeoutMs);
    try {
      return await step;
    } finally {
      clearTimeout(timer);
    }
  }

  private kill(reason: string): void {
    if (this.exit) return;
    this.killedBecause ??= reason;
    this.child.kill("SIGKILL");
  }

  private failure(step: string): LinkError {
    const why = this.exit ? this.exit.reason : "no answer";
    return new LinkError(`${step} ${this.ifname} in ${this.netnsPath} failed`, this.stderr.trim() || `nsenter: ${why}`);
  }
}

/** The `ip -batch` lines; addresses are validated by the caller (ipam/addresses.ts). */
export function batchLines(setup: Pick<ContainerSetup, "ifname" | "mac" | "mtu" | "ips" | "routes">): string[] {
  const { ifname, ips, routes } = setup;
  const lines = [`link set dev ${ifname} address ${setup.mac}${setup.mtu === undefined ? "" : ` mtu ${setup.mtu}`}`];
  lines.push(...ips.map((ip) => `addr add ${ip.address} dev ${ifname}${isV6(ip.address) ? " nodad" : ""}`));
  lines.push(`link set dev ${ifname} up`);
  for (const r of routes) {
    let line = `route add ${r.dst}`;
    if (r.gw) line += ` via ${r.gw}`;
    line += ` dev ${ifname}`;
    if (r.priority !== undefined) line += ` metric ${r.priority}`;
    if (r.table !== undefined) line += ` table ${r.table}`;
    if (r.scope !== undefined) line += ` scope ${r.scope}`;
    if (r.mtu !== undefined) line += ` mtu ${r.mtu}`;
    if (r.advmss !== undefined) line += ` advmss ${r.advmss}`;
    lines.push(line);
  }
  return lines;
}
