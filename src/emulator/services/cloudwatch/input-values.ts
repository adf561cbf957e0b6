import { errors } from './catalogue.js';

/**
 * Readers for CloudWatch request members. CloudWatch is served over three
 * protocols (awsJson 1.0 with query compatibility, awsQuery, rpc-v2-cbor):
 * numbers may arrive as numbers or, from awsQuery, as strings; timestamps as
 * Dates, epoch seconds, or ISO 8601 text. Each reader accepts every form and
 * names the member (in CloudWatch's `Name.member.N` style) when it fails.
 */

export function optionalString(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw errors.invalid(`The value for parameter ${member} must be a string.`);
  return value;
}

export function requiredString(value: unknown, member: string): string {
  const text = optionalString(value, member);
  if (text === undefined) throw errors.missing(member);
  return text;
}

export function optionalNumber(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw errors.invalid(`The value ${String(value)} for parameter ${member} is invalid.`);
  return n;
}

export function requiredNumber(value: unknown, member: string): number {
  const n = optionalNumber(value, member);
  if (n === undefined) throw errors.missing(member);
  return n;
}

export function optionalInteger(value: unknown, member: string): number | undefined {
  const n = optionalNumber(value, member);
  if (n !== undefined && !Number.isInteger(n)) throw errors.invalid(`The value ${String(value)} for parameter ${member} is not an integer.`);
  return n;
}

export function optionalBoolean(value: unknown, member: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw errors.invalid(`The value ${String(value)} for parameter ${member} is not a boolean.`);
}

/** Virtual epoch milliseconds of a timestamp member. */
export function optionalTimestamp(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  let ms = Number.NaN;
  if (value instanceof Date) ms = value.getTime();
  else if (typeof value === 'number') ms = value * 1000;
  else if (typeof value === 'string') ms = /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) throw errors.invalidFormat(`The value ${String(value)} for parameter ${member} is not a valid timestamp.`);
  return ms;
}

export function requiredTimestamp(value: unknown, member: string): number {
  const ms = optionalTimestamp(value, member);
  if (ms === undefined) throw errors.missing(member);
  return ms;
}

export function optionalList(value: unknown, member: string): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  // awsQuery sends an empty list as `Name=` (an empty string).
  if (value === '') return [];
  if (!Array.isArray(value)) throw errors.invalid(`The parameter ${member} must be a list.`);
  return value;
}

export function optionalRecord(value: unknown, member: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw errors.invalid(`The parameter ${member} must be a structure.`);
  return value as Record<string, unknown>;
}

export function requiredRecord(value: unknown, member: string): Record<string, unknown> {
  const record = optionalRecord(value, member);
  if (record === undefined) throw errors.missing(member);
  return record;
}
