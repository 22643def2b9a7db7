/**
 * Cross-host plumbing through OVSDB (docs/overlay.md): br-phy with the uplink and the underlay
 * address, the flow-based tunnel port on br-int, and one patch pair per provider VLAN.
 */
export { isOurs, PlumbingKey, plumbingIds, type PlumbingRole } from "./identity.js";
export { DEFAULT_TUNNEL_PORT, ensureTunnelPort, tunnelOptions, type TunnelPort, type TunnelPortSpec, type TunnelType } from "./tunnel-port.js";
export { providerPortNames, syncProviderPorts, type ProviderPortOfport, type ProviderPortsSpec } from "./provider-ports.js";
export {
  announceUnderlayAddress,
  assignUnderlayAddress,
  ensureUnderlayBridge,
  silenceUplink,
  underlayMtu,
  type UnderlayAddressSpec,
  type UnderlayBridgeSpec,
} from "./underlay.js";
