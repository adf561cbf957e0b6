import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';
import type { StoredLogGroup, StoredLogStream } from './model.js';

export interface Scope {
  account: string;
  region: string;
}

type SavedGroup = Omit<StoredLogGroup, 'streams'> & { streams: StoredLogStream[] };

/** Log groups per account and region, by name; each holds its streams and their events. */
export class LogsStore implements Persistent {
  readonly stateName = 'logs';
  private scopes = new Map<string, Map<string, StoredLogGroup>>();

  groups(scope: Scope): Map<string, StoredLogGroup> {
    const key = scopeKey(scope);
    let groups = this.scopes.get(key);
    if (!groups) this.scopes.set(key, (groups = new Map()));
    return groups;
  }

  snapshot(): unknown {
    return Object.fromEntries(
      [...this.scopes].map(([key, groups]) => [key, [...groups.values()].map((g): SavedGroup => ({ ...g, streams: [...g.streams.values()] }))]),
    );
  }

  restore(data: unknown): void {
    const saved = data as Record<string, SavedGroup[]>;
    this.scopes = new Map(
      Object.entries(saved).map(([key, groups]) => [
        key,
        new Map(groups.map((g) => [g.logGroupName, { ...g, streams: new Map(g.streams.map((s) => [s.logStreamName, s])) }])),
      ]),
    );
  }
}
