/**
 * The pipeline's tables, in packet order. Numbers leave gaps so a table can be inserted later
 * without renumbering (renumbering would change every flow's cookie). `miss` is what a packet that
 * matches no other flow of the table meets: every table states it explicitly, so nothing depends
 * on OVS's table-miss default and the pipeline fails closed.
 */
export const TABLES = [
  { id: 0, name: "Classifier", miss: "drop", doc: "in_port (untagged frames only) -> network, tenant registers; the tunnel and provider ports go to TunnelIn / RemoteSource; unknown ports and 802.1Q-tagged frames drop" },
  { id: 5, name: "TunnelIn", miss: "drop", doc: "packets from the tunnel: VNI -> tenant of its network; unknown VNI drop" },
  { id: 6, name: "RemoteSource", miss: "drop", doc: "packets from another host: the source IP must be an endpoint of the sending host (tunnel) or of the tenant (provider VLAN); sets the source network and subnet" },
  { id: 10, name: "SpoofGuard", miss: "drop", doc: "source MAC + source IPv4/IPv6 (and ARP sha/spa) must be the port's own; sets the source subnet" },
  { id: 20, name: "Neighbor", miss: { goto: "Destination" }, doc: "answers ARP requests and IPv6 neighbor solicitations for gateways and known endpoints; other ARP/ND/MLD drop" },
  { id: 21, name: "NdReply", miss: "drop", doc: "completes a neighbor advertisement (target link-layer address) and sends it back" },
  { id: 30, name: "Destination", miss: "drop", doc: "destination IP -> destination subnet and network, within the source's tenant only" },
  { id: 40, name: "Conntrack", miss: "drop", doc: "conntrack in the source network's zone" },
  { id: 50, name: "Acl", miss: "drop", doc: "established/related pass, invalid drop; new connections: policy rules, then subnet and network defaults" },
  { id: 51, name: "AclCommit", miss: "drop", doc: "commits an allowed new connection in the source network's zone" },
  { id: 60, name: "L3Gateway", miss: "drop", doc: "frames to the source subnet's gateway MAC are routed; others stay inside their network; packets from another host skip L3" },
  { id: 61, name: "L3Route", miss: "drop", doc: "distributed gateway: destination MAC = endpoint, source MAC = its gateway, dec_ttl" },
  { id: 70, name: "EgressConntrack", miss: "drop", doc: "traffic routed into another network is tracked in that network's zone too" },
  { id: 71, name: "EgressState", miss: "drop", doc: "commits new routed connections in the destination zone; established/related pass" },
  { id: 80, name: "L2Forward", miss: "drop", doc: "(network, destination MAC, destination IP) -> output port: a local port, or the tunnel (VNI, remote host) / provider port for a remote endpoint" },
  { id: 90, name: "Output", miss: "drop", doc: "outputs to the port chosen by L2Forward" },
] as const satisfies readonly { id: number; name: string; miss: "drop" | { goto: string }; doc: string }[];

export type TableSpec = (typeof TABLES)[number];
export type TableName = TableSpec["name"];

const ids = new Map<string, number>(TABLES.map((t) => [t.name, t.id]));

export function tableId(name: TableName): number {
  return ids.get(name) as number;
}
