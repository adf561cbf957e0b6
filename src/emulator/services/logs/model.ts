import type { LogGroupClass } from '@aws-sdk/client-cloudwatch-logs';

/** One log event as stored: `seq` orders events of the same timestamp by arrival, across the group. */
export interface StoredLogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  seq: number;
}

export interface StoredLogStream {
  logStreamName: string;
  creationTime: number;
  /** Kept sorted by (timestamp, seq): PutLogEvents may bring events older than those already stored. */
  events: StoredLogEvent[];
  lastIngestionTime: number | undefined;
  /** Counts PutLogEvents batches, for the (now ignored) sequence tokens AWS still returns. */
  uploads: number;
  /** Events dropped to keep the stream under the emulator's cap, oldest first. */
  dropped: number;
}

export interface StoredLogGroup {
  logGroupName: string;
  creationTime: number;
  retentionInDays: number | undefined;
  kmsKeyId: string | undefined;
  logGroupClass: LogGroupClass;
  tags: Record<string, string>;
  streams: Map<string, StoredLogStream>;
  /** The next event's `seq`; never reused within the group. */
  nextSeq: number;
}

/** What a writer hands in: PutLogEvents' InputLogEvent, checked. */
export interface LogEventInput {
  timestamp: number;
  message: string;
}
