#!/usr/bin/env node
// `npm run bench`: runs every benchmark in test/bench/ one after the other (each starts and stops
// its own sandbox and prints its own table). `npm run bench -- ovsdb` runs only matching files.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";

const filter = process.argv.slice(2);
const files = readdirSync("test/bench")
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => filter.length === 0 || filter.some((word) => f.includes(word)))
  .sort();
if (files.length === 0) {
  console.error(`no benchmark matches ${filter.join(" ")}`);
  process.exit(1);
}
spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit" });
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync("npx", ["tsx", `test/bench/${file}`], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
