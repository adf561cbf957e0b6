import type { Clock } from '../../clock.js';
import { eventOperations, type EventOperations } from './event-operations.js';
import { groupOperations, type GroupOperations } from './group-operations.js';
import type { LogsStore } from './store.js';

/** Every CloudWatch Logs operation the emulator serves; any other gets UnsupportedOperation. */
export type LogsOperations = GroupOperations & EventOperations;

export function logsOperations(store: LogsStore, clock: Clock): LogsOperations {
  return { ...groupOperations(store, clock), ...eventOperations(store, clock) };
}
