#!/usr/bin/env node
// Bundles each executable into one ESM file under dist/ so that a CNI call loads a single file.
import { build } from "esbuild";
import { existsSync, chmodSync } from "node:fs";

const executables = [
  { entry: "plugin/main.ts", out: "dist/ovs-sdn.js" },
  { entry: "controller/main.ts", out: "dist/ovs-sdn-controller.js" },
  { entry: "controller/cli/main.ts", out: "dist/ovs-sdnctl.js" },
];

for (const { entry, out } of executables) {
  if (!existsSync(entry)) continue;
  await build({
    entryPoints: [entry],
    outfile: out,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    minify: false,
    sourcemap: false,
    legalComments: "none",
    // Bundled CommonJS dependencies call require(): give the ESM bundle one.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
    logLevel: "warning",
  });
  chmodSync(out, 0o755);
  console.log(`built ${out}`);
}
