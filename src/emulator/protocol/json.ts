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

/**
 * Deeper than any AWS input shape nests. JSON.parse takes any depth, but the
 * recursive code after it (validation messages, snapshots, responses) would
 * overflow the stack on a body nested thousands of levels deep.
 */
export const MAX_JSON_DEPTH = 64;

export function decodeJsonBody(body: string): unknown {
  if (body.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    throw new AwsError('SerializationException', `the request body is not valid JSON: ${(err as Error).message}`);
  }
  if (nestingDepth(body) > MAX_JSON_DEPTH) {
    throw new AwsError('SerializationException', `the request body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`);
  }
  return value;
}

/** The deepest nesting of objects and arrays in valid JSON text, found without recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, (depth += 1));
    else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
  return deepest;
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
