import type { HookDetail, ServiceDeploymentDetail } from '../../engine/service-deployment-detail.js';
import { describeShare } from './describe.js';

/** `status` text for one service deployment: strategy, stage, weights per revision, hooks and what resolves them. */
export function serviceDeploymentLines(d: ServiceDeploymentDetail, target: { cluster: string; service: string }): string[] {
  const id = d.arn.slice(d.arn.lastIndexOf('/') + 1);
  const lines = [
    `service deployment ${id}: ${d.status}${d.strategy ? `, strategy ${d.strategy}` : ''}${d.stage ? `, stage ${d.stage}` : ''}`,
  ];
  for (const r of d.revisions) lines.push(`  ${describeShare(r)}`);
  for (const h of d.hooks) lines.push(`  ${hookLine(h, target)}`);
  if (d.bake) {
    lines.push(`  ${d.bake.kind === 'final' ? `bake (bakeTimeInMinutes ${d.bake.minutes})` : `step bake (${d.bake.minutes}m per step)`}: the previous revision stays warm; ecs-rollout abort rolls back now, nothing ends a bake early`);
  }
  const why = d.rollbackReason ?? d.reason;
  if (why) lines.push(`  reason: ${why}`);
  return lines;
}

function hookLine(h: HookDetail, { cluster, service }: { cluster: string; service: string }): string {
  const head = `hook ${h.hookId} (${h.targetType ?? 'hook'})${h.stage ? ` at ${h.stage}` : ''}: ${h.status ?? '-'}`;
  if (h.actions.length === 0) return head;
  const expiry = h.expiresAt ? `; ECS does ${h.timeoutAction ?? 'ROLLBACK'} at ${h.expiresAt}` : '';
  const flags = `--cluster ${cluster} --service ${service}`;
  const runs = h.actions.map((a) => (a === 'promote' ? `ecs-rollout promote ${flags} to continue` : `ecs-rollout abort ${flags} to roll back`));
  return `${head}: run ${runs.join(', or ')}${expiry}`;
}
