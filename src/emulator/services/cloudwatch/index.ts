import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { StoredAlarms, type AlarmPlane } from './alarm-plane.js';
import { AlarmScheduler } from './alarm-scheduler.js';
import { AlarmStore } from './alarm-store.js';
import { metricOperations } from './metric-operations.js';
import type { MetricPlane } from './metric-plane.js';
import { MetricStore, type MetricStoreLimits } from './metric-store.js';
import { cloudWatchOperations } from './operations.js';

export interface CloudWatchDeps {
  clock: Clock;
  /** An evaluation changed an alarm's state outside an API call: save it. */
  markDirty?: () => void;
  /** Where the emulator reports what it does; silent when absent. */
  log?: (line: string) => void;
  /** Retention and per-metric caps of the metric store; defaults in DEFAULT_METRIC_LIMITS. */
  metricLimits?: Partial<MetricStoreLimits>;
}

export interface CloudWatch {
  service: EmulatedService;
  /** What ECS reads deployment alarm states through. */
  alarms: AlarmPlane;
  /** What the load balancer and ECS publish their metrics through. */
  metrics: MetricPlane;
  /**
   * The alarms. Metric data is deliberately not persisted: it is a rolling
   * window of at most a few hours, mostly derived from the emulator's own
   * traffic, and StateDirectory rewrites every member's whole snapshot after
   * each acknowledged write, which a busy metric store would turn into
   * megabytes per API call. After a restart alarms see missing data until
   * publishers catch up, as they would after a gap in AWS.
   */
  state: Persistent;
  /** Stops alarm evaluation. */
  close(): void;
}

/** The emulated CloudWatch: metrics, alarms evaluated on the emulator clock, and the planes other services use. */
export function createCloudWatch(deps: CloudWatchDeps): CloudWatch {
  const alarms = new AlarmStore();
  const metrics = new MetricStore(deps.clock, deps.metricLimits);
  const scheduler = new AlarmScheduler({
    alarms,
    metrics,
    clock: deps.clock,
    onChange: deps.markDirty ?? (() => {}),
    log: deps.log ?? (() => {}),
  });
  const service = defineService(
    { name: 'CloudWatch', protocol: 'awsJson1_0', signingName: 'monitoring', targetPrefix: 'GraniteServiceVersion20100801' },
    { ...cloudWatchOperations(alarms, deps.clock), ...metricOperations(metrics, deps.clock) },
  );
  scheduler.start();
  return {
    service,
    alarms: new StoredAlarms(alarms),
    metrics,
    state: alarms,
    close: () => scheduler.close(),
  };
}
