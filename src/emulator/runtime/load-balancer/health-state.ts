/**
 * The health of one target as ALB's health checks see it, and how one check
 * result moves it. ALB documents that a newly registered target must pass one
 * health check to be healthy; after that, HealthyThresholdCount consecutive
 * successes bring an unhealthy target back and UnhealthyThresholdCount
 * consecutive failures take a target out.
 */

export type CheckResult =
  | { ok: true }
  | { ok: false; reason: 'Target.ResponseCodeMismatch'; status: number }
  | { ok: false; reason: 'Target.Timeout' }
  /** `refused`: nothing listens on the port yet (ECONNREFUSED). */
  | { ok: false; reason: 'Target.FailedHealthChecks'; refused?: boolean }
  | { ok: false; reason: 'Elb.InternalError' };

export type FailureReason = Exclude<CheckResult, { ok: true }>['reason'];

export interface HealthState {
  state: 'initial' | 'healthy' | 'unhealthy';
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  /** The last failed check, which explains an unhealthy state. */
  lastFailure: Exclude<CheckResult, { ok: true }> | undefined;
}

export interface Thresholds {
  healthy: number;
  unhealthy: number;
}

export const INITIAL_HEALTH: HealthState = {
  state: 'initial',
  consecutiveSuccesses: 0,
  consecutiveFailures: 0,
  lastFailure: undefined,
};

export function applyCheck(health: HealthState, result: CheckResult, thresholds: Thresholds): HealthState {
  if (result.ok) {
    const successes = health.consecutiveSuccesses + 1;
    const healthy =
      health.state === 'healthy' ||
      health.state === 'initial' ||
      successes >= thresholds.healthy;
    return {
      state: healthy ? 'healthy' : health.state,
      consecutiveSuccesses: successes,
      consecutiveFailures: 0,
      lastFailure: healthy ? undefined : health.lastFailure,
    };
  }
  const failures = health.consecutiveFailures + 1;
  return {
    state: failures >= thresholds.unhealthy ? 'unhealthy' : health.state,
    consecutiveSuccesses: 0,
    consecutiveFailures: failures,
    lastFailure: result,
  };
}

/** TargetHealth.Description for a failed check, worded as DescribeTargetHealth words it. */
export function failureDescription(failure: Exclude<CheckResult, { ok: true }>): string {
  switch (failure.reason) {
    case 'Target.ResponseCodeMismatch':
      return `Health checks failed with these codes: [${failure.status}]`;
    case 'Target.Timeout':
      return 'Request timed out';
    case 'Target.FailedHealthChecks':
      return 'Health checks failed';
    case 'Elb.InternalError':
      return 'Health checks failed due to an internal error';
  }
}
