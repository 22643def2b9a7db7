/** The store interface and its backends. */
export * from "./types.js";
export { StoreError, StoreKeyError, StoreCompactedError } from "./errors.js";
export { FileStore, type FileStoreOptions } from "./file/file-store.js";
export { checkFileStore, type FileStoreReport } from "./file/check.js";
