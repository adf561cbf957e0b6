import { taskDefinitionLabel } from '../revision.js';
import type { CanaryContext } from './context.js';
import { CANARY_TAG_KEYS, TAG } from './state-tag.js';
import { pairHealth, shiftTraffic } from './traffic.js';

export interface RevertOptions {
  /**
   * The canary's revision and the stable's previous one ("family:revision"):
   * a stable found on the canary's revision had begun to take it and goes back.
   */
  revisions: { canary: string; previousStable: string } | undefined;
  /**
   * Keep the abort marker: ecs-rollout abort leaves it so that a deploy still
   * running sees it and stops; the deploy itself clears it.
   */
  keepAbortMarker: boolean;
}

/**
 * Sends all traffic back to stable in one write and confirms it on the load
 * balancer; only then scales the canary to zero (so no request meets a
 * stopping canary), puts the stable back on its previous revision when a
 * promotion had begun, and clears the canary's tags. Every step is
 * idempotent: a deploy and an abort may both run it.
 */
export async function revertToStable(ctx: CanaryContext, options: RevertOptions): Promise<{ stableRestoredTo: string | undefined }> {
  const { ports, cluster, canary, stable, signal, emit } = ctx;
  const health = await pairHealth(ctx);
  if (health.stableHealthy === 0) {
    emit({ type: 'canary-warning', message: `the stable target group has no healthy targets; sending traffic back to it anyway, as it runs the last known good revision` });
  }
  await shiftTraffic(ctx, 0);
  await ports.services.setDesiredCount(cluster, canary.name, 0, signal);
  emit({ type: 'canary-scaled-down', service: canary.name });
  let restoredTo: string | undefined;
  if (options.revisions) {
    const { canary: canaryRevision, previousStable } = options.revisions;
    const current = await ports.ecs.findService(cluster, stable.name, signal);
    if (current && taskDefinitionLabel(current.taskDefinition) === taskDefinitionLabel(canaryRevision)) {
      const updated = await ports.ecs.startDeployment({ cluster, service: stable.name, taskDefinitionArn: previousStable }, signal);
      const primary = (updated.deployments ?? []).find((d) => d.status === 'PRIMARY');
      restoredTo = primary?.taskDefinition ?? previousStable;
      emit({ type: 'service-updated', cluster, service: stable.name, taskDefinitionArn: restoredTo, deploymentId: primary?.id ?? '', desiredCount: undefined });
    }
  }
  const keys = CANARY_TAG_KEYS.filter((k) => !(options.keepAbortMarker && k === TAG.abort));
  await ports.services.removeTags(canary.arn, keys, signal);
  await ports.services.removeTags(stable.arn, [TAG.canaryService], signal);
  return { stableRestoredTo: restoredTo };
}
