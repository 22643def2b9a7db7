/** ovs-sdn-controller: the node controller daemon. Flags override the config file's keys. */
import { Command, Option } from "commander";
import { asCniError } from "../plugin/cni/errors.js";
import { loadConfig, type ControllerConfig } from "./config.js";
import { Controller } from "./daemon.js";
import { createLogger } from "./log.js";

const program = new Command("ovs-sdn-controller")
  .description("ovs-sdn node controller: compiles networks, subnets and isolation policies into OpenFlow on the integration bridge")
  .option("-c, --config <file>", "JSON configuration file (see docs/configuration.md)")
  .option("--bridge <name>", "integration bridge (default br-int)")
  .addOption(new Option("--datapath-type <type>", "bridge datapath (default system)").choices(["system", "netdev"]))
  .option("--ovsdb <remote>", "OVSDB remote: unix:PATH, tcp:HOST:PORT or ssl:HOST:PORT")
  .option("--openflow-target <target>", "ovs-ofctl target for the bridge (default: the bridge name)")
  .option("--api-socket <path>", "unix socket of the local API")
  .option("--data-dir <dir>", "directory of the embedded store")
  .option("--log-file <file>", "JSON log file (default stderr)")
  .option("--lease-grace-ms <ms>", "release leases whose port has been gone this long (default 60000)", (v) => Number(v))
  .addOption(new Option("--store <kind>", "where definitions and leases live (default file)").choices(["file", "etcd"]))
  .option("--etcd-endpoints <urls>", "comma-separated etcd client URLs (with --store etcd)")
  .option("--etcd-prefix <prefix>", "key prefix in etcd (default /ovs-sdn/)")
  .option("--host-name <name>", "this host's name in the cluster (default the hostname)")
  .option("--tunnel-ip <ipv4>", "this host's underlay address: joins the overlay (needs --store etcd)")
  .addOption(new Option("--tunnel-type <type>", "overlay encapsulation (default vxlan)").choices(["vxlan", "geneve"]))
  .option("--host-ttl-seconds <s>", "this host's records expire this long after it stops renewing (default 15)", (v) => Number(v))
  .addOption(new Option("--log-level <level>").choices(["trace", "debug", "info", "warn", "error"]))
  .addHelpText(
    "after",
    `
Examples:
  ovs-sdn-controller --datapath-type netdev
  ovs-sdn-controller --store etcd --etcd-endpoints http://10.0.0.1:2379 --tunnel-ip 192.168.50.11
  ovs-sdn-controller -c /etc/ovs-sdn/controller.json --log-level debug`,
  );

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{ config?: string; bridge?: string; datapathType?: string; ovsdb?: string; openflowTarget?: string; apiSocket?: string; dataDir?: string; logFile?: string; logLevel?: ControllerConfig["logLevel"]; leaseGraceMs?: number; store?: "file" | "etcd"; etcdEndpoints?: string; etcdPrefix?: string; hostName?: string; tunnelIp?: string; tunnelType?: "vxlan" | "geneve"; hostTtlSeconds?: number }>();
  const config = loadConfig(opts.config, {
    bridge: opts.bridge,
    datapathType: opts.datapathType,
    ovsdb: opts.ovsdb,
    openflowTarget: opts.openflowTarget,
    apiSocket: opts.apiSocket,
    dataDir: opts.dataDir,
    logFile: opts.logFile,
    logLevel: opts.logLevel,
    leaseGraceMs: opts.leaseGraceMs,
    store: opts.store,
    etcdEndpoints: opts.etcdEndpoints,
    etcdPrefix: opts.etcdPrefix,
    hostName: opts.hostName,
    tunnelIp: opts.tunnelIp,
    tunnelType: opts.tunnelType,
    hostTtlSeconds: opts.hostTtlSeconds,
  });
  const log = createLogger({ file: config.logFile, level: config.logLevel, name: "ovs-sdn-controller" });
  const controller = await Controller.start(config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    controller.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err: unknown) => {
  const e = asCniError(err);
  process.stderr.write(`ovs-sdn-controller: ${e.message}${e.details ? ` (${e.details})` : ""}\n`);
  process.exit(1);
});
