/**
 * Classifier + TunnelIn for traffic from other hosts. A packet from the tunnel port has its outer
 * source (tun_src) and key (tun_id) copied into registers, because the flow model matches
 * registers, not tunnel metadata (the way OVN moves tun_id into metadata). TunnelIn maps the VNI
 * to its network's tenant; an unknown VNI drops. A frame from a provider network's patch port
 * (untagged by br-phy) gets its network's tenant directly. Both then go to RemoteSource, which
 * checks the sender and sets the source network and subnet; neither path ever sees SpoofGuard or
 * the Neighbor responder (ARP from another host drops in RemoteSource: only IP is matched).
 */
import type { Flow } from "../../../ovs/openflow/flow.js";
import type { Network, ProviderPort } from "../model.js";
import { ORIGIN, REG, TUNNEL_ID_XREG } from "../registers.js";
import { PRIORITY } from "../priorities.js";
import { PURPOSE } from "../purposes.js";
import { flow, goto, regs, setReg } from "./build.js";

export function tunnelClassifierFlow(tunnelOfport: number): Flow {
  return flow("Classifier", PRIORITY.normal, PURPOSE.tunnelClassifier, { inPort: tunnelOfport, untagged: true }, [
    { kind: "move", from: "tun_src", to: `reg${REG.tunnelSource}` },
    { kind: "move", from: "tun_id", to: TUNNEL_ID_XREG },
    goto("TunnelIn"),
  ]);
}

/** TunnelIn: this overlay network's VNI -> its tenant. */
export function tunnelNetworkFlow(network: Network, vni: number): Flow {
  return flow("TunnelIn", PRIORITY.normal, PURPOSE.tunnelNetwork, { regs: regs({ tunnelId: vni }) }, [
    setReg("tenant", network.tenantId),
    setReg("fromRemote", ORIGIN.tunnel),
    goto("RemoteSource"),
  ]);
}

export function providerClassifierFlow(provider: ProviderPort): Flow {
  return flow("Classifier", PRIORITY.normal, PURPOSE.providerClassifier, { inPort: provider.ofport, untagged: true }, [
    setReg("tenant", provider.network.tenantId),
    setReg("fromRemote", ORIGIN.provider),
    goto("RemoteSource"),
  ]);
}
