/**
 * The controller's local API (HTTP + JSON on a unix socket, versioned paths). Types only: the
 * plugin imports this file and client.ts, nothing heavier.
 */
export const DEFAULT_API_SOCKET = "/var/run/ovs-sdn/controller.sock";

export const ApiPath = {
  status: "/v1/status",
  attachments: "/v1/attachments",
  attachment: (containerId: string, ifname: string) => `/v1/attachments/${encodeURIComponent(containerId)}/${encodeURIComponent(ifname)}`,
  attachmentFlows: (containerId: string, ifname: string) => `${ApiPath.attachment(containerId, ifname)}/flows`,
  applyDefinitions: "/v1/definitions",
  definitions: (kind: string) => `/v1/definitions/${encodeURIComponent(kind)}`,
  definition: (kind: string, name: string) => `/v1/definitions/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`,
  leases: "/v1/leases",
  ports: "/v1/ports",
  gc: "/v1/gc",
} as const;

/** POST /v1/attachments: allocate (or return the existing) attachment of one container interface. */
export interface AttachRequest {
  containerId: string;
  ifname: string;
  netns: string;
  network: string;
  podNamespace?: string;
  podName?: string;
  /** Subnets to take addresses from (default: the network's only IPv4 and only IPv6 subnet). */
  subnets?: string[];
  /** Fixed addresses asked for by CNI_ARGS IP= or runtimeConfig.ips (with or without prefix length). */
  requestedIps?: string[];
  requestedMac?: string;
}

export interface AttachmentIp {
  /** CIDR notation: address/prefix-length of its subnet. */
  address: string;
  gateway?: string;
  subnet: string;
}

export interface AttachmentRoute {
  dst: string;
  gw?: string;
}

export interface AttachmentDns {
  nameservers?: string[];
  domain?: string;
  search?: string[];
  options?: string[];
}

export interface Attachment {
  containerId: string;
  ifname: string;
  network: string;
  tenant: string;
  vlan: number;
  mtu: number;
  mac: string;
  ips: AttachmentIp[];
  routes: AttachmentRoute[];
  dns: AttachmentDns;
}

/** GET /v1/attachments/{cid}/{ifname}/flows?waitMs=N: resolves once the port's flows are installed. */
export interface FlowsInstalled {
  installed: boolean;
  ofport?: number;
  portName?: string;
}

export interface ControllerStatus {
  ready: boolean;
  reason?: string;
  bridge: string;
  ovsdb: "connected" | "disconnected";
  flowsInSync: boolean;
  ports: number;
  flows: number;
  lastReconcile?: string;
}

/** Every non-2xx response carries a CNI-style error body. */
export interface ApiErrorBody {
  code: number;
  msg: string;
  details?: string;
}
