import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { StoredLogs, type LogPlane } from './log-plane.js';
import { logsOperations } from './operations.js';
import { LogsStore } from './store.js';

export interface LogsDeps {
  clock: Clock;
  /** Task output was written outside an API call: save it. */
  markDirty?: () => void;
}

/**
 * The emulated CloudWatch Logs API (awsJson 1.1, the only protocol its SDK v3
 * client, botocore and the AWS CLI speak), and the plane ECS tasks with the
 * awslogs log driver write their output through.
 */
export function createLogs(deps: LogsDeps): { service: EmulatedService; plane: LogPlane; state: Persistent } {
  const store = new LogsStore();
  const service = defineService(
    { name: 'CloudWatchLogs', protocol: 'awsJson1_1', signingName: 'logs', targetPrefix: 'Logs_20140328' },
    logsOperations(store, deps.clock),
  );
  return { service, plane: new StoredLogs(store, deps.clock, deps.markDirty ?? (() => {})), state: store };
}
