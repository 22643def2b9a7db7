/**
 * The JSON shapes of etcd v3's gRPC gateway (etcd 3.4+: POST /v3/kv/range, /v3/kv/txn, ...).
 * Field names are the proto names; int64 fields are decimal strings; bytes are base64; fields with
 * their default value (0, false, empty) are omitted.
 */

export interface ResponseHeader {
  revision?: string;
}

export interface KeyValue {
  key?: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
  lease?: string;
}

export interface RangeRequest {
  key: string;
  range_end?: string;
  limit?: string;
  count_only?: boolean;
}

export interface RangeResponse {
  header?: ResponseHeader;
  kvs?: KeyValue[];
  count?: string;
}

export interface PutRequest {
  key: string;
  value: string;
  lease?: string;
}

export interface DeleteRangeRequest {
  key: string;
  range_end?: string;
}

export interface DeleteRangeResponse {
  header?: ResponseHeader;
  deleted?: string;
}

export interface Compare {
  target: "CREATE" | "MOD";
  key: string;
  result: "EQUAL";
  create_revision?: string;
  mod_revision?: string;
}

export interface RequestOp {
  request_range?: RangeRequest;
  request_put?: PutRequest;
  request_delete_range?: DeleteRangeRequest;
}

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface TxnResponse {
  header?: ResponseHeader;
  succeeded?: boolean;
  responses?: { response_range?: RangeResponse }[];
}

export interface WatchResult {
  header?: ResponseHeader;
  created?: boolean;
  canceled?: boolean;
  compact_revision?: string;
  cancel_reason?: string;
  events?: { type?: "PUT" | "DELETE"; kv?: KeyValue }[];
}

/** One line of the watch stream: a result, or the gateway's stream error. */
export interface WatchMessage {
  result?: WatchResult;
  error?: { grpc_code?: number; message?: string };
}

export interface LeaseGrantResponse {
  header?: ResponseHeader;
  ID?: string;
  TTL?: string;
  error?: string;
}

/** /v3/lease/keepalive is a stream on the gateway: one request, one result line. */
export interface LeaseKeepAliveMessage {
  result?: { header?: ResponseHeader; ID?: string; TTL?: string };
  error?: { grpc_code?: number; message?: string };
}
