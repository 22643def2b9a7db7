/** Named priority bands. Higher wins; within a table, flows of different bands never tie. */
export const PRIORITY = {
  /** Table-miss flow of every table. */
  miss: 0,
  /** Ordinary per-port / per-subnet / per-endpoint flows. */
  normal: 100,
  /** A specific answer that must beat a generic drop in the same table (ARP/ND replies). */
  specific: 200,
  /** Generic drops inside a table whose miss passes traffic on (ARP, ND, MLD in Neighbor). */
  genericDrop: 50,
  /** Acl: conntrack state (invalid drops, established/related pass): above every rule. */
  aclState: 65000,
  /** Acl: policy rules occupy [aclRuleFloor, aclRuleTop], first rule of a tenant at the top. */
  aclRuleTop: 60000,
  aclRuleFloor: 10001,
  /** Acl: same-subnet traffic passes unless a rule denied it. */
  aclIntraSubnet: 3000,
  /** Acl: the network's default for traffic between its subnets. */
  aclNetworkDefault: 2000,
  /** L3Gateway / EgressConntrack: traffic that stays inside one network. */
  sameNetwork: 100,
  /** L3Gateway: frames addressed to the gateway MAC of the source subnet. */
  routed: 200,
  /** L3Gateway: a packet from another host was routed there already: skip L3. */
  fromRemote: 300,
} as const;

/** Rule slots per policy: a tenant's policy i owns priorities top - i*slot ... top - i*slot - (slot-1). */
export const RULES_PER_POLICY = 200;
