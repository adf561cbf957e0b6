import { doing } from '../../spec/errors.js';
import type { DeployResult, RunOptions } from '../deploy.js';
import type { EventBody } from '../events.js';
import type { HistoryEntry } from '../history.js';
import type { CodeDeployPort } from '../ports.js';
import { ROLLBACK_ID_LOOKS } from './follow.js';
import { ONGOING_STATUSES } from './observation.js';

/**
 * `ecs-rollout rollback` while a CodeDeploy deployment is in progress:
 * StopDeployment with autoRollbackEnabled, then the stopped deployment and
 * the rollback deployment CodeDeploy makes are followed until production is
 * back on the original task set.
 */
export async function stopCodeDeployAndFollow(
  port: CodeDeployPort, request: { cluster: string; service: string; timeoutMs: number; pollIntervalMs: number; dryRun?: boolean | undefined },
  ongoing: HistoryEntry, emit: (event: EventBody) => void, options: RunOptions,
): Promise<DeployResult> {
  const { cluster, service } = request;
  const id = ongoing.serviceDeploymentArn;
  const startedAt = options.clock.now();
  const frame = {
    cluster, service, container: '', image: ongoing.image ?? '', strategy: ongoing.strategy ?? 'CodeDeploy',
    previousTaskDefinitionArn: ongoing.taskDefinitionArn ?? '', taskDefinitionArn: undefined, deploymentId: id,
    serviceDeploymentArn: undefined, rollbackDeploymentId: undefined, serviceEvents: [], stoppedTasks: [],
    startedAt: new Date(startedAt).toISOString(),
  };
  const finishedAt = (): string => new Date(options.clock.now()).toISOString();
  if (request.dryRun) {
    return { ...frame, outcome: 'planned', reason: undefined, message: `dry run: would stop CodeDeploy deployment ${id} (${ongoing.revision}, ${ongoing.status}) with rollback; nothing was changed`, finishedAt: finishedAt() };
  }
  await doing(`stop CodeDeploy deployment ${id} with rollback`, () => port.stopDeployment(id, true, options.signal));
  emit({ type: 'rollback-requested', serviceDeploymentArn: id, status: ongoing.status, stage: undefined, message: `stopped CodeDeploy deployment ${id} (${ongoing.revision}, was ${ongoing.status}) with rollback` });
  const deadline = startedAt + request.timeoutMs;
  let watched = id;
  // The stopped deployment may show Stopped a moment before it names its rollback deployment.
  let looksLeft = ROLLBACK_ID_LOOKS;
  for (;;) {
    const info = await doing(`read CodeDeploy deployment ${watched}`, () => port.readDeployment(watched, options.signal));
    const status = info.status ?? 'Unknown';
    if (!ONGOING_STATUSES.includes(status)) {
      // The stopped deployment names the rollback deployment; that one ending Succeeded means production is back.
      const next = watched === id ? info.rollbackInfo?.rollbackDeploymentId : undefined;
      if (next !== undefined) {
        watched = next;
        continue;
      }
      if (watched === id && looksLeft > 0) {
        looksLeft -= 1;
        await options.clock.sleep(request.pollIntervalMs, options.signal);
        continue;
      }
      if (watched !== id && status === 'Succeeded') {
        return { ...frame, rollbackDeploymentId: watched, outcome: 'succeeded', reason: undefined, finishedAt: finishedAt(), message: `rolled back service ${service} in cluster ${cluster}: CodeDeploy deployment ${id} of ${ongoing.revision} stopped and rolled back (rollback deployment ${watched} succeeded)` };
      }
      const reason = info.errorInformation?.message ?? status;
      return { ...frame, outcome: 'failed', reason, finishedAt: finishedAt(), message: `the rollback of service ${service} ended ${status}: ${reason}` };
    }
    if (options.clock.now() >= deadline) {
      return { ...frame, outcome: 'timed-out', reason: 'not finished after the timeout', finishedAt: finishedAt(), message: `the rollback of service ${service} is still ${status} after the timeout; it keeps going in CodeDeploy` };
    }
    await options.clock.sleep(request.pollIntervalMs, options.signal);
  }
}
