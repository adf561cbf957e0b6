import { AwsError } from '../errors.js';
import { escapeXml, toXml } from './query.js';
import type { Shape } from './smithy-model.js';

/**
 * awsQuery values read and written by their Smithy shapes, for a service whose
 * operations are written against awsJson values and that answers awsQuery too
 * (CloudWatch). Every input value arrives as text; it becomes what an awsJson
 * body would have held: numbers, booleans, epoch seconds for timestamps,
 * base64 text for blobs, [] for an empty list (`Name=`). Outputs are written
 * as XML with lists as <member>, maps as <entry><key/><value/></entry> and
 * timestamps in ISO 8601.
 */

/** The decoded awsQuery parameters of an operation, typed by its input shape. */
export function typeQueryInput(params: Record<string, unknown>, input: Shape): Record<string, unknown> {
  if (input.type !== 'structure') return params;
  return typed(params, input, '') as Record<string, unknown>;
}

function typed(value: unknown, shape: Shape, path: string): unknown {
  switch (shape.type) {
    case 'structure': {
      if (value === '') return {};
      const record = asRecord(value, path, 'a structure');
      return Object.fromEntries(
        Object.entries(record).map(([name, v]) => {
          const member = shape.member(name);
          // A parameter the model does not know is left for the operation to ignore or refuse.
          return [name, member ? typed(v, member, join(path, name)) : v];
        }),
      );
    }
    case 'list': {
      if (value === '') return [];
      if (Array.isArray(value)) return value.map((item, i) => typed(item, shape.member(), `${path}.member.${i + 1}`));
      // A flattened list arrives as Name.1, Name.2 with no ".member".
      const record = asRecord(value, path, 'a list (Name.member.N)');
      const indexes = Object.keys(record);
      if (!indexes.every((k) => /^[1-9]\d*$/.test(k))) fail(path, value, 'a list (Name.member.N)');
      return indexes.sort((a, b) => Number(a) - Number(b)).map((k) => typed(record[k], shape.member(), `${path}.${k}`));
    }
    case 'map': {
      if (value === '') return {};
      const record = asRecord(value, path, 'a map (Name.entry.N.key and Name.entry.N.value)');
      return Object.fromEntries(Object.entries(record).map(([key, v]) => [key, typed(v, shape.value(), `${path}.${key}`)]));
    }
    case 'number':
    case 'bigNumber': {
      const text = asText(value, path);
      const n = /^(NaN|-?Infinity)$/.test(text) ? Number(text) : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : undefined;
      return n ?? fail(path, value, 'a number');
    }
    case 'boolean': {
      const text = asText(value, path).toLowerCase();
      if (text !== 'true' && text !== 'false') fail(path, value, 'a boolean (true or false)');
      return text === 'true';
    }
    case 'timestamp': {
      const text = asText(value, path).trim();
      const ms = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text);
      if (Number.isNaN(ms)) fail(path, value, 'a timestamp (ISO 8601, e.g. 2026-01-02T03:04:05Z)');
      return ms / 1000;
    }
    default:
      return asText(value, path);
  }
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function asRecord(value: unknown, path: string, kind: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, value, kind);
  return value as Record<string, unknown>;
}

function asText(value: unknown, path: string): string {
  if (typeof value !== 'string') return fail(path, value, 'a single value');
  return value;
}

function fail(path: string, value: unknown, kind: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : Array.isArray(value) ? 'a list' : 'nested parameters';
  throw new AwsError('InvalidParameterValue', `The value ${shown} of parameter ${path} is not ${kind}.`);
}

/** A result as awsQuery XML, following its output shape; members the shape does not know are written as toXml would. */
export function shapedXml(value: unknown, shape: Shape | undefined): string {
  if (value === undefined || value === null) return '';
  if (!shape) return toXml(value);
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return toXml(value);
      return Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined && v !== null)
        .map(([name, v]) => {
          const member = shape.member(name);
          // A flattened list repeats the member's own element instead of wrapping <member>s.
          if (member?.type === 'list' && member.flattened && Array.isArray(v)) {
            return v.map((item) => `<${name}>${shapedXml(item, member.member())}</${name}>`).join('');
          }
          return `<${name}>${shapedXml(v, member)}</${name}>`;
        })
        .join('');
    }
    case 'list':
      if (!Array.isArray(value)) return toXml(value);
      return value.map((item) => `<member>${shapedXml(item, shape.member())}</member>`).join('');
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return toXml(value);
      return Object.entries(value as Record<string, unknown>)
        .map(([key, v]) => `<entry><key>${escapeXml(key)}</key><value>${shapedXml(v, shape.value())}</value></entry>`)
        .join('');
    case 'timestamp':
      // Operations hold timestamps as Dates; an awsJson-style number is epoch seconds.
      if (typeof value === 'number') return new Date(value * 1000).toISOString();
      return toXml(value);
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value).toString('base64') : toXml(value);
    default:
      return toXml(value);
  }
}
