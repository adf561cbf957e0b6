import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { doing, RolloutError } from '../spec/errors.js';
import type { StrategyConfig } from '../spec/strategy.js';
import type { AnalysisSectionConfig } from '../spec/analysis.js';
import { deploy, type DeployResult, type RunOptions } from './deploy.js';
import type { EventBody, EventListener } from './events.js';
import { readHistory, outcomeOf, type HistoryEntry } from './history.js';
import { abortServiceDeployment } from './operator.js';
import type { CodeDeployPort, Ports } from './ports.js';
import { taskDefinitionLabel } from './revision.js';
import { chooseRollbackTarget } from './rollback-target.js';
import { isOngoing } from './strategies/native-observation.js';
import { stopCodeDeployAndFollow } from './codedeploy/stop.js';
import { assembleCodeDeployHistory } from './codedeploy/history.js';
import { ongoingDeployments } from './codedeploy/ongoing.js';
import { resolveGroup } from './codedeploy/prepare.js';

export interface RollbackRequest {
  cluster: string;
  service: string;
  /** REVISION (family:N or N), image TAG or COMMIT; undefined: the last revision that completed a deployment. */
  to?: string | undefined;
  /** The container whose image tells the revisions apart; default: the one that differs. */
  container?: string | undefined;
  timeoutMs: number;
  pollIntervalMs: number;
  dryRun?: boolean | undefined;
  /** How many deployments back to look for a target. */
  historyLimit: number;
  /** The file's strategy block: the rollback is deployed the way the service deploys (its gates run too). */
  strategyConfig?: StrategyConfig | undefined;
  analysisConfig?: AnalysisSectionConfig | undefined;
  /** The service's deploy lock, as deploy takes it. */
  lock?: { deploymentId: string; who: string; force: boolean } | undefined;
}

/**
 * Rolls the service back. A deployment still in progress is stopped with
 * StopServiceDeployment ROLLBACK and followed until ECS has finished rolling
 * it back. Otherwise the revision chosen from the history (rollback-target.ts)
 * is deployed again as it is, nothing registered, through the service's own
 * strategy, and followed like any deploy.
 */
export async function rollback(ports: Ports, request: RollbackRequest, options: RunOptions): Promise<DeployResult> {
  const { cluster, service } = request;
  const emit = (event: EventBody): void => options.onEvent?.({ ...event, at: new Date(options.clock.now()).toISOString() } as Parameters<EventListener>[0]);
  const current = await doing(`describe service ${service} in cluster ${cluster}`, () => ports.ecs.findService(cluster, service, options.signal));
  const codeDeploy = current?.deploymentController?.type === 'CODE_DEPLOY' ? ports.codeDeploy : undefined;
  const history = await readHistory(ports, { cluster, service, codeDeploy: request.strategyConfig?.codeDeploy }, request.historyLimit, options.signal);
  const ongoing = codeDeploy ? await codeDeployInProgress(codeDeploy, request, history, options.signal) : history.find((e) => isOngoing(e.status));
  if (ongoing) {
    if (request.to !== undefined) {
      throw new RolloutError('InvalidArguments', `--to ${request.to}: service ${service} has a deployment in progress (${ongoing.revision}, ${ongoing.status}); run ecs-rollout rollback without --to to stop it with ROLLBACK, then choose a revision`);
    }
    return codeDeploy ? stopCodeDeployAndFollow(codeDeploy, request, ongoing, emit, options) : stopAndFollow(ports, request, ongoing, emit, options);
  }

  const currentArn = current?.taskDefinition ?? '';
  const choice = chooseRollbackTarget(history, currentArn, request.to);
  if (!choice.ok) throw new RolloutError('InvalidArguments', `cannot roll back service ${service}: ${choice.message}`);
  const targetArn = choice.entry.taskDefinitionArn ?? '';
  emit({ type: 'rollback-target', taskDefinitionArn: targetArn, from: currentArn, why: choice.why });

  const [target, running] = await Promise.all([
    doing(`describe task definition ${taskDefinitionLabel(targetArn)}`, () => ports.ecs.readTaskDefinition(targetArn, options.signal)),
    doing(`describe task definition ${taskDefinitionLabel(currentArn)}`, () => ports.ecs.readTaskDefinition(currentArn, options.signal)),
  ]);
  if (!target) throw new RolloutError('PreflightFailed', `cannot roll back to ${taskDefinitionLabel(targetArn)}: ECS no longer describes it (deregistered and deleted?); choose another with --to`);
  const container = telltaleContainer(target.taskDefinition.containerDefinitions ?? [], running?.taskDefinition.containerDefinitions ?? [], request.container);
  if (!container?.name || !container.image) throw new RolloutError('InvalidArguments', `--container ${request.container ?? ''}: ${taskDefinitionLabel(targetArn)} has no such container with an image`);

  return deploy(
    ports,
    {
      cluster,
      service,
      container: container.name,
      change: { image: container.image },
      revisionArn: targetArn,
      timeoutMs: request.timeoutMs,
      pollIntervalMs: request.pollIntervalMs,
      dryRun: request.dryRun,
      // Deployed the way the service deploys: its strategy, the file's settings, no managed hooks left waiting.
      strategyConfig: request.strategyConfig ?? {},
      analysisConfig: request.analysisConfig,
      // The alarm firing is most likely why we roll back: it must not stop the way back.
      preexistingDeploymentAlarm: 'proceed',
      lock: request.lock,
    },
    options,
  );
}

/**
 * The CodeDeploy deployment in progress, as its history entry; undefined when
 * none runs. CodeDeploy's own rollback deployment running is refused: it is
 * already going back.
 */
async function codeDeployInProgress(port: CodeDeployPort, request: RollbackRequest, history: readonly HistoryEntry[], signal: AbortSignal | undefined): Promise<HistoryEntry | undefined> {
  const { application, group } = await resolveGroup(port, request.cluster, request.service, request.strategyConfig?.codeDeploy, signal);
  const { release, rollback: running } = await ongoingDeployments(port, application, group.deploymentGroupName ?? '', signal);
  if (release) return history.find((e) => e.serviceDeploymentArn === release.deploymentId) ?? assembleCodeDeployHistory([release], new Map())[0];
  if (running) throw new RolloutError('InvalidArguments', `service ${request.service} is being rolled back already: CodeDeploy rollback deployment ${running.deploymentId ?? '-'} is ${running.status ?? '-'}; let it finish`);
  return undefined;
}

/** The container whose image differs between the revisions (the one deploys change), or the one asked for, or the first. Pure. */
export function telltaleContainer(target: readonly ContainerDefinition[], running: readonly ContainerDefinition[], asked: string | undefined): ContainerDefinition | undefined {
  if (asked !== undefined) return target.find((c) => c.name === asked);
  return target.find((c) => running.find((r) => r.name === c.name)?.image !== c.image) ?? target[0];
}

async function stopAndFollow(ports: Ports, request: RollbackRequest, ongoing: HistoryEntry, emit: (event: EventBody) => void, options: RunOptions): Promise<DeployResult> {
  const { cluster, service } = request;
  const startedAt = options.clock.now();
  const frame = {
    cluster, service, container: '', image: ongoing.image ?? '', strategy: ongoing.strategy ?? 'ROLLING',
    previousTaskDefinitionArn: ongoing.taskDefinitionArn ?? '', taskDefinitionArn: undefined, deploymentId: undefined,
    serviceDeploymentArn: ongoing.serviceDeploymentArn, rollbackDeploymentId: undefined, serviceEvents: [], stoppedTasks: [],
    startedAt: new Date(startedAt).toISOString(),
  };
  if (request.dryRun) {
    return { ...frame, outcome: 'planned', reason: undefined, message: `dry run: would stop service deployment ${ongoing.serviceDeploymentArn} (${ongoing.revision}, ${ongoing.status}) with ROLLBACK; nothing was changed`, finishedAt: new Date(options.clock.now()).toISOString() };
  }
  const stopped = await abortServiceDeployment(ports, { cluster, service }, options.signal);
  emit({ type: 'rollback-requested', serviceDeploymentArn: stopped.serviceDeploymentArn, status: stopped.status, stage: stopped.stage, message: stopped.message });
  const deadline = startedAt + request.timeoutMs;
  let last = stopped.status;
  for (;;) {
    const sd = await doing(`describe service deployment ${stopped.serviceDeploymentArn}`, () => ports.ecs.readServiceDeployment(cluster, stopped.serviceDeploymentArn, options.signal));
    const status = sd?.status ?? 'UNKNOWN';
    if (status !== last) {
      emit({ type: 'stage-changed', serviceDeploymentArn: stopped.serviceDeploymentArn, stage: sd?.lifecycleStage ?? status, previousStage: undefined, status });
      last = status;
    }
    const outcome = outcomeOf(status);
    const finishedAt = new Date(options.clock.now()).toISOString();
    if (status === 'ROLLBACK_SUCCESSFUL') {
      return { ...frame, outcome: 'succeeded', reason: undefined, finishedAt, message: `rolled back service ${service} in cluster ${cluster}: service deployment of ${ongoing.revision} stopped and rolled back (ROLLBACK_SUCCESSFUL)` };
    }
    if (outcome !== 'in-progress') {
      const reason = sd?.rollback?.reason ?? sd?.statusReason ?? status;
      return { ...frame, outcome: 'failed', reason, finishedAt, message: `the rollback of service ${service} ended ${status}: ${reason}` };
    }
    if (options.clock.now() >= deadline) {
      return { ...frame, outcome: 'timed-out', reason: 'not finished after the timeout', finishedAt, message: `the rollback of service ${service} is still ${status} after the timeout; it keeps going in ECS (watch it with ecs-rollout status)` };
    }
    await options.clock.sleep(request.pollIntervalMs, options.signal);
  }
}
