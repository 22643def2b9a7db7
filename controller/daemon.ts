/**
 * The node controller: definitions from the store, ports from OVSDB, flows to OVS. Everything it
 * does on an event is "ask the reconciler for a round"; the reconciler compiles the whole desired
 * state and applies only the difference, so restarts of the controller are hitless and a restart
 * of ovs-vswitchd (every flow gone) is repaired by the drift probe.
 */
import type { Logger } from "pino";
import { OvsdbClient } from "../ovs/ovsdb/index.js";
import { OfctlFlowApplier } from "../ovs/openflow/applier.js";
import type { DesiredFlow } from "../ovs/openflow/desired.js";
import { pipelineTableNames } from "./pipeline/compile.js";
import { PipelineCompiler } from "./pipeline/incremental.js";
import { AttachmentService } from "./attachments.js";
import { prepareIntegrationBridge } from "./bridge.js";
import type { ControllerConfig } from "./config.js";
import { InstalledPorts } from "./flow-waiters.js";
import { GarbageCollector } from "./gc.js";
import { Ipam } from "./ipam/ipam.js";
import { DefinitionService } from "./model/definitions.js";
import { emptyDefinitionSet, type DefinitionSet } from "./model/types.js";
import { PortWatcher, type LocalPort } from "./ports/watcher.js";
import { describePortChanges, pipelinePorts } from "./ports/changes.js";
import { ApiServer } from "./api/server.js";
import { apiRoutes } from "./api/routes.js";
import { watchDrift } from "./reconcile/drift.js";
import { toPipelineInput } from "./reconcile/pipeline-input.js";
import { Reconciler } from "./reconcile/reconciler.js";
import { FileStore } from "./store/file/file-store.js";
import { EtcdStore, etcdStoreOptions } from "./store/etcd/index.js";
import { ClusterMembership } from "./cluster.js";
import type { Store } from "./store/types.js";

export class Controller {
  definitionSet: DefinitionSet = emptyDefinitionSet();
  readonly installedPorts = new InstalledPorts();
  /** Caches rendered flows per network, subnet, port and rule: a one-rule change recompiles one rule. */
  private readonly compiler = new PipelineCompiler();
  private readonly stops: Array<() => Promise<void> | void> = [];
  private lastProblems = "";
  private lastPipelinePorts: LocalPort[] = [];

  private constructor(
    readonly config: ControllerConfig,
    readonly log: Logger,
    readonly store: Store,
    readonly ovsdb: OvsdbClient,
    readonly definitions: DefinitionService,
    readonly ipam: Ipam,
    readonly attachments: AttachmentService,
    readonly watcher: PortWatcher,
    readonly reconciler: Reconciler,
    readonly gc: GarbageCollector,
  ) {}

  /** Set in cross-host mode (tunnelIp configured). */
  cluster: ClusterMembership | undefined;

  static async start(config: ControllerConfig, log: Logger): Promise<Controller> {
    const store = await openStore(config);
    const ovsdb = await OvsdbClient.connect(config.ovsdb, { reconnect: true, keepaliveMs: 5_000 });
    try {
      await prepareIntegrationBridge(ovsdb, { name: config.bridge, datapathType: config.datapathType, tables: pipelineTableNames() });
      const definitions = new DefinitionService(store);
      const ipam = new Ipam(store);
      const watcher = await PortWatcher.start(ovsdb, config.bridge);
      const applier = new OfctlFlowApplier({ target: config.openflowTarget, env: { ...process.env, ...config.openflowEnv } });
      // The reconciler and attachments read the controller's current state through these closures.
      const self: { controller?: Controller } = {};
      const reconciler = new Reconciler({ applier, desired: () => self.controller!.desiredFlows() });
      const underlay = config.tunnelIp ? { mtu: config.underlayMtu, tunnelType: config.tunnelType } : undefined;
      const attachments = new AttachmentService(ipam, () => self.controller!.definitionSet, underlay);
      const gc = new GarbageCollector({ ipam, ovsdb, watcher, bridge: config.bridge, graceMs: config.leaseGraceMs, log });
      const controller = new Controller(config, log, store, ovsdb, definitions, ipam, attachments, watcher, reconciler, gc);
      self.controller = controller;
      await controller.run();
      return controller;
    } catch (err) {
      ovsdb.close();
      await store.close();
      throw err;
    }
  }

  private async run(): Promise<void> {
    const { reconciler, watcher, log, config } = this;
    this.definitionSet = (await this.definitions.snapshot()).set;
    reconciler.on("converged", (r) => {
      this.installedPorts.converged();
      log.info({ generation: r.generation, reasons: loggedReasons(r.reasons), added: r.added, removed: r.removed, unchanged: r.unchanged, resynced: r.resynced, ms: r.durationMs, ovsMs: r.ovsMs }, "flows converged");
    });
    reconciler.on("failed", (err, reasons) => log.error({ err, reasons }, "reconcile failed; retrying"));
    if (config.tunnelIp) {
      const cluster = { bridge: config.bridge, hostName: config.hostName, tunnelIp: config.tunnelIp, tunnelType: config.tunnelType, hostTtlSeconds: config.hostTtlSeconds };
      this.cluster = await ClusterMembership.start(this.store, this.ovsdb, cluster, log, () => reconciler.request("cluster changed"));
      await this.cluster.syncProviderPorts(this.definitionSet);
      this.stops.push(() => this.cluster?.stop());
    }
    watcher.on("changed", () => {
      // OVSDB changes that do not change the pipeline's ports (a port still without ofport, a
      // standalone port, a counter) cost no round.
      const ports = pipelinePorts(watcher.ports());
      const change = describePortChanges(this.lastPipelinePorts, ports);
      if (change === undefined) return;
      this.lastPipelinePorts = ports;
      reconciler.request(`ports changed: ${change}`); // names the containers in the round's log line
      this.publishEndpoints();
    });
    this.publishEndpoints();
    this.ovsdb.on("reconnected", () => reconciler.request("ovsdb reconnected"));
    this.ovsdb.on("disconnected", (err) => log.warn({ err: err.message }, "ovsdb connection lost; reconnecting"));
    await reconciler.converge("startup");
    this.watchDefinitions();
    const stopDrift = watchDrift({
      target: config.openflowTarget,
      env: { ...process.env, ...config.openflowEnv },
      intervalMs: config.driftIntervalMs,
      expected: () => (reconciler.inSync ? reconciler.flowCount : undefined),
      onDrift: (installed, expected) => {
        log.warn({ installed, expected }, "installed flows differ from ours (vswitchd restart?): resyncing");
        reconciler.request("flow drift", true);
      },
      onProbeError: (err) => log.warn({ err: err.message }, "flow probe failed"),
    });
    const resync = setInterval(() => reconciler.request("periodic resync", true), config.resyncIntervalMs);
    resync.unref();
    const gcTimer = setInterval(() => void this.gc.run().catch((err: Error) => log.warn({ err: err.message }, "gc failed")), Math.max(config.leaseGraceMs / 2, 1_000));
    gcTimer.unref();
    const api = new ApiServer(apiRoutes(this), (err, method, path) => log.warn({ code: err.code, method, path }, err.message));
    await api.listen(config.apiSocket);
    this.stops.push(
      () => api.close(),
      stopDrift,
      () => clearInterval(resync),
      () => clearInterval(gcTimer),
    );
    log.info({ bridge: config.bridge, api: config.apiSocket, flows: reconciler.flowCount, ports: watcher.ports().length }, "controller ready");
  }

  /** The desired flows of the current definitions and ports; remembers which ports they cover. */
  desiredFlows(): { flows: DesiredFlow[]; problems: string[] } {
    const problems: string[] = [];
    const input = toPipelineInput(this.definitionSet, this.watcher.ports(), problems, this.cluster);
    this.installedPorts.compiling(input.ports);
    const compiled = this.compiler.compile(input);
    const all = [...problems, ...compiled.problems];
    const summary = all.join("; ");
    if (summary !== this.lastProblems) {
      this.lastProblems = summary;
      if (all.length > 0) this.log.warn({ problems: all }, "inputs left out of the pipeline (fail closed)");
    }
    return compiled;
  }

  /** Cross-host mode: the other hosts learn this host's managed ports from the store. */
  private publishEndpoints(): void {
    this.cluster?.publish(this.watcher.ports(), this.definitionSet).catch((err: Error) => this.log.warn({ err: err.message }, "publishing endpoints failed; retried on the next renewal"));
  }

  private watchDefinitions(): void {
    const abort = new AbortController();
    this.stops.push(() => abort.abort());
    void (async () => {
      for await (const snapshot of this.definitions.watch(abort.signal)) {
        this.definitionSet = snapshot.set;
        await this.cluster?.syncProviderPorts(snapshot.set).catch((err: Error) => this.log.error({ err: err.message }, "provider ports not in line with the definitions"));
        this.reconciler.request(`definitions at revision ${snapshot.revision}`);
        this.publishEndpoints();
      }
    })().catch((err: Error) => {
      if (!abort.signal.aborted) this.log.error({ err: err.message }, "definition watch ended");
    });
  }

  /** Stops serving and watching; leaves every flow in place (restart is hitless). */
  async stop(): Promise<void> {
    for (const stop of this.stops.reverse()) await stop();
    await this.reconciler.stop(); // lets a bundle in flight finish: no ovs-ofctl outlives us
    await this.watcher.stop().catch(() => undefined);
    this.ovsdb.close();
    await this.store.close();
    this.log.info("controller stopped; flows left in place");
  }
}

async function openStore(config: ControllerConfig): Promise<Store> {
  if (config.store === "file") return FileStore.open(config.dataDir);
  const options = etcdStoreOptions({
    endpoints: config.etcdEndpoints,
    prefix: config.etcdPrefix,
    ...(config.etcdCaFile ? { caFile: config.etcdCaFile } : {}),
    ...(config.etcdCertFile ? { certFile: config.etcdCertFile } : {}),
    ...(config.etcdKeyFile ? { keyFile: config.etcdKeyFile } : {}),
  });
  return EtcdStore.open(options);
}

/** What of the local ports the pipeline and the endpoint records depend on. */

/** A round's reasons for its log line: a burst of port changes makes hundreds; the first ten tell. */
function loggedReasons(reasons: readonly string[], max = 10): readonly string[] {
  return reasons.length <= max ? reasons : [...reasons.slice(0, max), `and ${reasons.length - max} more`];
}
