/**
 * From the controller's and CLI's configuration (endpoints as text, TLS material as file paths)
 * to EtcdStoreOptions. Errors name the setting and are CNI code 7 (invalid configuration).
 */
import { readFileSync } from "node:fs";
import { CniCode, CniError } from "../../../plugin/cni/errors.js";
import { checkKeyPrefix } from "./codec.js";
import type { EtcdStoreOptions } from "./etcd-store.js";

export interface EtcdConfig {
  /** Client URLs: a list, or one comma-separated string ("https://a:2379,https://b:2379"). */
  endpoints: string[] | string;
  prefix?: string;
  requestTimeoutMs?: number;
  /** PEM files: CA of the members' certificates; client certificate and key. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

function invalid(message: string): CniError {
  return new CniError(CniCode.InvalidConfig, message);
}

function readPem(setting: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw invalid(`etcd ${setting} ${path}: ${(err as Error).message}`);
  }
}

export function etcdStoreOptions(config: EtcdConfig): EtcdStoreOptions {
  const endpoints = (typeof config.endpoints === "string" ? config.endpoints.split(",") : config.endpoints).map((e) => e.trim()).filter((e) => e !== "");
  if (endpoints.length === 0) throw invalid("etcd endpoints: at least one client URL is needed (e.g. http://127.0.0.1:2379)");
  for (const e of endpoints) {
    if (!/^https?:\/\/[^/]+\/?$/.test(e)) throw invalid(`etcd endpoints: ${JSON.stringify(e)} is not an http(s)://host:port URL`);
  }
  if (config.prefix !== undefined) {
    try {
      checkKeyPrefix(config.prefix);
    } catch (err) {
      throw invalid((err as Error).message);
    }
  }
  if (config.requestTimeoutMs !== undefined && !(Number.isInteger(config.requestTimeoutMs) && config.requestTimeoutMs > 0)) {
    throw invalid(`etcd requestTimeoutMs ${config.requestTimeoutMs} must be a positive whole number`);
  }
  if ((config.certFile === undefined) !== (config.keyFile === undefined)) throw invalid("etcd certFile and keyFile go together");
  const tls = {
    ...(config.caFile !== undefined ? { ca: readPem("caFile", config.caFile) } : {}),
    ...(config.certFile !== undefined ? { cert: readPem("certFile", config.certFile) } : {}),
    ...(config.keyFile !== undefined ? { key: readPem("keyFile", config.keyFile) } : {}),
  };
  return {
    endpoints,
    ...(config.prefix !== undefined ? { prefix: config.prefix } : {}),
    ...(config.requestTimeoutMs !== undefined ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
    ...(Object.keys(tls).length > 0 ? { tls } : {}),
  };
}
