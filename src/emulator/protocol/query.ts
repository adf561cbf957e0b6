import { AwsError } from '../errors.js';

/**
 * awsQuery: a form-encoded POST body with Action and Version, lists as
 * `Name.member.N`, maps as `Name.entry.N.key/value`, and XML responses.
 */

export interface QueryRequest {
  action: string;
  version: string | undefined;
  params: Record<string, unknown>;
}

/**
 * The parameter tree while decoding. Nodes have no prototype, so names such as
 * `__proto__.x` or `constructor.prototype.x` are plain keys and never reach
 * Object.prototype.
 */
type Node = { [key: string]: Node | string };

/** More dots than any awsQuery parameter name has; the tree is walked recursively. */
export const MAX_QUERY_NAME_PARTS = 32;

const LIST_INDEX = /^[1-9]\d*$/;

const newNode = (): Node => Object.create(null) as Node;

export function decodeQueryBody(body: string): QueryRequest {
  const form = new URLSearchParams(body);
  const action = form.get('Action');
  if (!action) throw new AwsError('MissingAction', 'the request has no Action parameter');
  const root = newNode();
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    let node = root;
    const parts = key.split('.');
    if (parts.length > MAX_QUERY_NAME_PARTS) {
      throw new AwsError('MalformedQueryString', `parameter name ${JSON.stringify(key.slice(0, 100))}... nests more than ${MAX_QUERY_NAME_PARTS} levels deep`);
    }
    parts.forEach((part, i) => {
      if (part === '') throw new AwsError('MalformedQueryString', `parameter name ${JSON.stringify(key)} is malformed`);
      if ((parts[i - 1] === 'member' || parts[i - 1] === 'entry') && !LIST_INDEX.test(part)) {
        throw new AwsError('MalformedQueryString', `parameter ${key}: the index after ${parts.slice(0, i).join('.')} must be a whole number from 1, not ${JSON.stringify(part)}`);
      }
      if (i === parts.length - 1) {
        node[part] = value;
        return;
      }
      const next = node[part];
      if (typeof next === 'string') {
        throw new AwsError('MalformedQueryString', `parameter ${key} conflicts with ${parts.slice(0, i + 1).join('.')}`);
      }
      node = next ?? (node[part] = newNode());
    });
  }
  return { action, version: form.get('Version') ?? undefined, params: collapse(root) as Record<string, unknown> };
}

/**
 * Turns `{member: {1: x, 2: y}}` into `[x, y]` and `{entry: {1: {key, value}}}` into an object.
 * Objects are built with Object.fromEntries, which defines keys (even `__proto__`) as own properties.
 */
function collapse(node: Node | string): unknown {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length === 1 && keys[0] === 'member') {
    return indexed(node.member as Node).map(collapse);
  }
  if (keys.length === 1 && keys[0] === 'entry') {
    const pairs: Array<[string, unknown]> = [];
    for (const entry of indexed(node.entry as Node)) {
      if (typeof entry === 'string') continue;
      const key = entry.key;
      if (typeof key === 'string') pairs.push([key, collapse(entry.value ?? '')]);
    }
    return Object.fromEntries(pairs);
  }
  return Object.fromEntries(keys.map((key) => [key, collapse(node[key] as Node | string)]));
}

function indexed(node: Node | string): Array<Node | string> {
  if (typeof node === 'string') return [];
  return Object.keys(node)
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => node[k] as Node | string);
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Serializes a result object: arrays as <member> lists, Dates as ISO 8601. */
export function toXml(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => `<member>${toXml(item)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** A response; `resultXml` undefined leaves out the Result element, as for operations whose output is Unit. */
export function encodeQueryResponse(action: string, namespace: string, resultXml: string | undefined, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${namespace}">` +
    (resultXml === undefined ? '' : `<${action}Result>${resultXml}</${action}Result>`) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function encodeQueryError(err: AwsError, namespace: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${namespace}"><Error>` +
    `<Type>${err.fault}</Type><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message>` +
    `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
