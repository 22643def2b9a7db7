/**
 * Flow purposes: the 8-bit field of each flow's cookie (ovs/openflow/cookie.ts) naming the builder
 * that made it. `ovs-ofctl dump-flows BR cookie=0x5d0e020000000000/0xffffff0000000000` lists all
 * classifier port flows, for instance. Values are part of the on-bridge format: append, never reuse.
 */
export const PURPOSE = {
  tableMiss: 1,
  classifierPort: 2,
  spoofIpv4: 3,
  spoofIpv6: 4,
  spoofArp: 5,
  arpReply: 6,
  ndReply: 7,
  neighborDrop: 8,
  ndComplete: 9,
  destinationSubnet: 10,
  conntrack: 11,
  aclState: 12,
  aclRule: 13,
  aclIntraSubnet: 14,
  aclNetworkDefault: 15,
  aclCommit: 16,
  l3Gateway: 17,
  l3SameNetwork: 18,
  l3Route: 19,
  egressSameNetwork: 20,
  egressConntrack: 21,
  egressState: 22,
  l2Endpoint: 23,
  output: 24,
  tunnelClassifier: 25,
  tunnelNetwork: 26,
  providerClassifier: 27,
  remoteSource: 28,
  l3FromRemote: 29,
  l2Remote: 30,
} as const;
