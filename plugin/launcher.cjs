#!/bin/sh
":" //; NODE_EXTRA_CA_CERTS= exec node "$0" "$@"
/*
 * The installed `ovs-sdn` executable: starts the plugin bundle with a V8 code cache.
 *
 * The first two lines are valid sh and valid JavaScript at once: sh runs `node` on this file with
 * NODE_EXTRA_CA_CERTS cleared (Node 20 reads that CA bundle at every start; the plugin makes no TLS
 * connection that could use it). Node then runs what follows as CommonJS.
 *
 * The bundle (ovs-sdn.d/plugin-<hash>.cjs, <hash> taken from its content at build time) is compiled
 * here with the code V8 cached after an earlier successful ADD (plugin-<hash>.codecache), so a call
 * does not parse and compile the same functions again: ≈ 8 ms of every ADD (docs/performance-plugin.md).
 * V8 refuses a cache made by another V8 version or with other flags; the content hash in both names
 * pairs the cache with the bundle it was made from. Without a usable cache the bundle is compiled as
 * usual and a successful ADD writes one (temp file + rename; a read-only directory just means no cache).
 */
"use strict";
const { closeSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { Script } = require("node:vm");

const BUNDLE_NAME = "@BUNDLE_NAME@";
const dir = join(__dirname, "ovs-sdn.d");
const bundlePath = join(dir, `${BUNDLE_NAME}.cjs`);
const cachePath = join(dir, `${BUNDLE_NAME}.codecache`);

let source;
try {
  source = readFileSync(bundlePath, "utf8");
} catch (err) {
  const msg = `ovs-sdn is not installed completely: cannot read ${bundlePath} (${err.code || err.message}); run deploy/install-plugin.sh again`;
  process.stdout.write(`${JSON.stringify({ cniVersion: "1.1.0", code: 999, msg })}\n`);
  process.exit(1);
}

let cachedData;
try {
  cachedData = readFileSync(cachePath);
} catch {
  // no cache yet
}

// Node's own CommonJS wrapper, so the bundle sees the usual module scope.
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundlePath, cachedData });

if ((cachedData === undefined || script.cachedDataRejected) && process.env.CNI_COMMAND === "ADD") {
  // After a successful ADD the functions of the hot path are compiled: that is the cache worth keeping.
  process.once("exit", (code) => {
    if (code !== 0) return;
    const temp = `${cachePath}.${process.pid}.tmp`;
    let fd;
    try {
      fd = openSync(temp, "wx", 0o644); // first: a read-only directory costs no serialisation
    } catch {
      return;
    }
    try {
      writeFileSync(fd, script.createCachedData());
      closeSync(fd);
      renameSync(temp, cachePath);
    } catch {
      rmSync(temp, { force: true });
    }
  });
}

script.runInThisContext()(exports, require, module, bundlePath, dir);
