/**
 * `npm run demo`: the product's main job on one machine. A private OVS, the controller with its
 * file store, the sample multi-tenant definitions applied with ovs-sdnctl, six containers attached
 * through the real plugin binary, the connectivity matrix expected versus observed (real TCP
 * connections), and a trace of one allowed and one blocked packet. Exit status 1 on any mismatch.
 */
import { join, resolve } from "node:path";
import { run } from "../../ovs/exec.js";
import { BRIDGE, Lab, type AttachmentSpec } from "./lab.js";
import { exchange } from "./traffic.js";

const REPO = resolve(import.meta.dirname, "../..");
const DEFINITIONS = join(REPO, "deploy/examples/multi-tenant.yaml");
const PROBE_PORT = 5432;

interface DemoContainer {
  name: string;
  tenant: string;
  subnet: string;
  spec: AttachmentSpec;
}

const CONTAINERS: DemoContainer[] = [
  { name: "web-1", tenant: "acme", subnet: "acme-web", spec: { network: "acme", subnets: ["acme-web"] } },
  { name: "web-2", tenant: "acme", subnet: "acme-web", spec: { network: "acme", subnets: ["acme-web"] } },
  { name: "db-1", tenant: "acme", subnet: "acme-db", spec: { network: "acme" } },
  { name: "app-1", tenant: "globex", subnet: "globex-app", spec: { network: "globex" } },
  { name: "app-2", tenant: "globex", subnet: "globex-app", spec: { network: "globex" } },
  { name: "app-3", tenant: "globex", subnet: "globex-app", spec: { network: "globex" } },
];

/** What the definitions promise for a new TCP connection to port 5432. */
function expected(from: DemoContainer, to: DemoContainer): boolean {
  if (from.tenant !== to.tenant) return false; // tenants never meet
  if (from.subnet === to.subnet) return true; // inside a subnet traffic passes
  return from.subnet === "acme-web" && to.subnet === "acme-db"; // the policy's one allow rule
}

async function main(): Promise<number> {
  const keep = process.argv.includes("--keep");
  const started = Date.now();
  console.log("Starting a private Open vSwitch (userspace datapath) and the ovs-sdn controller...");
  const lab = await Lab.start({ prefix: "demo" });
  try {
    const ctl = (...args: string[]) => run(process.execPath, [join(lab.distDir, "ovs-sdnctl.js"), ...cliFlags(lab), ...args]);
    console.log(`\n$ ovs-sdnctl apply -f deploy/examples/multi-tenant.yaml\n${(await ctl("apply", "-f", DEFINITIONS)).trimEnd()}`);

    console.log("\nAttaching six containers through the ovs-sdn CNI plugin (managed mode)...");
    for (const c of CONTAINERS) await lab.addContainer(c.name, [{ ...c.spec, podNamespace: "demo", podName: c.name }]);
    console.log(`\n$ ovs-sdnctl get ports\n${(await ctl("get", "ports")).trimEnd()}`);

    const mismatches = await connectivityMatrix(lab);

    console.log(`\n$ ovs-sdnctl trace demo/web-1 demo/db-1 tcp/${PROBE_PORT}        # allowed by the policy`);
    console.log((await ctl("trace", "demo/web-1", "demo/db-1", `tcp/${PROBE_PORT}`)).trimEnd());
    console.log(`\n$ ovs-sdnctl trace demo/db-1 demo/web-1 tcp/${PROBE_PORT}        # a new connection the other way`);
    console.log((await ctl("trace", "demo/db-1", "demo/web-1", `tcp/${PROBE_PORT}`)).trimEnd());

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(mismatches === 0 ? `\nAll connections behaved as defined (${seconds} s).` : `\n${mismatches} connection(s) did NOT behave as defined (${seconds} s).`);
    if (keep) await stayUp(lab);
    return mismatches === 0 ? 0 : 1;
  } finally {
    console.log("\nTearing down: containers (CNI DEL), controller, OVS sandbox...");
    await lab.stop();
  }
}

/** Every ordered pair, in rounds where each container serves at most one probe at a time. */
async function connectivityMatrix(lab: Lab): Promise<number> {
  const n = CONTAINERS.length;
  const observed = new Map<string, boolean>();
  for (let shift = 1; shift < n; shift++) {
    await Promise.all(
      CONTAINERS.map(async (from, i) => {
        const to = CONTAINERS[(i + shift) % n]!;
        const ok = await exchange("tcp", lab.containers.get(to.name)!.netns, lab.address(to.name), lab.containers.get(from.name)!.netns, PROBE_PORT);
        observed.set(`${from.name}>${to.name}`, ok);
      }),
    );
  }
  console.log(`\nNew TCP connections to port ${PROBE_PORT} (row → column): expected / observed`);
  console.log(`${"".padEnd(16)}${CONTAINERS.map((c) => c.name.padEnd(10)).join("")}`);
  let mismatches = 0;
  for (const from of CONTAINERS) {
    const cells = CONTAINERS.map((to) => {
      if (from === to) return "-".padEnd(10);
      const want = expected(from, to);
      const got = observed.get(`${from.name}>${to.name}`)!;
      if (want !== got) mismatches++;
      return `${want ? "yes" : "no"}/${got ? "yes" : "no"}${want === got ? "" : " !!"}`.padEnd(10);
    });
    console.log(`${`${from.name} ${lab.address(from.name)}`.padEnd(16)}${cells.join("")}`);
  }
  return mismatches;
}

function cliFlags(lab: Lab): string[] {
  const sb = lab.sandbox;
  return ["--api-socket", lab.apiSocket, "--ovsdb", sb.dbRemote, "--bridge", BRIDGE, "--openflow-target", `unix:${sb.mgmtSocket(BRIDGE)}`, "--appctl-target", sb.controlSocket("ovs-vswitchd")];
}

async function stayUp(lab: Lab): Promise<void> {
  const first = lab.containers.values().next().value!;
  console.log(`
The lab stays up. Look around (as root):
  node dist/ovs-sdnctl.js ${cliFlags(lab).join(" ")} flows
  ip netns exec ${first.netns} ip addr              # a container (all: ip netns list | grep lab)
  ovs-vsctl --db=${lab.sandbox.dbRemote} show
  controller log: ${lab.controllerLog}
Press Ctrl-C to tear everything down.`);
  // The demo takes Ctrl-C over from the sandbox's last-resort handler (which kills OVS and exits at
  // once): the first Ctrl-C tears down in order (CNI DEL, controller, OVS), a second one exits.
  process.removeAllListeners("SIGINT");
  process.removeAllListeners("SIGTERM");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
