#!/usr/bin/env bash
# Installs the bundled ovs-sdn CNI plugin and an example network configuration.
#
#   deploy/install-plugin.sh [CNI_BIN_DIR] [CNI_CONF_DIR]
#
# CNI_BIN_DIR  where runtimes look for plugins (default /opt/cni/bin); gets `ovs-sdn`.
# CNI_CONF_DIR where runtimes read network configs (default /etc/cni/net.d); gets
#              `10-ovs-sdn.conflist` unless a file of that name exists (FORCE=1 replaces it).
# OVS_SDN_BUNDLE the bundle to install (default: dist/ovs-sdn.js of this repository; build it
#              with `npm run build`). OVS_SDN_CONFLIST: the conflist to write (default
#              deploy/cni/ovs-sdn.conflist).
# The installed plugin starts through /bin/sh, which runs `node` (Node.js >= 20 must be on the
# runtime's PATH) with NODE_EXTRA_CA_CERTS cleared: Node 20 would otherwise read that CA bundle on
# every start (≈ 30-50 ms per call), and the plugin makes no TLS connection that could use it. The
# first two lines are valid sh and valid JavaScript at once; the rest is the bundle unchanged.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
bin_dir="${1:-/opt/cni/bin}"
conf_dir="${2:-/etc/cni/net.d}"
bundle="${OVS_SDN_BUNDLE:-$repo/dist/ovs-sdn.js}"
conflist="${OVS_SDN_CONFLIST:-$repo/deploy/cni/ovs-sdn.conflist}"

[ -f "$bundle" ] || { echo "install-plugin: $bundle not found (run npm run build)" >&2; exit 1; }
[ -f "$conflist" ] || { echo "install-plugin: $conflist not found" >&2; exit 1; }
node_version="$(node -p 'process.versions.node' 2>/dev/null || true)"
if [ -z "$node_version" ] || [ "${node_version%%.*}" -lt 20 ]; then
  echo "install-plugin: warning: Node.js >= 20 not found on PATH (found '${node_version:-none}'); the plugin needs it" >&2
fi

install -d -m 0755 "$bin_dir" "$conf_dir"
# Copy then rename: a runtime never executes a half-written plugin.
tmp="$(mktemp "$bin_dir/.ovs-sdn.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
if [ "$(head -n 1 "$bundle")" != "#!/usr/bin/env node" ]; then
  echo "install-plugin: $bundle does not start with #!/usr/bin/env node" >&2
  exit 1
fi
{
  printf '#!/bin/sh\n'
  printf '":" //; NODE_EXTRA_CA_CERTS= exec node "$0" "$@"\n'
  tail -n +2 "$bundle"
} > "$tmp"
chmod 0755 "$tmp"
mv -f "$tmp" "$bin_dir/ovs-sdn"
trap - EXIT
echo "installed $bin_dir/ovs-sdn"

target="$conf_dir/10-ovs-sdn.conflist"
if [ -e "$target" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "kept existing $target (FORCE=1 to replace)"
else
  install -m 0644 "$conflist" "$target"
  echo "wrote $target"
fi
echo "version: $(echo '{"cniVersion":"1.1.0"}' | CNI_COMMAND=VERSION "$bin_dir/ovs-sdn")"
