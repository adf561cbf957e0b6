import { AwsError } from '../errors.js';
import { CborError, CborSimple, CborTag, decodeCbor, encodeCbor } from './cbor.js';

/**
 * Smithy RPC v2 CBOR: POST {prefix?}/service/<ServiceName>/operation/<Operation>
 * with `smithy-protocol: rpc-v2-cbor` and a CBOR body (none for an empty
 * input). Responses carry the same header and a CBOR body; errors are a map
 * with `__type` (the error's absolute shape id) and `message`.
 *
 * Inputs are handed to operations in the awsJson value model they are written
 * against: timestamps as epoch seconds, blobs as base64 text, and members that
 * are null (or CBOR undefined) left out, as Smithy treats them as absent.
 */

export const SMITHY_PROTOCOL_HEADER = 'smithy-protocol';
export const RPC_V2_CBOR = 'rpc-v2-cbor';
export const CBOR_CONTENT_TYPE = 'application/cbor';

/** The service and operation a request path names, or undefined if it has no rpc-v2 form. */
export function parseRpcV2Path(path: string): { service: string; operation: string } | undefined {
  // Only the last four segments route; anything before them is a prefix.
  const segments = path.split('/').filter((s) => s.length > 0);
  const [service, serviceName, operation, operationName] = segments.slice(-4);
  if (service !== 'service' || operation !== 'operation' || !serviceName || !operationName) return undefined;
  try {
    const name = decodeURIComponent(serviceName);
    // The service may be named by its absolute shape id with "#" as ".": com.amazonaws.cloudwatch.GraniteServiceVersion20100801.
    return { service: name.slice(name.lastIndexOf('.') + 1), operation: decodeURIComponent(operationName) };
  } catch {
    return undefined;
  }
}

/** The operation input a request body holds. */
export function decodeRpcV2Body(body: Uint8Array): Record<string, unknown> {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = decodeCbor(body);
  } catch (err) {
    if (err instanceof CborError) throw new AwsError('SerializationException', `the request body is not valid CBOR: ${err.message}`);
    throw err;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date || value instanceof CborTag) {
    throw new AwsError('SerializationException', 'the request body must be a CBOR map (the operation input structure)');
  }
  return toJsonModel(value, 'input') as Record<string, unknown>;
}

function toJsonModel(value: unknown, path: string): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') {
    throw new AwsError('SerializationException', `${path}: integers beyond 2^53 (bigInteger, bigDecimal) are not emulated`);
  }
  if (value instanceof CborTag) {
    throw new AwsError('SerializationException', `${path}: CBOR tag ${String(value.tag)} is not part of the rpc-v2-cbor protocol`);
  }
  if (value instanceof CborSimple) {
    throw new AwsError('SerializationException', `${path}: CBOR simple value ${value.value} is not part of the rpc-v2-cbor protocol`);
  }
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map((item, i) => toJsonModel(item, `${path}[${i}]`));
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, toJsonModel(v, `${path}.${k}`)]),
    );
  }
  return value;
}

/** An operation's output as a CBOR body; null members are left out, as the protocol requires. */
export function encodeRpcV2Output(output: unknown): Uint8Array {
  return encodeCbor(withoutNulls(output ?? {}));
}

function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : withoutNulls(item)));
  if (typeof value !== 'object' || value === null || value instanceof Date || value instanceof Uint8Array) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/** An error body: `shapeId` is the error's absolute shape id, e.g. com.amazonaws.cloudwatch#ResourceNotFound. */
export function encodeRpcV2Error(err: AwsError, shapeId: string): Uint8Array {
  return encodeCbor({ __type: shapeId, message: err.message });
}
