import { AwsError } from '../errors.js';

/**
 * awsJson 1.0 / 1.1: POST / with X-Amz-Target "<prefix>.<Operation>" and a
 * JSON body. Timestamps travel as epoch seconds.
 */
export function parseJsonTarget(target: string): { prefix: string; operation: string } | undefined {
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || dot === target.length - 1) return undefined;
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

export function decodeJsonBody(body: string): unknown {
  if (body.trim() === '') return {};
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new AwsError('SerializationException', `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

export function encodeJsonBody(value: unknown): string {
  // JSON.stringify applies Date#toJSON before a replacer sees the value, so
  // the replacer reads the original from its holder.
  return JSON.stringify(value ?? {}, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : v;
  });
}

export function jsonContentType(protocol: 'awsJson1_0' | 'awsJson1_1'): string {
  return protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
}

export function encodeJsonError(err: AwsError): string {
  return JSON.stringify({ __type: err.code, message: err.message });
}
