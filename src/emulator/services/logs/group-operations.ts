import type {
  CreateLogGroupRequest, CreateLogStreamRequest, DeleteLogGroupRequest, DeleteLogStreamRequest, DeleteRetentionPolicyRequest,
  DescribeLogGroupsRequest, DescribeLogGroupsResponse, DescribeLogStreamsRequest, DescribeLogStreamsResponse, LogGroup,
  LogGroupClass, LogStream, PutRetentionPolicyRequest,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../clock.js';
import type { RequestContext } from '../../request-context.js';
import type { Operation } from '../../service.js';
import { groupNameOf, logGroupArn, logStreamArn } from './arns.js';
import { errors } from './catalogue.js';
import { newStream, storedBytes } from './events.js';
import {
  checkGroupName, checkStreamName, decodeAfter, encodeAfter, enumOf, identifiedGroup, limitOf, logsFields, namedGroup, namedStream,
} from './inputs.js';
import { newGroup } from './log-plane.js';
import type { StoredLogGroup, StoredLogStream } from './model.js';
import type { LogsStore } from './store.js';

type Empty = Record<string, never>;

export type GroupOperations = {
  CreateLogGroup: Operation<CreateLogGroupRequest, Empty>;
  DeleteLogGroup: Operation<DeleteLogGroupRequest, Empty>;
  DescribeLogGroups: Operation<DescribeLogGroupsRequest, DescribeLogGroupsResponse>;
  PutRetentionPolicy: Operation<PutRetentionPolicyRequest, Empty>;
  DeleteRetentionPolicy: Operation<DeleteRetentionPolicyRequest, Empty>;
  CreateLogStream: Operation<CreateLogStreamRequest, Empty>;
  DeleteLogStream: Operation<DeleteLogStreamRequest, Empty>;
  DescribeLogStreams: Operation<DescribeLogStreamsRequest, DescribeLogStreamsResponse>;
};

/** PutRetentionPolicy's allowed values (Days). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
const GROUP_CLASSES: readonly LogGroupClass[] = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];
const DESCRIBE_MAX = 50;

/** Plain code-unit order: AWS sorts names "ASCII-sorted", not by locale. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function stringMap(value: unknown, member: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw errors.constraint(JSON.stringify(value), member, 'Member must be a map of strings');
  }
  return value as Record<string, string>;
}

export function groupOperations(store: LogsStore, clock: Clock): GroupOperations {
  const now = (): number => Math.floor(clock.now());

  const groupView = (ctx: RequestContext, g: StoredLogGroup): LogGroup => ({
    logGroupName: g.logGroupName,
    creationTime: g.creationTime,
    ...(g.retentionInDays !== undefined ? { retentionInDays: g.retentionInDays } : {}),
    metricFilterCount: 0,
    arn: `${logGroupArn(ctx, g.logGroupName)}:*`,
    storedBytes: storedBytes(g, now()),
    ...(g.kmsKeyId !== undefined ? { kmsKeyId: g.kmsKeyId } : {}),
    logGroupClass: g.logGroupClass,
    logGroupArn: logGroupArn(ctx, g.logGroupName),
  });

  const streamView = (ctx: RequestContext, g: StoredLogGroup, s: StoredLogStream): LogStream => {
    const first = s.events[0];
    const last = s.events.at(-1);
    return {
      logStreamName: s.logStreamName,
      creationTime: s.creationTime,
      ...(first && last && s.lastIngestionTime !== undefined
        ? {
            firstEventTimestamp: first.timestamp,
            lastEventTimestamp: last.timestamp,
            lastIngestionTime: s.lastIngestionTime,
            uploadSequenceToken: String(s.uploads).padStart(56, '0'),
          }
        : {}),
      arn: logStreamArn(ctx, g.logGroupName, s.logStreamName),
      // AWS has reported 0 for streams since 2019; only groups count bytes.
      storedBytes: 0,
    };
  };

  return {
    CreateLogGroup(input, ctx) {
      const f = logsFields(input);
      const name = checkGroupName(f.string('logGroupName'));
      if (name.startsWith('aws/')) throw errors.invalid("Log group names can't start with the string aws/");
      const logGroupClass = enumOf(f, 'logGroupClass', GROUP_CLASSES);
      const kmsKeyId = f.optionalString('kmsKeyId');
      const tags = stringMap(input.tags, 'tags');
      if (f.optionalBoolean('deletionProtectionEnabled') === true) throw errors.unsupported('deletionProtectionEnabled');
      const groups = store.groups(ctx);
      if (groups.has(name)) throw errors.groupExists();
      groups.set(name, newGroup(name, now(), { kmsKeyId, logGroupClass, tags }));
      return {};
    },

    DeleteLogGroup(input, ctx) {
      const group = namedGroup(store, ctx, logsFields(input));
      store.groups(ctx).delete(group.logGroupName);
      return {};
    },

    DescribeLogGroups(input, ctx) {
      const f = logsFields(input);
      const limit = limitOf(f, DESCRIBE_MAX, DESCRIBE_MAX);
      const prefix = f.optionalString('logGroupNamePrefix');
      const pattern = f.optionalString('logGroupNamePattern');
      if (prefix !== undefined && pattern !== undefined) {
        throw errors.invalid('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive. Only one of these parameters can be passed.');
      }
      if (f.optionalBoolean('includeLinkedAccounts') === true || f.optionalStringList('accountIdentifiers') !== undefined) {
        throw errors.unsupported('Cross-account observability (includeLinkedAccounts, accountIdentifiers)');
      }
      const identifiers = f.optionalStringList('logGroupIdentifiers');
      const names = identifiers && new Set(identifiers.map((id) => groupNameOf(id, ctx)));
      const logGroupClass = enumOf(f, 'logGroupClass', GROUP_CLASSES);
      const after = decodeAfter(f.optionalString('nextToken'))?.[0];
      if (after !== undefined && typeof after !== 'string') throw errors.invalidToken();
      const matching = [...store.groups(ctx).values()]
        .filter((g) => prefix === undefined || g.logGroupName.startsWith(prefix))
        .filter((g) => pattern === undefined || g.logGroupName.includes(pattern))
        .filter((g) => names === undefined || names.has(g.logGroupName))
        .filter((g) => logGroupClass === undefined || g.logGroupClass === logGroupClass)
        .sort((a, b) => byCodeUnits(a.logGroupName, b.logGroupName))
        .filter((g) => after === undefined || g.logGroupName > after);
      const pageItems = matching.slice(0, limit);
      const last = pageItems.at(-1);
      const views = pageItems.map((g) => {
        const view = groupView(ctx, g);
        // With a pattern, AWS returns only these three fields.
        return pattern === undefined ? view : { logGroupName: view.logGroupName, creationTime: view.creationTime, arn: view.arn };
      });
      return { logGroups: views, ...(matching.length > limit && last ? { nextToken: encodeAfter([last.logGroupName]) } : {}) };
    },

    PutRetentionPolicy(input, ctx) {
      const f = logsFields(input);
      const days = f.optionalNumber('retentionInDays');
      if (days === undefined) throw errors.constraint(undefined, 'retentionInDays', 'Member must not be null');
      if (!(RETENTION_DAYS as readonly number[]).includes(days)) {
        throw errors.constraint(days, 'retentionInDays', `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
      }
      namedGroup(store, ctx, f).retentionInDays = days;
      return {};
    },

    DeleteRetentionPolicy(input, ctx) {
      namedGroup(store, ctx, logsFields(input)).retentionInDays = undefined;
      return {};
    },

    CreateLogStream(input, ctx) {
      const f = logsFields(input);
      const group = namedGroup(store, ctx, f);
      const name = checkStreamName(f.string('logStreamName'));
      if (group.streams.has(name)) throw errors.streamExists();
      group.streams.set(name, newStream(name, now()));
      return {};
    },

    DeleteLogStream(input, ctx) {
      const f = logsFields(input);
      const group = namedGroup(store, ctx, f);
      group.streams.delete(namedStream(group, f).logStreamName);
      return {};
    },

    DescribeLogStreams(input, ctx) {
      const f = logsFields(input);
      const group = identifiedGroup(store, ctx, f);
      const limit = limitOf(f, DESCRIBE_MAX, DESCRIBE_MAX);
      const prefix = f.optionalString('logStreamNamePrefix');
      const orderBy = enumOf(f, 'orderBy', ['LogStreamName', 'LastEventTime'] as const) ?? 'LogStreamName';
      if (orderBy === 'LastEventTime' && prefix !== undefined) throw errors.invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
      const descending = f.optionalBoolean('descending') ?? false;
      // A stream with no events sorts as if its last event were at 0.
      const keyOf = (s: StoredLogStream): [number, string] => [orderBy === 'LastEventTime' ? (s.events.at(-1)?.timestamp ?? 0) : 0, s.logStreamName];
      const compare = (a: [number, string], b: [number, string]): number => {
        const order = a[0] - b[0] || byCodeUnits(a[1], b[1]);
        return descending ? -order : order;
      };
      const after = decodeAfter(f.optionalString('nextToken'));
      if (after !== undefined && (typeof after[0] !== 'number' || typeof after[1] !== 'string')) throw errors.invalidToken();
      const matching = [...group.streams.values()]
        .filter((s) => prefix === undefined || s.logStreamName.startsWith(prefix))
        .sort((a, b) => compare(keyOf(a), keyOf(b)))
        .filter((s) => after === undefined || compare(keyOf(s), after as [number, string]) > 0);
      const pageItems = matching.slice(0, limit);
      const last = pageItems.at(-1);
      return {
        logStreams: pageItems.map((s) => streamView(ctx, group, s)),
        ...(matching.length > limit && last ? { nextToken: encodeAfter(keyOf(last)) } : {}),
      };
    },
  };
}
