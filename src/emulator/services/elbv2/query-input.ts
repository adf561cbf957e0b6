import { validation } from './elb-errors.js';

/**
 * Reads awsQuery parameters: every leaf arrives as a string and lists as
 * arrays, so numbers and booleans are parsed here. Errors use the AWS
 * validation framework's wording, with the member path in lowerCamelCase as
 * ELBv2 reports it ("targets.1.member.port").
 */

export interface QueryReader {
  /** The path of this object in the request, for error messages. */
  readonly path: string;
  has(name: string): boolean;
  requiredString(name: string): string;
  string(name: string): string | undefined;
  int(name: string, range?: { min?: number; max?: number }): number | undefined;
  requiredInt(name: string, range?: { min?: number; max?: number }): number;
  bool(name: string): boolean | undefined;
  stringList(name: string): string[] | undefined;
  objectList(name: string): QueryReader[] | undefined;
  object(name: string): QueryReader | undefined;
}

const camel = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

function fail(path: string, value: unknown, constraint: string): never {
  const shown = value === undefined || value === null ? 'null' : `'${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  throw validation(`1 validation error detected: Value ${shown} at '${path}' failed to satisfy constraint: ${constraint}`);
}

export function queryReader(input: unknown, path = ''): QueryReader {
  const record = (typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {}) as Record<string, unknown>;
  const at = (name: string): string => (path ? `${path}.${camel(name)}` : camel(name));
  const asList = (name: string): unknown[] | undefined => {
    const value = record[name];
    if (value === undefined || value === '') return value === '' ? [] : undefined;
    // `Name.member.1` decodes to an array; a bare object means indexes were malformed.
    if (!Array.isArray(value)) fail(at(name), value, 'Member must be a list');
    return value;
  };

  const reader: QueryReader = {
    path,
    has: (name) => record[name] !== undefined,
    string(name) {
      const value = record[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'string') return fail(at(name), value, 'Member must be a string');
      return value;
    },
    requiredString(name) {
      const value = reader.string(name);
      if (value === undefined) return fail(at(name), undefined, 'Member must not be null');
      return value;
    },
    int(name, range = {}) {
      const value = reader.string(name);
      if (value === undefined) return undefined;
      if (!/^-?\d+$/.test(value.trim())) return fail(at(name), value, 'Member must be an integer');
      const n = Number(value);
      if (range.min !== undefined && n < range.min) {
        return fail(at(name), value, `Member must have value greater than or equal to ${range.min}`);
      }
      if (range.max !== undefined && n > range.max) {
        return fail(at(name), value, `Member must have value less than or equal to ${range.max}`);
      }
      return n;
    },
    requiredInt(name, range) {
      const n = reader.int(name, range);
      if (n === undefined) return fail(at(name), undefined, 'Member must not be null');
      return n;
    },
    bool(name) {
      const value = reader.string(name);
      if (value === undefined) return undefined;
      if (value !== 'true' && value !== 'false') return fail(at(name), value, 'Member must be a boolean');
      return value === 'true';
    },
    stringList(name) {
      const list = asList(name);
      if (!list) return undefined;
      return list.map((item, i) => (typeof item === 'string' ? item : fail(`${at(name)}.${i + 1}.member`, item, 'Member must be a string')));
    },
    objectList(name) {
      const list = asList(name);
      return list?.map((item, i) => queryReader(item, `${at(name)}.${i + 1}.member`));
    },
    object(name) {
      const value = record[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(at(name), value, 'Member must be a structure');
      return queryReader(value, at(name));
    },
  };
  return reader;
}

/** Pages a list with ELBv2's Marker/PageSize (the marker is the next index). */
export function page<T>(items: T[], q: QueryReader): { items: T[]; nextMarker: string | undefined } {
  const size = q.int('PageSize', { min: 1, max: 400 }) ?? 400;
  const marker = q.string('Marker');
  const start = marker === undefined ? 0 : Number(marker);
  if (!Number.isInteger(start) || start < 0 || start > items.length) throw validation(`Invalid marker '${marker}'`);
  const end = start + size;
  return { items: items.slice(start, end), nextMarker: end < items.length ? String(end) : undefined };
}
