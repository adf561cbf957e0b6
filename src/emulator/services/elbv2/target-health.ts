import type { TargetHealthView } from './load-balancing-plane.js';
import { failureDescription, type HealthState } from '../../runtime/load-balancer/health-state.js';
import type { StoredTarget } from './model.js';

/**
 * A registered target's TargetHealth, from what the API and the health
 * checks know, with DescribeTargetHealth's reason codes and descriptions.
 */
export function targetHealthView(
  target: StoredTarget | undefined,
  context: { groupInUse: boolean; healthChecksEnabled: boolean; health: HealthState | undefined },
): TargetHealthView {
  if (!target) {
    return { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' };
  }
  if (target.drainingUntil !== undefined) {
    return { state: 'draining', reason: 'Target.DeregistrationInProgress', description: 'Target deregistration is in progress' };
  }
  if (!context.groupInUse) {
    return {
      state: 'unused',
      reason: 'Target.NotInUse',
      description: 'Target group is not configured to receive traffic from the load balancer',
    };
  }
  if (!context.healthChecksEnabled) {
    return { state: 'unavailable', reason: 'Target.HealthCheckDisabled', description: 'Health checks are disabled' };
  }
  const health = context.health;
  if (!health || health.state === 'initial') {
    return health && health.consecutiveFailures + health.consecutiveSuccesses > 0
      ? { state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' }
      : { state: 'initial', reason: 'Elb.RegistrationInProgress', description: 'Target registration is in progress' };
  }
  if (health.state === 'healthy') return { state: 'healthy' };
  const failure = health.lastFailure ?? { ok: false, reason: 'Target.FailedHealthChecks' };
  return { state: 'unhealthy', reason: failure.reason, description: failureDescription(failure) };
}
