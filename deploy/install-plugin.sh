#!/usr/bin/env bash
# Installs the ovs-sdn CNI plugin and an example network configuration.
#
#   deploy/install-plugin.sh [CNI_BIN_DIR] [CNI_CONF_DIR]
#
# CNI_BIN_DIR  where runtimes look for plugins (default /opt/cni/bin); gets the executable `ovs-sdn`
#              and the directory `ovs-sdn.d/` with the bundle (and, after the first ADD, its V8 code
#              cache).
# CNI_CONF_DIR where runtimes read network configs (default /etc/cni/net.d); gets
#              `10-ovs-sdn.conflist` unless a file of that name exists (FORCE=1 replaces it).
# OVS_SDN_DIST the build to install (default: dist/cni of this repository, made by `npm run build`).
# OVS_SDN_CONFLIST: the conflist to write (default deploy/cni/ovs-sdn.conflist).
# The executable is plugin/launcher.cjs: sh runs `node` (Node.js >= 20 must be on the runtime's
# PATH) with NODE_EXTRA_CA_CERTS cleared, and Node compiles the bundle with the code cache.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="${1:-/opt/cni/bin}"
conf_dir="${2:-/etc/cni/net.d}"
dist="${OVS_SDN_DIST:-$repo/dist/cni}"
conflist="${OVS_SDN_CONFLIST:-$repo/deploy/cni/ovs-sdn.conflist}"

bundle="$(find "$dist/ovs-sdn.d" -maxdepth 1 -name 'plugin-*.cjs' 2>/dev/null | head -n 1)"
[ -f "$dist/ovs-sdn" ] && [ -n "$bundle" ] || { echo "install-plugin: $dist/ovs-sdn or its bundle not found (run npm run build)" >&2; exit 1; }
[ -f "$conflist" ] || { echo "install-plugin: $conflist not found" >&2; exit 1; }
node_version="$(node -p 'process.versions.node' 2>/dev/null || true)"
if [ -z "$node_version" ] || [ "${node_version%%.*}" -lt 20 ]; then
  echo "install-plugin: warning: Node.js >= 20 not found on PATH (found '${node_version:-none}'); the plugin needs it" >&2
fi

install -d -m 0755 "$bin_dir" "$conf_dir" "$bin_dir/ovs-sdn.d"
# The bundle first, then the launcher that names it, each copied then renamed: a runtime never
# executes a half-written file, and a call started before the swap still finds its own bundle.
name="$(basename "$bundle" .cjs)"
tmp="$(mktemp "$bin_dir/ovs-sdn.d/.$name.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
install -m 0644 "$bundle" "$tmp" && mv -f "$tmp" "$bin_dir/ovs-sdn.d/$name.cjs"
tmp="$(mktemp "$bin_dir/.ovs-sdn.XXXXXX")"
install -m 0755 "$dist/ovs-sdn" "$tmp" && mv -f "$tmp" "$bin_dir/ovs-sdn"
trap - EXIT
# Bundles and caches of earlier installs.
find "$bin_dir/ovs-sdn.d" -maxdepth 1 -type f -name 'plugin-*' ! -name "$name.*" -delete
echo "installed $bin_dir/ovs-sdn"

target="$conf_dir/10-ovs-sdn.conflist"
if [ -e "$target" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "kept existing $target (FORCE=1 to replace)"
else
  install -m 0644 "$conflist" "$target"
  echo "wrote $target"
fi
echo "version: $(echo '{"cniVersion":"1.1.0"}' | CNI_COMMAND=VERSION "$bin_dir/ovs-sdn")"
