import type { TargetHealthStateName } from '../../services/elbv2/load-balancing-plane.js';

/** What decides whether a RUNNING task is healthy for its deployment. */
export interface TaskHealthInput {
  lastStatus: string;
  /** Essential containers that define a health check, with their current status. */
  checkedContainers: Array<{ name: string; healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' }>;
  /** One entry per registered target; `undefined` state once the target is gone. */
  targets: Array<{ targetGroupArn: string; state: TargetHealthStateName | undefined; description?: string | undefined }>;
  /** Inside healthCheckGracePeriodSeconds after the task started. */
  inGracePeriod: boolean;
}

export type TaskHealthVerdict =
  | { kind: 'healthy' }
  | { kind: 'waiting' }
  | { kind: 'failed-elb'; targetGroupArn: string; description: string | undefined }
  | { kind: 'failed-container'; containerName: string };

export function judgeTaskHealth(input: TaskHealthInput): TaskHealthVerdict {
  if (input.lastStatus !== 'RUNNING') return { kind: 'waiting' };
  if (!input.inGracePeriod) {
    const sick = input.checkedContainers.find((c) => c.healthStatus === 'UNHEALTHY');
    if (sick) return { kind: 'failed-container', containerName: sick.name };
    const bad = input.targets.find((t) => t.state === 'unhealthy');
    if (bad) return { kind: 'failed-elb', targetGroupArn: bad.targetGroupArn, description: bad.description };
  }
  const containersOk = input.checkedContainers.every((c) => c.healthStatus === 'HEALTHY');
  const targetsOk = input.targets.every((t) => t.state === 'healthy');
  return containersOk && targetsOk ? { kind: 'healthy' } : { kind: 'waiting' };
}

/** Task.healthStatus: from the essential containers' health checks, UNKNOWN when none define one. */
export function taskHealthStatus(checked: TaskHealthInput['checkedContainers']): 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN' {
  if (checked.length === 0) return 'UNKNOWN';
  if (checked.some((c) => c.healthStatus === 'UNHEALTHY')) return 'UNHEALTHY';
  return checked.every((c) => c.healthStatus === 'HEALTHY') ? 'HEALTHY' : 'UNKNOWN';
}
