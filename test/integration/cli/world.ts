/**
 * The CLI tests' world: a private OVS sandbox, the controller from dist/ in its host netns, the
 * definitions below applied with `ovs-sdnctl apply`, and three containers attached as managed ports
 * (a1, a2 in blue-a; b1 in blue-b). Everything it made goes in stop(), also after a failure.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { run, type RunResult } from "../../../ovs/exec.js";
import { OvsSandbox } from "../../../ovs/sandbox.js";
import { ControllerClient } from "../../../controller/api/client.js";
import { deleteNetns } from "../../helpers/netns.js";
import { attachContainer, type AttachSpec, type TestContainer } from "./containers.js";
import { BRIDGE, controllerPaths, sdnctl, startController, stopController, type Paths } from "./helpers.js";

export const DEFINITIONS = `# one tenant, two subnets; icmp allowed from blue-a to blue-b only
apiVersion: ovs-sdn.io/v1alpha1
kind: Network
metadata: {name: blue}
spec: {tenant: acme, interSubnet: deny}
---
apiVersion: ovs-sdn.io/v1alpha1
kind: Subnet
metadata: {name: blue-a}
spec: {network: blue, cidr: 10.61.0.0/24}
---
apiVersion: ovs-sdn.io/v1alpha1
kind: Subnet
metadata: {name: blue-b}
spec: {network: blue, cidr: 10.62.0.0/24}
---
apiVersion: ovs-sdn.io/v1alpha1
kind: IsolationPolicy
metadata: {name: a-to-b-icmp}
spec:
  tenant: acme
  rules:
    - {action: allow, from: [{subnet: blue-a}], to: [{subnet: blue-b}], protocol: icmp}
`;

export class CliWorld {
  readonly containers: TestContainer[] = [];
  readonly definitionsFile: string;
  readonly paths: Paths;
  readonly env: NodeJS.ProcessEnv;
  private controller: ChildProcess | undefined;

  private constructor(
    readonly sandbox: OvsSandbox,
    readonly dir: string,
  ) {
    this.paths = controllerPaths(dir);
    this.definitionsFile = join(dir, "defs.yaml");
    writeFileSync(this.definitionsFile, DEFINITIONS);
    this.env = {
      ...process.env,
      OVS_SDNCTL_API_SOCKET: this.paths.apiSocket,
      OVS_SDNCTL_OVSDB: sandbox.dbRemote,
      OVS_SDNCTL_OPENFLOW_TARGET: `unix:${sandbox.mgmtSocket(BRIDGE)}`,
      OVS_SDNCTL_APPCTL_TARGET: sandbox.controlSocket("ovs-vswitchd"),
      OVS_SDNCTL_CNI_BIN_DIR: this.cniBinDir,
    };
  }

  /** The plugin, installed by deploy/install-plugin.sh, for the doctor's plugin check. */
  get cniBinDir(): string {
    return join(this.dir, "cni-bin");
  }

  /** Sandbox + controller; the definitions are written but not applied. */
  static async start(prefix: string): Promise<CliWorld> {
    const sandbox = await OvsSandbox.start({ prefix });
    const world = new CliWorld(sandbox, mkdtempSync(join(tmpdir(), `ovs-sdnctl-${prefix}-`)));
    try {
      await run("bash", ["deploy/install-plugin.sh", world.cniBinDir, join(world.dir, "cni-conf")]);
      await world.startController();
    } catch (err) {
      await world.stop();
      throw err;
    }
    return world;
  }

  ctl(...args: string[]): Promise<RunResult> {
    return sdnctl(this.env, args);
  }

  client(): ControllerClient {
    return new ControllerClient(this.paths.apiSocket);
  }

  c(pod: string): TestContainer {
    const found = this.containers.find((x) => x.pod === pod);
    if (!found) throw new Error(`no container ${pod}`);
    return found;
  }

  async startController(): Promise<void> {
    this.controller = await startController(this.sandbox, this.paths);
  }

  async stopController(): Promise<void> {
    await stopController(this.controller);
    this.controller = undefined;
  }

  async vlanOf(network: string): Promise<number> {
    const r = await this.ctl("get", "network", network, "-o", "json");
    return (JSON.parse(r.stdout) as { spec: { vlan: number } }).spec.vlan;
  }

  async attach(spec: Omit<AttachSpec, "vlan" | "network" | "prefix">): Promise<TestContainer> {
    const container = await attachContainer(this.sandbox, { ...spec, prefix: 24, network: "blue", vlan: await this.vlanOf("blue") });
    this.containers.push(container);
    return container;
  }

  /** a1 and a2 in blue-a, b1 in blue-b; resolves once the controller installed their flows. */
  async attachPods(): Promise<void> {
    await this.attach({ pod: "a1", ip: "10.61.0.11", gateway: "10.61.0.1", mac: "02:00:00:61:00:11" });
    await this.attach({ pod: "a2", ip: "10.61.0.12", gateway: "10.61.0.1", mac: "02:00:00:61:00:12" });
    await this.attach({ pod: "b1", ip: "10.62.0.11", gateway: "10.62.0.1", mac: "02:00:00:62:00:11" });
    for (const x of this.containers) expect(await this.client().waitFlows(x.containerId, "eth0", 5_000)).toMatchObject({ installed: true, portName: x.hostIf });
  }

  /** Doctor until it passes (the controller converges asynchronously after a change); the last run. */
  async eventuallyHealthy(): Promise<RunResult> {
    let last = await this.ctl("doctor");
    for (let i = 0; i < 50 && last.exitCode !== 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      last = await this.ctl("doctor");
    }
    return last;
  }

  async stop(): Promise<void> {
    await this.stopController();
    for (const container of this.containers) await deleteNetns(container.netns);
    await this.sandbox.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
