/** Host and endpoint records shared between hosts. docs/etcd.md "Leases, host records and endpoint records". */
export { HostRegistry, type HostRegistryOptions, type LocalEndpoint } from "./host-registry.js";
export { ClusterView, readCluster, type ClusterSnapshot, type ClusterViewOptions } from "./cluster-view.js";
export { isLeasedStore, withLeases, withoutExpiry, LeaseNotFoundError, type LeasedStore, type StoreLease } from "./leased-store.js";
export * from "./records.js";
