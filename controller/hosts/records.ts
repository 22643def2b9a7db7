/**
 * Host and endpoint records: what each host publishes for the others (docs/etcd.md "Key layout").
 *   cluster/hosts/<host>                          HostRecord: the host's tunnel endpoint
 *   cluster/endpoints/<host>/<network>/<mac>      EndpointRecord: one local container port
 * Both live under one prefix so a single watch follows the whole cluster; both are attached to
 * the host's lease, so they disappear together when the host stops renewing it.
 */
import { isIP } from "node:net";
import { CniCode, CniError } from "../../plugin/cni/errors.js";

export const CLUSTER_PREFIX = "cluster/";
export const HOSTS_PREFIX = "cluster/hosts/";
export const ENDPOINTS_PREFIX = "cluster/endpoints/";

export interface HostRecord {
  name: string;
  /** Underlay address other hosts send tunnelled traffic to. */
  tunnelIp: string;
  /** ISO time this host (re-)registered. */
  time: string;
}

export interface EndpointRecord {
  host: string;
  network: string;
  /** Lower-case "02:00:00:00:00:01". */
  mac: string;
  /** Addresses without prefix length. */
  ips: string[];
  /** The network's VNI when it is an overlay network. */
  vni?: number;
}

/** A host or endpoint record that cannot be published. */
export class HostRecordError extends CniError {
  constructor(message: string) {
    super(CniCode.InvalidConfig, message);
  }
}

const NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?$/;
const MAC = /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/;

export function hostKey(host: string): string {
  return `${HOSTS_PREFIX}${host}`;
}

export function hostEndpointsPrefix(host: string): string {
  return `${ENDPOINTS_PREFIX}${host}/`;
}

export function endpointKey(ep: { host: string; network: string; mac: string }): string {
  return `${hostEndpointsPrefix(ep.host)}${ep.network}/${ep.mac.toLowerCase()}`;
}

/** What a key under CLUSTER_PREFIX names; undefined for anything else. */
export type ClusterKey = { kind: "host"; host: string } | { kind: "endpoint"; host: string; network: string; mac: string };

export function parseClusterKey(key: string): ClusterKey | undefined {
  if (key.startsWith(HOSTS_PREFIX)) {
    const host = key.slice(HOSTS_PREFIX.length);
    return NAME.test(host) ? { kind: "host", host } : undefined;
  }
  if (key.startsWith(ENDPOINTS_PREFIX)) {
    const [host, network, mac, ...rest] = key.slice(ENDPOINTS_PREFIX.length).split("/");
    if (rest.length > 0 || !host || !network || !mac || !NAME.test(host) || !NAME.test(network) || !MAC.test(mac)) return undefined;
    return { kind: "endpoint", host, network, mac };
  }
  return undefined;
}

function problem(what: string, field: string, value: unknown, rule: string): string {
  return `${what}: ${field} ${JSON.stringify(value)} ${rule}`;
}

/** The problems of a host record (empty when valid). */
export function hostProblems(value: unknown): string[] {
  const r = value as Partial<HostRecord> | null;
  if (typeof r !== "object" || r === null) return ["host record: not an object"];
  const out: string[] = [];
  if (typeof r.name !== "string" || !NAME.test(r.name)) out.push(problem("host record", "name", r.name, "is not a host name"));
  if (typeof r.tunnelIp !== "string" || isIP(r.tunnelIp) === 0) out.push(problem("host record", "tunnelIp", r.tunnelIp, "is not an IP address"));
  if (typeof r.time !== "string" || Number.isNaN(Date.parse(r.time))) out.push(problem("host record", "time", r.time, "is not an ISO time"));
  return out;
}

/** The problems of an endpoint record (empty when valid). */
export function endpointProblems(value: unknown): string[] {
  const r = value as Partial<EndpointRecord> | null;
  if (typeof r !== "object" || r === null) return ["endpoint record: not an object"];
  const out: string[] = [];
  if (typeof r.host !== "string" || !NAME.test(r.host)) out.push(problem("endpoint record", "host", r.host, "is not a host name"));
  if (typeof r.network !== "string" || !NAME.test(r.network)) out.push(problem("endpoint record", "network", r.network, "is not a network name"));
  if (typeof r.mac !== "string" || !MAC.test(r.mac)) out.push(problem("endpoint record", "mac", r.mac, "is not a lower-case MAC address"));
  if (!Array.isArray(r.ips) || r.ips.some((ip) => typeof ip !== "string" || isIP(ip) === 0)) out.push(problem("endpoint record", "ips", r.ips, "must be a list of IP addresses"));
  if (r.vni !== undefined && (!Number.isInteger(r.vni) || r.vni < 1 || r.vni > 0xffffff)) out.push(problem("endpoint record", "vni", r.vni, "must be 1..16777215"));
  return out;
}

export function checkHostRecord(value: HostRecord): HostRecord {
  const problems = hostProblems(value);
  if (problems.length > 0) throw new HostRecordError(problems.join("; "));
  return value;
}

/** Normalises the MAC to lower case and checks the record. */
export function checkEndpointRecord(value: EndpointRecord): EndpointRecord {
  const normalised = { ...value, mac: typeof value.mac === "string" ? value.mac.toLowerCase() : value.mac };
  const problems = endpointProblems(normalised);
  if (problems.length > 0) throw new HostRecordError(problems.join("; "));
  return normalised;
}
