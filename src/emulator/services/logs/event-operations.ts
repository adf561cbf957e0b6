import type {
  FilteredLogEvent, FilterLogEventsRequest, FilterLogEventsResponse, GetLogEventsRequest, GetLogEventsResponse, PutLogEventsRequest,
  PutLogEventsResponse, RejectedLogEventsInfo,
} from '@aws-sdk/client-cloudwatch-logs';
import type { Clock } from '../../clock.js';
import type { Operation } from '../../service.js';
import { errors } from './catalogue.js';
import {
  compareKeys, filterToken, keyDigits, parseFilterToken, parseStreamToken, START_KEY, streamToken, type Direction, type EventKey,
} from './event-keys.js';
import { appendEvents, liveEvents, retainedFrom } from './events.js';
import { parseFilterPattern } from './filter-pattern.js';
import { checkStreamName, identifiedGroup, limitOf, logsFields, namedGroup, namedStream, timestampOf } from './inputs.js';
import type { LogEventInput, StoredLogEvent } from './model.js';
import type { LogsStore } from './store.js';

export type EventOperations = {
  PutLogEvents: Operation<PutLogEventsRequest, PutLogEventsResponse>;
  GetLogEvents: Operation<GetLogEventsRequest, GetLogEventsResponse>;
  FilterLogEvents: Operation<FilterLogEventsRequest, FilterLogEventsResponse>;
};

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** PutLogEvents: batch size counts each message's UTF-8 bytes plus 26 bytes per event. */
const EVENT_OVERHEAD_BYTES = 26;
const MAX_BATCH_BYTES = 1_048_576;
const MAX_BATCH_EVENTS = 10_000;
/** GetLogEvents and FilterLogEvents: a page holds at most 10,000 events and 1 MB. */
const MAX_PAGE_EVENTS = 10_000;
const MAX_PAGE_BYTES = 1_048_576;
/** FilterLogEvents refuses newest-first reads that start before this (AWS documents the date). */
const DESCENDING_EARLIEST_START = Date.UTC(2024, 0, 1);

const eventBytes = (e: Pick<StoredLogEvent, 'message'>): number => Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;

/** Up to `limit` events from the start of `events` (or its end, backward), within the page byte cap. */
function takePage<T extends StoredLogEvent>(events: readonly T[], direction: Direction, limit: number): T[] {
  const page: T[] = [];
  let bytes = 0;
  for (let n = 0; n < events.length && page.length < limit; n += 1) {
    const event = direction === 'forward' ? events[n] : events[events.length - 1 - n];
    if (event === undefined) break;
    bytes += eventBytes(event);
    if (bytes > MAX_PAGE_BYTES && page.length > 0) break;
    page.push(event);
  }
  return direction === 'forward' ? page : page.reverse();
}

function checkedEvents(value: unknown): LogEventInput[] {
  if (value === undefined || value === null) throw errors.constraint(undefined, 'logEvents', 'Member must not be null');
  if (!Array.isArray(value)) throw errors.constraint(JSON.stringify(value), 'logEvents', 'Member must be a list');
  if (value.length < 1) throw errors.constraint('[]', 'logEvents', 'Member must have length greater than or equal to 1');
  if (value.length > MAX_BATCH_EVENTS) throw errors.constraint(`[${value.length} events]`, 'logEvents', `Member must have length less than or equal to ${MAX_BATCH_EVENTS}`);
  return value.map((item: unknown, i) => {
    const event = (item ?? {}) as { timestamp?: unknown; message?: unknown };
    const at = `logEvents.${i + 1}.member`;
    if (typeof event.timestamp !== 'number' || !Number.isInteger(event.timestamp)) throw errors.constraint(event.timestamp, `${at}.timestamp`, 'Member must not be null');
    if (event.timestamp < 0) throw errors.constraint(event.timestamp, `${at}.timestamp`, 'Member must have value greater than or equal to 0');
    if (typeof event.message !== 'string') throw errors.constraint(event.message, `${at}.message`, 'Member must not be null');
    if (event.message.length < 1) throw errors.constraint(event.message, `${at}.message`, 'Member must have length greater than or equal to 1');
    return { timestamp: event.timestamp, message: event.message };
  });
}

export function eventOperations(store: LogsStore, clock: Clock): EventOperations {
  const now = (): number => Math.floor(clock.now());

  return {
    PutLogEvents(input, ctx) {
      const f = logsFields(input);
      const events = checkedEvents(input.logEvents);
      let bytes = 0;
      for (const [i, event] of events.entries()) {
        const previous = events[i - 1];
        if (previous && previous.timestamp > event.timestamp) throw errors.notChronological();
        bytes += eventBytes(event);
      }
      if (bytes > MAX_BATCH_BYTES) throw errors.batchTooLarge(bytes);
      const group = namedGroup(store, ctx, f);
      const stream = namedStream(group, f);

      const at = now();
      const retained = retainedFrom(group, at);
      const rejected: RejectedLogEventsInfo = {};
      const accepted: LogEventInput[] = [];
      for (const [i, event] of events.entries()) {
        if (event.timestamp > at + 2 * HOUR_MS) rejected.tooNewLogEventStartIndex ??= i;
        else if (event.timestamp < at - 14 * DAY_MS) rejected.tooOldLogEventEndIndex = i;
        else if (event.timestamp < retained) rejected.expiredLogEventEndIndex = i;
        else accepted.push(event);
      }
      const first = accepted[0];
      const last = accepted.at(-1);
      if (first && last && last.timestamp - first.timestamp > DAY_MS) throw errors.spanTooLong();
      appendEvents(group, stream, accepted, at);
      return {
        nextSequenceToken: String(stream.uploads).padStart(56, '0'),
        ...(Object.keys(rejected).length > 0 ? { rejectedLogEventsInfo: rejected } : {}),
      };
    },

    GetLogEvents(input, ctx) {
      const f = logsFields(input);
      const group = identifiedGroup(store, ctx, f);
      const stream = namedStream(group, f);
      const limit = limitOf(f, MAX_PAGE_EVENTS, MAX_PAGE_EVENTS);
      const startTime = timestampOf(f, 'startTime');
      const endTime = timestampOf(f, 'endTime');
      const token = f.optionalString('nextToken');
      const from = token === undefined ? undefined : parseStreamToken(token);
      if (token !== undefined && from === undefined) throw errors.invalidToken();

      // startTime is inclusive, endTime exclusive.
      let events = liveEvents(group, stream, now()).filter(
        (e) => (startTime === undefined || e.timestamp >= startTime) && (endTime === undefined || e.timestamp < endTime),
      );
      // A token's own direction wins over startFromHead.
      const direction: Direction = from?.direction ?? (f.optionalBoolean('startFromHead') === true ? 'forward' : 'backward');
      if (from) events = events.filter((e) => (direction === 'forward' ? compareKeys(e, from.key) > 0 : compareKeys(e, from.key) < 0));
      const page = takePage(events, direction, limit);
      const first = page[0];
      const last = page.at(-1);
      // An empty page hands back the position it was asked from: the end (or start) of the stream.
      const forwardKey: EventKey = last ?? from?.key ?? START_KEY;
      const backwardKey: EventKey = first ?? from?.key ?? START_KEY;
      return {
        events: page.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
        nextForwardToken: streamToken('forward', forwardKey),
        nextBackwardToken: streamToken('backward', backwardKey),
      };
    },

    FilterLogEvents(input, ctx) {
      const f = logsFields(input);
      const group = identifiedGroup(store, ctx, f);
      const names = f.optionalStringList('logStreamNames');
      const prefix = f.optionalString('logStreamNamePrefix');
      if (names !== undefined && prefix !== undefined) {
        throw errors.invalid('logStreamNames and logStreamNamePrefix are mutually exclusive. Only one of these parameters can be passed.');
      }
      if (names !== undefined && (names.length < 1 || names.length > 100)) {
        throw errors.constraint(`[${names.length} names]`, 'logStreamNames', 'Member must have length between 1 and 100');
      }
      for (const name of names ?? []) checkStreamName(name, 'logStreamNames');
      const limit = limitOf(f, MAX_PAGE_EVENTS, MAX_PAGE_EVENTS);
      const startTime = timestampOf(f, 'startTime');
      const endTime = timestampOf(f, 'endTime');
      const matches = parseFilterPattern(f.optionalString('filterPattern'));
      const token = f.optionalString('nextToken');
      const from = token === undefined ? undefined : parseFilterToken(token);
      if (token !== undefined && from === undefined) throw errors.invalidToken();
      const startFromHead = f.optionalBoolean('startFromHead') ?? true;
      if (!from && !startFromHead && (startTime === undefined || startTime < DESCENDING_EARLIEST_START)) {
        throw errors.invalid('startFromHead false requires a startTime on or after Jan 1, 2024 00:00:00 UTC.');
      }
      const direction: Direction = from?.direction ?? (startFromHead ? 'forward' : 'backward');

      const at = now();
      const candidates: Array<StoredLogEvent & { logStreamName: string }> = [];
      for (const stream of group.streams.values()) {
        if (names !== undefined && !names.includes(stream.logStreamName)) continue;
        if (prefix !== undefined && !stream.logStreamName.startsWith(prefix)) continue;
        for (const e of liveEvents(group, stream, at)) {
          // Both ends of FilterLogEvents' time range are inclusive.
          if (startTime !== undefined && e.timestamp < startTime) continue;
          if (endTime !== undefined && e.timestamp > endTime) continue;
          if (from && (direction === 'forward' ? compareKeys(e, from.key) <= 0 : compareKeys(e, from.key) >= 0)) continue;
          if (!matches(e.message)) continue;
          candidates.push({ ...e, logStreamName: stream.logStreamName });
        }
      }
      candidates.sort(compareKeys);
      const page = takePage(candidates, direction, limit);
      // Newest first when reading backward; the token continues from the last event handed out.
      const ordered = direction === 'forward' ? page : page.reverse();
      const lastOut = ordered.at(-1);
      const more = lastOut !== undefined && page.length < candidates.length;
      const events: FilteredLogEvent[] = ordered.map((e) => ({
        logStreamName: e.logStreamName,
        timestamp: e.timestamp,
        message: e.message,
        ingestionTime: e.ingestionTime,
        eventId: keyDigits(e),
      }));
      return { events, searchedLogStreams: [], ...(more ? { nextToken: filterToken(direction, lastOut) } : {}) };
    },
  };
}
