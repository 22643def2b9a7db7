#!/usr/bin/env bash
# `npm run demo`: installs what is missing (Debian packages, npm dependencies, the bundles), then
# runs the demo (controller/lab/demo.ts). `npm run demo -- --keep` leaves the lab up until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/ensure-deps.sh
npm run --silent build >/dev/null
exec node --import tsx controller/lab/demo.ts "$@"
