import type { CanaryContext, CanaryRecorder } from './context.js';
import { healthyCount, watchCanary } from './decisions.js';
import { CanaryInterrupted } from './interruption.js';
import { readRecord, type CanaryRecord } from './state-tag.js';

/**
 * One look between waits: an abort asked from elsewhere, the canary's health
 * (when it should be serving), and the heartbeat. Throws CanaryInterrupted
 * when the canary must stop; returns what the tags hold (promote markers).
 */
export async function checkpoint(ctx: CanaryContext, recorder: CanaryRecorder, options: { canaryHealth: boolean }): Promise<CanaryRecord> {
  const { ports, canary, signal } = ctx;
  const record = readRecord(await ports.services.readTags(canary.arn, signal));
  const healthy = options.canaryHealth ? healthyCount(await ports.loadBalancers.readTargetHealth(canary.targetGroupArn, signal)) : 1;
  const verdict = watchCanary(recorder.state.run, record.abort, healthy);
  if (verdict.kind === 'abort') throw new CanaryInterrupted('aborted', `aborted with ecs-rollout abort${verdict.by ? ` by ${verdict.by}` : ''}`);
  if (verdict.kind === 'canary-unhealthy') throw new CanaryInterrupted('rolled-back', verdict.reason);
  await recorder.beat();
  return record;
}
