#!/usr/bin/env bash
# The whole test suite: installs what is missing (Debian packages, npm dependencies), checks
# generated validators, types and lint, builds the bundles, then runs unit and integration tests.
# Integration tests need root: they start private OVS sandboxes inside their own network namespaces.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/ensure-deps.sh
npm run check
npm run build
npx vitest run "$@"
