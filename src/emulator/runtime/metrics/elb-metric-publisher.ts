import type { Clock } from '../../clock.js';
import type { MetricPlane } from '../../services/cloudwatch/metric-plane.js';
import type { TrafficSnapshot } from '../load-balancer/traffic-metrics.js';
import { startAlignedTicker, type AlignedTicker } from './aligned-ticker.js';
import {
  addToTally, countersDelta, elbMetricPoints, emptyTally, type ElbMinute, type HealthTally, type TrafficTally,
} from './elb-metric-points.js';
import { isPeriodClosed, periodOfReading, SAMPLE_INTERVAL_MS } from './metric-period.js';

/**
 * Publishes AWS/ApplicationELB metrics from what the data plane really
 * proxied. Every 20 virtual seconds it reads the data plane's counters (the
 * difference since the last reading belongs to the interval that just ended)
 * and the target health; at each minute boundary it publishes the minute
 * that ended, so a Period=60 query sees a minute soon after it is over.
 */

/** What the publisher reads: the data plane's counters and the health of target groups in use. */
export interface ElbMetricSource {
  traffic(): TrafficSnapshot;
  /** Every target group in use with health checks enabled, once per load balancer routing to it. */
  targetGroupHealth(): Array<{ loadBalancerArn: string; targetGroupArn: string; healthy: number; unhealthy: number }>;
  /** The load balancer whose listeners forward to the group (ALB allows one). */
  loadBalancerOf(targetGroupArn: string): string | undefined;
}

export interface ElbMetricPublisherDeps {
  clock: Clock;
  source: ElbMetricSource;
  metrics: MetricPlane;
  log: (line: string) => void;
}

interface PendingMinute {
  loadBalancers: Map<string, TrafficTally>;
  targetGroups: Map<string, TrafficTally & { loadBalancerArn: string }>;
  health: Map<string, HealthTally>;
}

export class ElbMetricPublisher {
  private previous: TrafficSnapshot | undefined;
  /** Target responses ever recorded, at the previous reading: says which buffered samples are new. */
  private previousResponses = 0;
  /** Where each target group's traffic went last, for groups whose listener is gone by the time of reading. */
  private readonly groupLoadBalancer = new Map<string, string>();
  private readonly pending = new Map<number, PendingMinute>();
  private ticker: AlignedTicker | undefined;

  constructor(private readonly deps: ElbMetricPublisherDeps) {}

  start(): void {
    if (this.ticker) return;
    // Traffic before the publisher started (none, in practice) is not attributed to any minute.
    this.previous = this.deps.source.traffic();
    this.previousResponses = responsesRecorded(this.previous);
    this.ticker = startAlignedTicker(this.deps.clock, SAMPLE_INTERVAL_MS, (at) => this.tick(at), (err) => {
      this.deps.log(`elbv2: publishing metrics failed: ${(err as Error).message}`);
    });
  }

  /**
   * Stops the timer and publishes the minute under way as far as it went:
   * CloudWatch adds up points of the same minute, so what a restarted
   * emulator publishes for the rest of that minute completes it.
   */
  async close(): Promise<void> {
    const ticker = this.ticker;
    if (!ticker) return;
    this.ticker = undefined;
    await ticker.stop();
    const now = this.deps.clock.now();
    this.read(now);
    this.publish(Number.POSITIVE_INFINITY);
  }

  private tick(at: number): void {
    this.read(at);
    this.publish(at);
  }

  /** Adds what happened since the last reading to the minute that `at` closes an interval of. */
  private read(at: number): void {
    const { source } = this.deps;
    const minute = this.minute(periodOfReading(at));
    const now = source.traffic();
    const before = this.previous;
    const fresh = freshSamples(now, this.previousResponses);
    this.previous = now;
    this.previousResponses = responsesRecorded(now);

    for (const [arn, counters] of Object.entries(now.loadBalancers)) {
      const delta = countersDelta(counters, before?.loadBalancers[arn]);
      if (!hasTraffic(delta)) continue;
      const tally = minute.loadBalancers.get(arn) ?? emptyTally();
      minute.loadBalancers.set(arn, tally);
      addToTally(tally, delta, fresh.filter((s) => s.loadBalancerArn === arn).map((s) => s.seconds));
    }
    for (const sample of fresh) {
      if (sample.targetGroupArn) this.groupLoadBalancer.set(sample.targetGroupArn, sample.loadBalancerArn);
    }
    for (const [arn, counters] of Object.entries(now.targetGroups)) {
      const delta = countersDelta(counters, before?.targetGroups[arn]);
      if (!hasTraffic(delta)) continue;
      const loadBalancerArn = source.loadBalancerOf(arn) ?? this.groupLoadBalancer.get(arn);
      if (loadBalancerArn === undefined) continue;
      this.groupLoadBalancer.set(arn, loadBalancerArn);
      const tally = minute.targetGroups.get(arn) ?? { ...emptyTally(), loadBalancerArn };
      minute.targetGroups.set(arn, tally);
      addToTally(tally, delta, fresh.filter((s) => s.targetGroupArn === arn).map((s) => s.seconds));
    }
    for (const health of source.targetGroupHealth()) {
      const key = `${health.targetGroupArn}|${health.loadBalancerArn}`;
      const tally = minute.health.get(key) ?? { loadBalancerArn: health.loadBalancerArn, targetGroupArn: health.targetGroupArn, healthy: [], unhealthy: [] };
      minute.health.set(key, tally);
      tally.healthy.push(health.healthy);
      tally.unhealthy.push(health.unhealthy);
    }
  }

  /** Publishes every pending minute that is over at `at`. */
  private publish(at: number): void {
    for (const [start, pending] of [...this.pending].sort(([a], [b]) => a - b)) {
      if (!isPeriodClosed(start, at)) continue;
      this.pending.delete(start);
      const minute: ElbMinute = {
        start,
        loadBalancers: pending.loadBalancers,
        targetGroups: pending.targetGroups,
        health: [...pending.health.values()],
      };
      for (const { scope, points } of elbMetricPoints(minute)) this.deps.metrics.put(scope, points);
    }
  }

  private minute(start: number): PendingMinute {
    let minute = this.pending.get(start);
    if (!minute) this.pending.set(start, (minute = { loadBalancers: new Map(), targetGroups: new Map(), health: new Map() }));
    return minute;
  }
}

/** Every target response is counted once under its load balancer, and buffered once as a sample. */
function responsesRecorded(snapshot: TrafficSnapshot): number {
  let total = 0;
  for (const counters of Object.values(snapshot.loadBalancers)) total += counters.TargetResponseTime.count;
  return total;
}

/** The buffered samples recorded since `recordedBefore` responses; the oldest are gone if the buffer overflowed. */
function freshSamples(snapshot: TrafficSnapshot, recordedBefore: number): TrafficSnapshot['recentResponseTimes'] {
  const fresh = responsesRecorded(snapshot) - recordedBefore;
  if (fresh <= 0) return [];
  return snapshot.recentResponseTimes.slice(-fresh);
}

function hasTraffic(delta: ReturnType<typeof countersDelta>): boolean {
  return delta.count > 0 || Object.values(delta.counts).some((n) => n > 0);
}
