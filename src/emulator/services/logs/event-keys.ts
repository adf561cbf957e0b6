import type { StoredLogEvent } from './model.js';

/**
 * Where an event sits in its group: by timestamp, then by arrival (`seq`).
 * GetLogEvents' tokens and FilterLogEvents' eventIds are keys written as 56
 * digits, the length AWS's own tokens (`f/<56 digits>/s`) and event ids have:
 * 20 digits of timestamp, then 36 of sequence. A key names a boundary, so a
 * token stays valid while events arrive before or after it.
 */
export interface EventKey {
  timestamp: number;
  seq: number;
}

/** Before every event: tokens of an empty stream point here. */
export const START_KEY: EventKey = { timestamp: 0, seq: 0 };

export function compareKeys(a: EventKey, b: EventKey): number {
  return a.timestamp - b.timestamp || a.seq - b.seq;
}

export function keyDigits(key: EventKey): string {
  return `${String(key.timestamp).padStart(20, '0')}${String(key.seq).padStart(36, '0')}`;
}

export function parseKeyDigits(digits: string): EventKey | undefined {
  if (!/^\d{56}$/.test(digits)) return undefined;
  const timestamp = Number(digits.slice(0, 20));
  const seq = Number(digits.slice(20));
  return Number.isSafeInteger(timestamp) && Number.isSafeInteger(seq) ? { timestamp, seq } : undefined;
}

export type Direction = 'forward' | 'backward';

/** GetLogEvents' nextForwardToken / nextBackwardToken. */
export function streamToken(direction: Direction, key: EventKey): string {
  return `${direction === 'forward' ? 'f' : 'b'}/${keyDigits(key)}/s`;
}

export function parseStreamToken(token: string): { direction: Direction; key: EventKey } | undefined {
  const match = /^([fb])\/(\d{56})\/s$/.exec(token);
  const key = match?.[2] === undefined ? undefined : parseKeyDigits(match[2]);
  return match && key ? { direction: match[1] === 'f' ? 'forward' : 'backward', key } : undefined;
}

/** FilterLogEvents' nextToken: opaque to clients, as AWS's is; it carries the direction of the first request. */
export function filterToken(direction: Direction, key: EventKey): string {
  return Buffer.from(`${direction === 'forward' ? 'f' : 'b'}:${keyDigits(key)}`).toString('base64url');
}

export function parseFilterToken(token: string): { direction: Direction; key: EventKey } | undefined {
  const text = Buffer.from(token, 'base64url').toString('utf8');
  const match = /^([fb]):(\d{56})$/.exec(text);
  const key = match?.[2] === undefined ? undefined : parseKeyDigits(match[2]);
  return match && key ? { direction: match[1] === 'f' ? 'forward' : 'backward', key } : undefined;
}

/** The index at which an event with `key` goes to keep `events` sorted (after equal keys). */
export function insertionIndex(events: readonly StoredLogEvent[], key: EventKey): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const event = events[mid];
    if (event !== undefined && compareKeys(event, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
