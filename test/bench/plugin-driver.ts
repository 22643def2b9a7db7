/**
 * The measuring side of plugin.bench.ts, as plain JavaScript text: it runs inside the sandbox's
 * host netns (`ip netns exec ... node driver.mjs`) and spawns plugins directly, like a runtime.
 * Input (stdin): { cniPath, path, netns[], cycles, ca, plugins: [{ label, path, config, node }] };
 * path is the PATH the plugins get (a runtime's, not the benchmark shell's).
 * Output (stdout): one JSON array of { label, start?, add?, del?, cycleCpu?, burstAdd?, burstDel? };
 * cycleCpu: CPU ms of one sequential ADD+DEL cycle, the plugin and every process it ran.
 */
export const DRIVER = String.raw`
import { spawn } from "node:child_process";
const job = JSON.parse(await new Promise((r) => { let s = ""; process.stdin.on("data", (d) => (s += d)); process.stdin.on("end", () => r(s)); }));

function exec(path, args, env, input) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(path, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(path + " exited " + code + ": " + out + err));
      else resolve(ms);
    });
    child.stdin.end(input ?? "");
  });
}

import { readFileSync } from "node:fs";
/** CPU ms of this process's waited-for children (and theirs): /proc/self/stat cutime + cstime. */
function childrenCpuMs() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
  return (Number(fields[13]) + Number(fields[14])) * 10; // USER_HZ is 100 on Linux
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return { p50: at(0.5), p99: at(0.99), n: s.length };
};

function cniEnv(command, id, netns, ca) {
  const env = { PATH: job.path, CNI_COMMAND: command, CNI_CONTAINERID: id, CNI_NETNS: netns, CNI_IFNAME: "eth0", CNI_PATH: job.cniPath };
  if (ca) env.NODE_EXTRA_CA_CERTS = ca;
  return env;
}

async function plugin(label, p, ca) {
  const input = JSON.stringify(p.config);
  const add = [];
  const del = [];
  for (let i = 0; i < 3; i++) {
    await exec(p.path, [], cniEnv("ADD", "warm" + i, job.netns[0], ca), input);
    await exec(p.path, [], cniEnv("DEL", "warm" + i, job.netns[0], ca), input);
  }
  const cpu0 = childrenCpuMs();
  for (let i = 0; i < job.cycles; i++) {
    const netns = job.netns[i % job.netns.length];
    add.push(await exec(p.path, [], cniEnv("ADD", "seq" + i, netns, ca), input));
    del.push(await exec(p.path, [], cniEnv("DEL", "seq" + i, netns, ca), input));
  }
  const cycleCpu = (childrenCpuMs() - cpu0) / job.cycles;
  const t0 = performance.now();
  await Promise.all(job.netns.map((n, i) => exec(p.path, [], cniEnv("ADD", "burst" + i, n, ca), input)));
  const burstAdd = performance.now() - t0;
  const t1 = performance.now();
  await Promise.all(job.netns.map((n, i) => exec(p.path, [], cniEnv("DEL", "burst" + i, n, ca), input)));
  const burstDel = performance.now() - t1;
  return { label, add: stats(add), del: stats(del), cycleCpu, burstAdd, burstDel };
}

async function bareNode(label, ca) {
  const env = { PATH: job.path };
  if (ca) env.NODE_EXTRA_CA_CERTS = ca;
  const xs = [];
  for (let i = 0; i < Math.max(30, job.cycles); i++) xs.push(await exec(process.execPath, ["-e", "0"], env));
  // The floor of any burst of Node processes: as many bare starts at once as the burst has ADDs.
  const t0 = performance.now();
  await Promise.all(job.netns.map(() => exec(process.execPath, ["-e", "0"], env)));
  return { label, start: stats(xs), burstAdd: performance.now() - t0 };
}

async function version(label, p, ca) {
  const xs = [];
  for (let i = 0; i < Math.max(30, job.cycles); i++) xs.push(await exec(p.path, [], { ...cniEnv("VERSION", "", "", ca) }, "{}"));
  return { label, start: stats(xs) };
}

const results = [];
results.push(await bareNode("node -e 0 (no NODE_EXTRA_CA_CERTS)", undefined));
results.push(await bareNode("node -e 0 (with NODE_EXTRA_CA_CERTS)", job.ca));
for (const p of job.plugins) {
  if (p.node) {
    results.push(await version(p.label + " VERSION (no NODE_EXTRA_CA_CERTS)", p, undefined));
    results.push(await plugin(p.label + " (no NODE_EXTRA_CA_CERTS)", p, undefined));
    results.push(await plugin(p.label + " (with NODE_EXTRA_CA_CERTS)", p, job.ca));
  } else {
    results.push(await plugin(p.label, p, undefined));
  }
}
process.stdout.write(JSON.stringify(results));
`;
