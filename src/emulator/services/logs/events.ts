import { insertionIndex } from './event-keys.js';
import type { LogEventInput, StoredLogEvent, StoredLogGroup, StoredLogStream } from './model.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The most events one stream keeps; older ones are dropped as newer arrive.
 * AWS keeps everything until the retention period ends. The emulator caps
 * streams so that a chatty task cannot grow its memory and its state file
 * (rewritten whole on every save) without bound.
 */
export const MAX_EVENTS_PER_STREAM = 10_000;

export function newStream(name: string, now: number): StoredLogStream {
  return { logStreamName: name, creationTime: now, events: [], lastIngestionTime: undefined, uploads: 0, dropped: 0 };
}

/** Events with a timestamp before this are past the group's retention: no read returns them. */
export function retainedFrom(group: StoredLogGroup, now: number): number {
  return group.retentionInDays === undefined ? Number.NEGATIVE_INFINITY : now - group.retentionInDays * DAY_MS;
}

/** The stream's events still within retention, in (timestamp, seq) order. */
export function liveEvents(group: StoredLogGroup, stream: StoredLogStream, now: number): StoredLogEvent[] {
  const from = retainedFrom(group, now);
  if (from === Number.NEGATIVE_INFINITY) return stream.events;
  return stream.events.filter((e) => e.timestamp >= from);
}

/** Stores accepted events, in order, and applies retention and the per-stream cap. */
export function appendEvents(group: StoredLogGroup, stream: StoredLogStream, events: readonly LogEventInput[], now: number): void {
  if (events.length === 0) return;
  for (const input of events) {
    const event: StoredLogEvent = { timestamp: input.timestamp, message: input.message, ingestionTime: now, seq: group.nextSeq };
    group.nextSeq += 1;
    const last = stream.events.at(-1);
    if (last === undefined || last.timestamp <= event.timestamp) stream.events.push(event);
    else stream.events.splice(insertionIndex(stream.events, event), 0, event);
  }
  stream.lastIngestionTime = now;
  stream.uploads += 1;
  const from = retainedFrom(group, now);
  let drop = 0;
  while (drop < stream.events.length && (stream.events[drop]?.timestamp ?? 0) < from) drop += 1;
  drop = Math.max(drop, stream.events.length - MAX_EVENTS_PER_STREAM);
  if (drop > 0) {
    stream.events.splice(0, drop);
    stream.dropped += drop;
  }
}

/** What a group holds, as storedBytes counts it: the UTF-8 size of its retained messages. */
export function storedBytes(group: StoredLogGroup, now: number): number {
  let bytes = 0;
  for (const stream of group.streams.values()) {
    for (const event of liveEvents(group, stream, now)) bytes += Buffer.byteLength(event.message, 'utf8');
  }
  return bytes;
}
