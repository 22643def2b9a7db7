/**
 * What every command works with: the global options (flags, else OVS_SDNCTL_* variables, else
 * defaults) and the ways to reach the controller, OVSDB, the bridge's OpenFlow endpoint and
 * ovs-vswitchd's control socket. Each failure names what it could not reach.
 */
import { CniCode, CniError } from "../../plugin/cni/errors.js";
import { run } from "../../ovs/exec.js";
import { OvsdbClient } from "../../ovs/ovsdb/index.js";
import { ControllerClient } from "../api/client.js";
import { DEFAULT_API_SOCKET } from "../api/protocol.js";

export const DEFAULTS = {
  apiSocket: DEFAULT_API_SOCKET,
  ovsdb: "unix:/var/run/openvswitch/db.sock",
  bridge: "br-int",
  /** ovs-appctl resolves a program name to its control socket in the OVS run directory. */
  appctlTarget: "ovs-vswitchd",
} as const;

export interface GlobalOptions {
  apiSocket: string;
  ovsdb: string;
  bridge: string;
  /** ovs-ofctl target; default the bridge name. */
  openflowTarget?: string;
  appctlTarget: string;
}

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export const processOutput: Output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
};

export class CliContext {
  readonly openflowTarget: string;

  constructor(
    readonly options: GlobalOptions,
    readonly io: Output = processOutput,
  ) {
    this.openflowTarget = options.openflowTarget || options.bridge;
  }

  get bridge(): string {
    return this.options.bridge;
  }

  api(timeoutMs = 30_000): ControllerClient {
    return new ControllerClient(this.options.apiSocket, timeoutMs);
  }

  /** Connects to OVSDB for the duration of `fn`. */
  async withOvsdb<T>(fn: (client: OvsdbClient) => Promise<T>): Promise<T> {
    let client: OvsdbClient;
    try {
      client = await OvsdbClient.connect(this.options.ovsdb, { connectTimeoutMs: 3_000, timeoutMs: 10_000 });
    } catch (err) {
      throw new CniError(CniCode.OvsdbFailure, `cannot reach OVSDB at ${this.options.ovsdb}: ${(err as Error).message}`, undefined, { cause: err });
    }
    try {
      return await fn(client);
    } finally {
      client.close();
    }
  }

  /** ovs-ofctl (OpenFlow 1.3): `options` go before the command, the target after it. */
  async ofctl(options: readonly string[], command: string, ...rest: string[]): Promise<string> {
    try {
      return await run("ovs-ofctl", ["-O", "OpenFlow13", ...options, command, this.openflowTarget, ...rest], { timeoutMs: 15_000 });
    } catch (err) {
      throw new CniError(CniCode.OpenFlowFailure, `ovs-ofctl ${command} on ${this.openflowTarget} failed: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  /** ovs-appctl against ovs-vswitchd's control socket. */
  async appctl(...args: string[]): Promise<string> {
    try {
      return await run("ovs-appctl", ["-t", this.options.appctlTarget, ...args], { timeoutMs: 15_000 });
    } catch (err) {
      throw new CniError(CniCode.IoFailure, `ovs-appctl -t ${this.options.appctlTarget} ${args[0] ?? ""} failed: ${(err as Error).message}`, undefined, { cause: err });
    }
  }

  print(text: string): void {
    this.io.out(text);
  }
}
