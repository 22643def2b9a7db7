#!/usr/bin/env bash
# Installs ovs-sdn on a plain host next to Debian's openvswitch-switch:
#   the controller bundle + CLI   -> $PREFIX/lib/ovs-sdn/ (CLI linked as $PREFIX/bin/ovs-sdnctl)
#   its configuration             -> /etc/ovs-sdn/controller.json (kept if present)
#   the systemd unit              -> /etc/systemd/system/ovs-sdn-controller.service
#   the CNI plugin + a conflist   -> deploy/install-plugin.sh (CNI_BIN_DIR, CNI_CONF_DIR)
#
#   deploy/install.sh [install|uninstall]
# Environment: PREFIX (/usr/local), ETC_DIR (/etc/ovs-sdn), UNIT_DIR (/etc/systemd/system),
# CNI_BIN_DIR (/opt/cni/bin), CNI_CONF_DIR (/etc/cni/net.d), NO_SYSTEMCTL=1 to skip systemctl.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
prefix="${PREFIX:-/usr/local}"
etc_dir="${ETC_DIR:-/etc/ovs-sdn}"
unit_dir="${UNIT_DIR:-/etc/systemd/system}"
cni_bin="${CNI_BIN_DIR:-/opt/cni/bin}"
cni_conf="${CNI_CONF_DIR:-/etc/cni/net.d}"
lib_dir="$prefix/lib/ovs-sdn"
systemctl_() { [ "${NO_SYSTEMCTL:-0}" = 1 ] || ! command -v systemctl >/dev/null || systemctl "$@"; }

install_all() {
  for f in cni/ovs-sdn ovs-sdn-controller.js ovs-sdnctl.js; do
    [ -f "$repo/dist/$f" ] || { echo "install: dist/$f missing (run npm run build)" >&2; exit 1; }
  done
  install -d -m 0755 "$lib_dir" "$prefix/bin" "$etc_dir" "$unit_dir"
  # The bundles are ES modules: a package.json beside them says so to Node.
  printf '{ "type": "module" }\n' > "$lib_dir/package.json"
  install -m 0755 "$repo/dist/ovs-sdn-controller.js" "$repo/dist/ovs-sdnctl.js" "$lib_dir/"
  ln -sf "$lib_dir/ovs-sdnctl.js" "$prefix/bin/ovs-sdnctl"
  [ -e "$etc_dir/controller.json" ] || install -m 0644 "$repo/deploy/controller.json" "$etc_dir/controller.json"
  sed "s#/usr/local/lib/ovs-sdn#$lib_dir#; s#/etc/ovs-sdn/controller.json#$etc_dir/controller.json#" \
    "$repo/deploy/systemd/ovs-sdn-controller.service" > "$unit_dir/ovs-sdn-controller.service"
  "$repo/deploy/install-plugin.sh" "$cni_bin" "$cni_conf"
  systemctl_ daemon-reload
  systemctl_ enable --now ovs-sdn-controller.service
  echo "installed; status: systemctl status ovs-sdn-controller; check: ovs-sdnctl doctor"
}

uninstall_all() {
  systemctl_ disable --now ovs-sdn-controller.service || true
  rm -f "$unit_dir/ovs-sdn-controller.service" "$prefix/bin/ovs-sdnctl" "$cni_bin/ovs-sdn" "$cni_conf/10-ovs-sdn.conflist"
  rm -rf "$lib_dir" "$cni_bin/ovs-sdn.d"
  systemctl_ daemon-reload
  echo "uninstalled (kept $etc_dir and /var/lib/ovs-sdn; flows on br-int stay until the bridge is removed)"
}

case "${1:-install}" in
  install) install_all ;;
  uninstall) uninstall_all ;;
  *) echo "usage: $0 [install|uninstall]" >&2; exit 2 ;;
esac
