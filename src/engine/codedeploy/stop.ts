import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { doing } from '../../spec/errors.js';
import type { DeployResult, RunOptions } from '../deploy.js';
import type { EventBody } from '../events.js';
import type { HistoryEntry } from '../history.js';
import type { CodeDeployPort } from '../ports.js';
import { namingRollback, untilEnded } from './ongoing.js';

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
  const polling = { clock: options.clock, pollIntervalMs: request.pollIntervalMs, deadline: startedAt + request.timeoutMs, signal: options.signal };
  const timedOut = (status: string | undefined): DeployResult => ({
    ...frame, outcome: 'timed-out', reason: 'not finished after the timeout', finishedAt: finishedAt(),
    message: `the rollback of service ${service} is still ${status ?? 'Unknown'} after the timeout; it keeps going in CodeDeploy`,
  });
  const failed = (info: DeploymentInfo): DeployResult => {
    const reason = info.errorInformation?.message ?? info.status ?? 'Unknown';
    return { ...frame, outcome: 'failed', reason, finishedAt: finishedAt(), message: `the rollback of service ${service} ended ${info.status ?? 'Unknown'}: ${reason}` };
  };
  const stopped = await untilEnded(port, id, polling);
  if (!stopped.ended) return timedOut(stopped.info.status);
  // The stopped deployment names the rollback deployment; that one ending Succeeded means production is back.
  const rollbackId = (await namingRollback(port, stopped.info, polling)).rollbackInfo?.rollbackDeploymentId;
  if (rollbackId === undefined) return failed(stopped.info);
  const back = await untilEnded(port, rollbackId, polling);
  if (!back.ended) return timedOut(back.info.status);
  if (back.info.status !== 'Succeeded') return failed(back.info);
  return {
    ...frame, rollbackDeploymentId: rollbackId, outcome: 'succeeded', reason: undefined, finishedAt: finishedAt(),
    message: `rolled back service ${service} in cluster ${cluster}: CodeDeploy deployment ${id} of ${ongoing.revision} stopped and rolled back (rollback deployment ${rollbackId} succeeded)`,
  };
}
