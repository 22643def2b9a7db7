/** The etcd backend of the store. docs/etcd.md. */
export { EtcdStore, type EtcdStoreOptions } from "./etcd-store.js";
export { etcdStoreOptions, type EtcdConfig } from "./config.js";
export { EtcdUnavailableError, EtcdRequestError } from "./errors.js";
export type { EtcdTlsOptions } from "./gateway.js";
