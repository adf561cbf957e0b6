import { fields, type FieldReader } from '../../input-validation.js';
import type { RequestContext } from '../../request-context.js';
import { groupNameOf } from './arns.js';
import { errors } from './catalogue.js';
import type { StoredLogGroup, StoredLogStream } from './model.js';
import type { LogsStore } from './store.js';

/** The constraints of CloudWatch Logs' Smithy model that the service checks, with its validation wording. */
export const GROUP_NAME_PATTERN = '[\\.\\-_/#A-Za-z0-9]+';
export const STREAM_NAME_PATTERN = '[^:*]*';
const NAME_MAX = 512;

/** Field checks with Logs' validation error code. */
export const logsFields = (input: unknown): FieldReader => fields(input, 'InvalidParameterException');

export function checkGroupName(name: string, member = 'logGroupName'): string {
  if (name.length > NAME_MAX) throw errors.constraint(name, member, `Member must have length less than or equal to ${NAME_MAX}`);
  if (!/^[.\-_/#A-Za-z0-9]+$/.test(name)) throw errors.constraint(name, member, `Member must satisfy regular expression pattern: ${GROUP_NAME_PATTERN}`);
  return name;
}

export function checkStreamName(name: string, member = 'logStreamName'): string {
  if (name.length > NAME_MAX) throw errors.constraint(name, member, `Member must have length less than or equal to ${NAME_MAX}`);
  if (/[:*]/.test(name)) throw errors.constraint(name, member, `Member must satisfy regular expression pattern: ${STREAM_NAME_PATTERN}`);
  return name;
}

/** An integer `limit` in [1, max], or `fallback` when absent. */
export function limitOf(f: FieldReader, max: number, fallback: number): number {
  const value = f.optionalNumber('limit');
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw errors.constraint(value, 'limit', 'Member must have value greater than or equal to 1');
  if (value > max) throw errors.constraint(value, 'limit', `Member must have value less than or equal to ${max}`);
  return value;
}

export function enumOf<T extends string>(f: FieldReader, member: string, values: readonly T[]): T | undefined {
  const value = f.optionalString(member);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw errors.constraint(value, member, `Member must satisfy enum value set: [${values.join(', ')}]`);
  return value as T;
}

/** A timestamp member (epoch milliseconds, >= 0). */
export function timestampOf(f: FieldReader, member: string): number | undefined {
  const value = f.optionalNumber(member);
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) throw errors.constraint(value, member, 'Member must have value greater than or equal to 0');
  return value;
}

/** The group an operation names: required logGroupName, as the older operations take it. */
export function namedGroup(store: LogsStore, ctx: RequestContext, f: FieldReader): StoredLogGroup {
  const group = store.groups(ctx).get(checkGroupName(f.string('logGroupName')));
  if (!group) throw errors.groupNotFound();
  return group;
}

/** The group of an operation that takes logGroupName or logGroupIdentifier (a name or ARN), exactly one. */
export function identifiedGroup(store: LogsStore, ctx: RequestContext, f: FieldReader): StoredLogGroup {
  const name = f.optionalString('logGroupName');
  const identifier = f.optionalString('logGroupIdentifier');
  if ((name === undefined) === (identifier === undefined)) throw errors.groupArgs();
  const groupName = name !== undefined ? checkGroupName(name) : groupNameOf(identifier ?? '', ctx);
  const group = groupName === undefined ? undefined : store.groups(ctx).get(groupName);
  if (!group) throw errors.groupNotFound();
  return group;
}

export function namedStream(group: StoredLogGroup, f: FieldReader): StoredLogStream {
  const stream = group.streams.get(checkStreamName(f.string('logStreamName')));
  if (!stream) throw errors.streamNotFound();
  return stream;
}

/** Opaque paging tokens for the Describe operations: the sort key of the last item returned. */
export function encodeAfter(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeAfter(token: string | undefined): unknown[] | undefined {
  if (token === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Array.isArray(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw errors.invalidToken();
}
