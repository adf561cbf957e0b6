import type { Clock } from '../../clock.js';
import { appendEvents, newStream } from './events.js';
import type { LogEventInput, StoredLogGroup } from './model.js';
import type { LogsStore, Scope } from './store.js';

/**
 * What other emulated services (ECS tasks with the awslogs log driver) need
 * from CloudWatch Logs: the calls the driver makes, without HTTP.
 */
export interface LogPlane {
  /**
   * As the awslogs driver does when a container starts: CreateLogStream,
   * after CreateLogGroup when `createGroup`. An existing stream is reused.
   */
  openStream(scope: Scope, group: string, stream: string, options: { createGroup: boolean }): 'opened' | 'group-not-found';
  /** PutLogEvents for a stream `openStream` opened; false when the group or stream has since been deleted. */
  write(scope: Scope, group: string, stream: string, events: readonly LogEventInput[]): boolean;
}

export function newGroup(name: string, now: number, options: Partial<Pick<StoredLogGroup, 'kmsKeyId' | 'logGroupClass' | 'tags'>> = {}): StoredLogGroup {
  return {
    logGroupName: name,
    creationTime: now,
    retentionInDays: undefined,
    kmsKeyId: options.kmsKeyId,
    logGroupClass: options.logGroupClass ?? 'STANDARD',
    tags: options.tags ?? {},
    streams: new Map(),
    nextSeq: 1,
  };
}

/** The plane over the Logs store; `changed` persists writes that no API call acknowledged. */
export class StoredLogs implements LogPlane {
  constructor(
    private readonly store: LogsStore,
    private readonly clock: Clock,
    private readonly changed: () => void,
  ) {}

  openStream(scope: Scope, group: string, stream: string, options: { createGroup: boolean }): 'opened' | 'group-not-found' {
    const groups = this.store.groups(scope);
    const now = Math.floor(this.clock.now());
    let stored = groups.get(group);
    if (!stored) {
      if (!options.createGroup) return 'group-not-found';
      groups.set(group, (stored = newGroup(group, now)));
    }
    if (!stored.streams.has(stream)) stored.streams.set(stream, newStream(stream, now));
    this.changed();
    return 'opened';
  }

  write(scope: Scope, group: string, stream: string, events: readonly LogEventInput[]): boolean {
    const stored = this.store.groups(scope).get(group);
    const target = stored?.streams.get(stream);
    if (!stored || !target) return false;
    appendEvents(stored, target, events, Math.floor(this.clock.now()));
    this.changed();
    return true;
  }
}
