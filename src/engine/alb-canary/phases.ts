import { taskDefinitionLabel } from '../revision.js';
import { checkpoint } from './checkpoint.js';
import type { CanaryContext, CanaryRecorder } from './context.js';
import { waitUntilReady } from './readiness.js';
import { CANARY_TAG_KEYS, TAG } from './state-tag.js';
import { shiftTraffic } from './traffic.js';

/** The canary's phases around its steps: the canary comes up, the stable takes the revision, all traffic goes home. */

/** The canary service runs the new revision on its tasks, all healthy in the canary target group. */
export async function bringUpCanary(
  ctx: CanaryContext,
  recorder: CanaryRecorder,
  c: { taskDefinitionArn: string; canaryCount: number; recordStart: boolean; since: number; knownEventIds: Set<string> },
): Promise<void> {
  const { ports, cluster, canary, signal, emit } = ctx;
  if (c.recordStart) await recorder.update({ phase: 'starting', step: 0, weight: 0 });
  const current = await ports.ecs.findService(cluster, canary.name, signal);
  const onIt = taskDefinitionLabel(current?.taskDefinition) === taskDefinitionLabel(c.taskDefinitionArn) && current?.desiredCount === c.canaryCount;
  if (!onIt) {
    await ports.ecs.startDeployment({ cluster, service: canary.name, taskDefinitionArn: c.taskDefinitionArn, desiredCount: c.canaryCount }, signal);
    emit({ type: 'canary-scaling', service: canary.name, taskDefinitionArn: c.taskDefinitionArn, desiredCount: c.canaryCount });
  }
  const healthy = await waitUntilReady(ctx, recorder, { service: canary, taskDefinitionArn: c.taskDefinitionArn, desired: c.canaryCount, watchCanary: false, since: c.since, knownEventIds: c.knownEventIds });
  emit({ type: 'canary-healthy', service: canary.name, targetGroupArn: canary.targetGroupArn, healthy, desired: c.canaryCount });
}

/** The stable service takes the canary's revision; the canary keeps its share until every stable task runs it, healthy. */
export async function promoteStable(ctx: CanaryContext, recorder: CanaryRecorder, p: { taskDefinitionArn: string; since: number; knownEventIds: Set<string> }): Promise<void> {
  const { ports, cluster, stable, signal, emit } = ctx;
  await recorder.update({ phase: 'promoting', waiting: undefined, until: undefined });
  const current = await ports.ecs.findService(cluster, stable.name, signal);
  let deploymentId = (current?.deployments ?? []).find((dep) => dep.status === 'PRIMARY')?.id ?? '';
  if (taskDefinitionLabel(current?.taskDefinition) !== taskDefinitionLabel(p.taskDefinitionArn)) {
    const updated = await ports.ecs.startDeployment({ cluster, service: stable.name, taskDefinitionArn: p.taskDefinitionArn }, signal);
    deploymentId = (updated.deployments ?? []).find((dep) => dep.status === 'PRIMARY')?.id ?? '';
  }
  emit({ type: 'promoting', service: stable.name, taskDefinitionArn: p.taskDefinitionArn, deploymentId });
  const desired = current?.desiredCount ?? 0;
  const healthy = await waitUntilReady(ctx, recorder, { service: stable, taskDefinitionArn: p.taskDefinitionArn, desired, watchCanary: recorder.state.weight > 0, since: p.since, knownEventIds: p.knownEventIds });
  emit({ type: 'promoted', service: stable.name, taskDefinitionArn: p.taskDefinitionArn, healthy });
}

/** All traffic back on the (now promoted) stable, confirmed; then the canary scales to zero and the record is cleared. */
export async function finish(ctx: CanaryContext, recorder: CanaryRecorder): Promise<void> {
  const { ports, cluster, canary, stable, signal, emit } = ctx;
  await recorder.update({ phase: 'finishing', waiting: undefined, until: undefined });
  await checkpoint(ctx, recorder, { canaryHealth: false });
  await shiftTraffic(ctx, 0);
  await recorder.update({ weight: 0 });
  await ports.services.setDesiredCount(cluster, canary.name, 0, signal);
  emit({ type: 'canary-scaled-down', service: canary.name });
  await ports.services.removeTags(canary.arn, CANARY_TAG_KEYS, signal);
  await ports.services.removeTags(stable.arn, [TAG.canaryService], signal);
}
