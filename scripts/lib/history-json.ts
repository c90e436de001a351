/**
 * Workflow histories to and from JSON (the proto3 JSON form that `temporal workflow show --output
 * json` writes), for scripts/export-histories.ts and test/replay/replay.test.ts.
 *
 * Why not the SDK's historyToJSON / historyFromJSON (@temporalio/common/lib/proto-utils): in this
 * install npm keeps three separate copies of protobufjs 8 (under @temporalio/common, /proto and
 * /worker, because the top level holds protobufjs 7 for @grpc/proto-loader). proto-utils takes the
 * JSON codec from its own copy and the message types from @temporalio/proto's, and the codec's
 * `instanceof Type` check fails: "type must be a Type". Here the codec is loaded from the copy that
 * @temporalio/proto itself resolves, whatever the layout of node_modules.
 */
import { createRequire } from 'node:module';
import type * as Proto from '@temporalio/proto';

type History = Proto.temporal.api.history.v1.IHistory;

interface ProtoJson {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
}

const requireHere = createRequire(import.meta.url);
// The CommonJS exports object (an ESM namespace object has no constructor, which patchProtobufRoot reads).
const proto = requireHere('@temporalio/proto') as typeof Proto;
const { patchProtobufRoot } = requireHere('@temporalio/proto/lib/patch-protobuf-root') as {
  patchProtobufRoot<T extends Record<string, unknown>>(root: T): T;
};
const requireFromProto = createRequire(requireHere.resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as ProtoJson;
const root = patchProtobufRoot(proto as unknown as Record<string, unknown>) as unknown as { lookupType(name: string): unknown };
const historyType = root.lookupType('temporal.api.history.v1.History');

/** The history as pretty-printed proto3 JSON. */
export function historyToJson(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(protojson.toJson(historyType, message), null, 2);
}

/** A History message from proto3 JSON (unknown fields, e.g. from a newer server, are ignored). */
export function historyFromJson(json: unknown): History {
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}
