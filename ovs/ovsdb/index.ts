/**
 * Public API of the OVSDB (RFC 7047) client. Layers, bottom up:
 *   transport (unix/tcp/ssl streams) -> framing (JSON value splitter) -> jsonrpc (requests, timeouts)
 *   -> session (reconnect, keepalive) -> client (OVSDB methods, monitors, locks)
 *   values / ops / schema / rows / replica: the data model; vswitch-*: Open_vSwitch helpers.
 */
export { OvsdbClient, type ClientOptions, type ClientEvents, type MonitorOptions, type TransactOptions } from "./client.js";
export {
  OvsApplyError,
  OvsdbConflictError,
  OvsdbOperationError,
  OvsdbProtocolError,
  OvsdbRpcError,
  OvsdbTimeoutError,
  OvsdbTransportError,
  type OperationFailure,
} from "./errors.js";
export { JsonValueSplitter } from "./framing.js";
export { JsonRpcConnection, type JsonRpcHandlers, type JsonRpcOptions } from "./jsonrpc.js";
export { Monitor, type ChangeListener, type MonitorMethod, type MonitorRequests, type MonitorTableRequest } from "./monitor.js";
export {
  affectedCount,
  condition,
  insertedUuid,
  mutation,
  op,
  selectedRows,
  where,
  type Condition,
  type ConditionFunction,
  type Mutation,
  type Mutator,
  type Operation,
  type OperationResult,
  type WaitSpec,
} from "./ops.js";
export { Replica, type ChangeKind, type RowChange } from "./replica.js";
export {
  BridgeTable,
  decodeSelected,
  InterfaceTable,
  OpenVSwitchTable,
  PortTable,
  VSWITCH_DB,
  type BridgeRow,
  type InterfaceRow,
  type OpenVSwitchRow,
  type PortRow,
  type TableSpec,
} from "./rows.js";
export { schemaKinds, type ColumnKind, type DatabaseSchema, type SchemaKinds } from "./schema.js";
export type { ReconnectOptions } from "./session.js";
export { formatRemote, parseRemote, readTlsFiles, type Remote, type TlsCredentials } from "./transport.js";
export {
  asMap,
  asNumber,
  asOptional,
  asSet,
  asString,
  asStringMap,
  asUuids,
  decodeValue,
  encodeValue,
  namedUuid,
  NamedUuid,
  uuid,
  Uuid,
  type Atom,
  type Row,
  type Value,
  type ValueInput,
} from "./values.js";
export { ensureBridge, type BridgeSpec, type EnsureBridgeResult } from "./vswitch-bridge.js";
export { nextCfgOps, readNextCfg, type PortInfo } from "./vswitch-common.js";
export { accessPortOps, addAccessPort, deletePort, type AccessPortSpec, type AddedPort, type DeletePortSpec } from "./vswitch-ports.js";
export { findPorts, getPort, type FindPortsQuery } from "./vswitch-query.js";
export { addAccessPortAndWait, appliedState, deletePortAndWait, waitApplied, type AddedAndApplied, type Applied, type WaitAppliedSpec } from "./vswitch-wait.js";
