/**
 * What the data plane counts, per load balancer and per target group, named
 * after the AWS/ApplicationELB CloudWatch metrics they will be published as.
 * Counters only grow; a publisher takes differences between two readings.
 */

export interface TrafficCounters {
  RequestCount: number;
  HTTPCode_Target_2XX_Count: number;
  HTTPCode_Target_3XX_Count: number;
  HTTPCode_Target_4XX_Count: number;
  HTTPCode_Target_5XX_Count: number;
  HTTPCode_ELB_4XX_Count: number;
  HTTPCode_ELB_5XX_Count: number;
  HTTPCode_ELB_502_Count: number;
  HTTPCode_ELB_503_Count: number;
  HTTPCode_ELB_504_Count: number;
  TargetConnectionErrorCount: number;
  /** TargetResponseTime in seconds, summed and counted, so averages can be taken. */
  TargetResponseTime: { sum: number; count: number; max: number };
}

/** One request's outcome as the load balancer saw it. */
export type RequestOutcome =
  | { kind: 'target'; status: number; responseSeconds: number }
  | { kind: 'elb'; status: number; connectionError?: boolean };

/** A target response time with the virtual time it was taken at, for per-period statistics. */
export interface ResponseTimeSample {
  at: number;
  seconds: number;
  loadBalancerArn: string;
  targetGroupArn: string | undefined;
}

export interface TrafficSnapshot {
  loadBalancers: Record<string, TrafficCounters>;
  targetGroups: Record<string, TrafficCounters>;
  /** The most recent target response times (at most SAMPLE_LIMIT), oldest first. */
  recentResponseTimes: ResponseTimeSample[];
}

const SAMPLE_LIMIT = 10_000;

export function emptyCounters(): TrafficCounters {
  return {
    RequestCount: 0,
    HTTPCode_Target_2XX_Count: 0,
    HTTPCode_Target_3XX_Count: 0,
    HTTPCode_Target_4XX_Count: 0,
    HTTPCode_Target_5XX_Count: 0,
    HTTPCode_ELB_4XX_Count: 0,
    HTTPCode_ELB_5XX_Count: 0,
    HTTPCode_ELB_502_Count: 0,
    HTTPCode_ELB_503_Count: 0,
    HTTPCode_ELB_504_Count: 0,
    TargetConnectionErrorCount: 0,
    TargetResponseTime: { sum: 0, count: 0, max: 0 },
  };
}

/** Adds one outcome to a set of counters (mutates `counters`). */
export function countOutcome(counters: TrafficCounters, outcome: RequestOutcome): void {
  counters.RequestCount += 1;
  if (outcome.kind === 'target') {
    const klass = Math.floor(outcome.status / 100);
    if (klass === 2) counters.HTTPCode_Target_2XX_Count += 1;
    else if (klass === 3) counters.HTTPCode_Target_3XX_Count += 1;
    else if (klass === 4) counters.HTTPCode_Target_4XX_Count += 1;
    else if (klass === 5) counters.HTTPCode_Target_5XX_Count += 1;
    const rt = counters.TargetResponseTime;
    rt.sum += outcome.responseSeconds;
    rt.count += 1;
    rt.max = Math.max(rt.max, outcome.responseSeconds);
    return;
  }
  if (outcome.status >= 500) counters.HTTPCode_ELB_5XX_Count += 1;
  else if (outcome.status >= 400) counters.HTTPCode_ELB_4XX_Count += 1;
  if (outcome.status === 502) counters.HTTPCode_ELB_502_Count += 1;
  if (outcome.status === 503) counters.HTTPCode_ELB_503_Count += 1;
  if (outcome.status === 504) counters.HTTPCode_ELB_504_Count += 1;
  if (outcome.connectionError) counters.TargetConnectionErrorCount += 1;
}

export class TrafficMetrics {
  private readonly byLoadBalancer = new Map<string, TrafficCounters>();
  private readonly byTargetGroup = new Map<string, TrafficCounters>();
  private samples: ResponseTimeSample[] = [];

  record(at: number, loadBalancerArn: string, targetGroupArn: string | undefined, outcome: RequestOutcome): void {
    countOutcome(this.counters(this.byLoadBalancer, loadBalancerArn), outcome);
    if (targetGroupArn) countOutcome(this.counters(this.byTargetGroup, targetGroupArn), outcome);
    if (outcome.kind === 'target') {
      this.samples.push({ at, seconds: outcome.responseSeconds, loadBalancerArn, targetGroupArn });
      if (this.samples.length > SAMPLE_LIMIT) this.samples = this.samples.slice(-SAMPLE_LIMIT / 2);
    }
  }

  snapshot(): TrafficSnapshot {
    const copy = (m: Map<string, TrafficCounters>) =>
      Object.fromEntries([...m].map(([k, v]) => [k, { ...v, TargetResponseTime: { ...v.TargetResponseTime } }]));
    return {
      loadBalancers: copy(this.byLoadBalancer),
      targetGroups: copy(this.byTargetGroup),
      recentResponseTimes: [...this.samples],
    };
  }

  private counters(map: Map<string, TrafficCounters>, key: string): TrafficCounters {
    let counters = map.get(key);
    if (!counters) map.set(key, (counters = emptyCounters()));
    return counters;
  }
}
