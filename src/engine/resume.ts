import { randomUUID } from 'node:crypto';
import type { LoadBalancer, Service } from '@aws-sdk/client-ecs';
import { resolveAnalyses, analysisBudgets, type AnalysisSectionConfig } from '../spec/analysis.js';
import { doing, RolloutError } from '../spec/errors.js';
import { resolveGates, type StrategyConfig } from '../spec/strategy.js';
import { acquireLock, LOCK_MARGIN_MS, releaseLock } from './deploy-lock.js';
import { followStarted, type DeployResult, type RunOptions, type Started } from './deploy.js';
import { appSpecTaskDefinition } from './codedeploy/history.js';
import { ongoingDeployments } from './codedeploy/ongoing.js';
import { checkGroup } from './codedeploy/plan.js';
import { followSettings, resolveGroup } from './codedeploy/prepare.js';
import type { EventBody, EventListener } from './events.js';
import { routeVariablesDuring, testRuleOf } from './native-analysis-variables.js';
import type { Ports } from './ports.js';
import { readReleaseTags } from './release-tags.js';
import { taskDefinitionLabel } from './revision.js';
import { isOngoing } from './strategies/native-observation.js';

export interface ResumeRequest {
  cluster: string;
  service: string;
  timeoutMs: number;
  pollIntervalMs: number;
  /** The file's strategy block: its gates run at the hooks that are (or come to be) waiting. */
  strategyConfig?: StrategyConfig | undefined;
  analysisConfig?: AnalysisSectionConfig | undefined;
  who: string;
  force: boolean;
}

/**
 * Picks up a deployment whose deploy stopped watching (killed, cancelled
 * with --on-cancel detach, timed out): the service's deployment in progress,
 * as ECS shows it. It takes the deploy lock (the dead deploy's lock is taken
 * over when it belongs to the same release), runs the file's gates at the
 * PAUSE hooks that wait, and follows the deployment to its end like deploy.
 */
export async function resumeDeployment(ports: Ports, request: ResumeRequest, options: RunOptions): Promise<DeployResult> {
  const { clock, signal } = options;
  const { cluster, service: name } = request;
  const emit = (event: EventBody): void => options.onEvent?.({ ...event, at: new Date(clock.now()).toISOString() } as Parameters<EventListener>[0]);
  const startedAt = clock.now();

  const service = await doing(`describe service ${name} in cluster ${cluster}`, () => ports.ecs.findService(cluster, name, signal));
  if (!service?.serviceArn || service.status !== 'ACTIVE') throw new RolloutError('InvalidArguments', `nothing to resume: service ${name} ${service ? `is ${service.status}` : 'does not exist'} in cluster ${cluster}`);
  const found = service.deploymentController?.type === 'CODE_DEPLOY'
    ? await findCodeDeployInProgress(ports, request, service, signal)
    : await findServiceDeploymentInProgress(ports, request, service, signal);
  const { taskDefinitionArn, previousTaskDefinitionArn, deploymentId, strategy, serviceDeploymentArn, codeDeploy, targetWeight } = found;
  const definition = await doing(`describe task definition ${taskDefinitionLabel(taskDefinitionArn)}`, () => ports.ecs.readTaskDefinition(taskDefinitionArn, signal));
  const release = readReleaseTags(definition?.tags ?? []);
  emit({ type: 'deployment-resumed', serviceDeploymentArn: serviceDeploymentArn ?? deploymentId, taskDefinitionArn, status: found.status, stage: found.stage, startedBy: release.who });

  // The release's own id: the dead deploy's lock is this deploy's to take over.
  const lockId = release.deploymentId ?? randomUUID();
  const services = ports.services;
  if (services) {
    await acquireLock(services, { serviceArn: service.serviceArn, service: name, deploymentId: lockId, who: request.who, force: request.force, now: clock.now(), ttlMs: request.timeoutMs + LOCK_MARGIN_MS }, emit, signal);
  }
  try {
    const analyses = resolveAnalyses(request.analysisConfig);
    const gates = resolveGates(request.strategyConfig?.gates, analysisBudgets(analyses));
    const image = release.image ?? (definition?.taskDefinition.containerDefinitions ?? []).map((c) => c.image).join(', ');
    const native = codeDeploy === undefined && strategy !== 'ROLLING';
    const route = native && gates.some((g) => g.check.kind === 'analysis')
      ? await readRouteDuring(ports, service.loadBalancers ?? [], targetWeight, signal)
      : undefined;
    return await followStarted(ports, options, emit, {
      request: { cluster, service: name, change: { image }, timeoutMs: request.timeoutMs, pollIntervalMs: request.pollIntervalMs, strategyConfig: request.strategyConfig, analysisConfig: request.analysisConfig },
      startedAt,
      deadline: startedAt + request.timeoutMs,
      base: {
        cluster, service: name, container: '', image, strategy, previousTaskDefinitionArn, serviceDeploymentArn, rollbackDeploymentId: undefined,
        serviceEvents: [], stoppedTasks: [], startedAt: new Date(startedAt).toISOString(),
      },
      // Events from before the resume were the dead deploy's to show.
      knownEventIds: new Set((service.events ?? []).flatMap((e) => (e.id ? [e.id] : []))),
      serviceDeploymentArn,
      deploymentId,
      taskDefinitionArn,
      previousTaskDefinitionArn,
      native,
      gates,
      analyses,
      preexistingAlarms: new Map(),
      route,
      firingDeploymentAlarms: [],
      codeDeploy,
    });
  } finally {
    if (services) await releaseLock(services, service.serviceArn, lockId);
  }
}

/** The deployment a resume follows, as AWS shows it. */
interface InProgress {
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  deploymentId: string;
  strategy: string;
  status: string;
  stage: string | undefined;
  /** ECS's service deployment; undefined for CodeDeploy's. */
  serviceDeploymentArn: string | undefined;
  /** What ECS asked for the new revision's share of production (for the analyses' target groups). */
  targetWeight: number | undefined;
  codeDeploy: Started['codeDeploy'];
}

/** The service's ECS deployment in progress (ListServiceDeployments), with its revisions. */
async function findServiceDeploymentInProgress(ports: Ports, request: ResumeRequest, service: Service, signal: AbortSignal | undefined): Promise<InProgress> {
  const { cluster, service: name } = request;
  const briefs = (await doing(`list the service deployments of service ${name}`, () => ports.ecs.listServiceDeployments(cluster, name, signal))) ?? [];
  const ongoing = briefs.find((b) => isOngoing(b.status));
  if (!ongoing?.serviceDeploymentArn) {
    throw new RolloutError('InvalidArguments', `nothing to resume: service ${name} in cluster ${cluster} has no deployment in progress${briefs[0] ? ` (the latest is ${briefs[0].status ?? 'UNKNOWN'})` : ''}`);
  }
  const serviceDeploymentArn = ongoing.serviceDeploymentArn;
  const sd = await doing(`describe service deployment ${serviceDeploymentArn}`, () => ports.ecs.readServiceDeployment(cluster, serviceDeploymentArn, signal));
  const revisionArns = [sd?.targetServiceRevision?.arn ?? ongoing.targetServiceRevisionArn, ...(sd?.sourceServiceRevisions ?? []).map((r) => r.arn)].filter((a): a is string => a !== undefined);
  const revisions = (await doing('describe the service revisions', () => ports.ecs.readServiceRevisions(revisionArns, signal))) ?? [];
  const taskDefinitionArn = revisions.find((r) => r.serviceRevisionArn === revisionArns[0])?.taskDefinition ?? service.taskDefinition ?? '';
  const previousTaskDefinitionArn = revisions.find((r) => r.serviceRevisionArn !== revisionArns[0])?.taskDefinition ?? activeTaskDefinition(service, taskDefinitionArn);
  const deploymentId = (service.deployments ?? []).find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinitionArn)?.id ?? (service.deployments ?? []).find((d) => d.status === 'PRIMARY')?.id ?? '';
  const strategy = sd?.deploymentConfiguration?.strategy ?? service.deploymentConfiguration?.strategy ?? 'ROLLING';

  return {
    taskDefinitionArn, previousTaskDefinitionArn, deploymentId, strategy, status: sd?.status ?? ongoing.status ?? 'UNKNOWN', stage: sd?.lifecycleStage, serviceDeploymentArn,
    targetWeight: sd?.targetServiceRevision?.requestedProductionTrafficWeight, codeDeploy: undefined,
  };
}

/** The newest deployment of the service's CodeDeploy deployment group that has not ended, with the task definition its AppSpec names. */
async function findCodeDeployInProgress(ports: Ports, request: ResumeRequest, service: Service, signal: AbortSignal | undefined): Promise<InProgress> {
  const { cluster, service: name } = request;
  const port = ports.codeDeploy;
  if (!port) throw new RolloutError('AwsRequestFailed', `service ${name} is deployed by CodeDeploy, and this endpoint has no CodeDeploy`);
  const { application, group } = await resolveGroup(port, cluster, name, request.strategyConfig?.codeDeploy, signal);
  const groupName = group.deploymentGroupName ?? '';
  const { release: info, rollback } = await ongoingDeployments(port, application, groupName, signal);
  if (!info?.deploymentId) {
    const why = rollback ? `CodeDeploy is rolling back with deployment ${rollback.deploymentId ?? '-'}` : 'it has no deployment in progress';
    throw new RolloutError('InvalidArguments', `nothing to resume: CodeDeploy deployment group ${groupName} (application ${application}) of service ${name}: ${why}`);
  }
  const newest = info.deploymentId;
  // The file's gates must suit the group, as a fresh deploy checks.
  checkGroup(group, `${groupName} (application ${application})`, resolveGates(request.strategyConfig?.gates));
  return {
    taskDefinitionArn: appSpecTaskDefinition(info) ?? service.taskDefinition ?? '',
    // While CodeDeploy deploys, the service's task definition is still the original task set's.
    previousTaskDefinitionArn: service.taskDefinition ?? '',
    deploymentId: newest,
    strategy: `CodeDeploy ${info.deploymentConfigName ?? ''}`.trim(),
    status: info.status ?? 'Unknown',
    stage: undefined,
    serviceDeploymentArn: undefined,
    targetWeight: undefined,
    codeDeploy: { port, ...followSettings(group, request.strategyConfig) },
  };
}

/** Which of the pair runs the new revision, from the rules as they are now (native-analysis-variables.ts routeVariablesDuring). */
async function readRouteDuring(ports: Ports, loadBalancers: readonly LoadBalancer[], canaryWeight: number | undefined, signal: AbortSignal | undefined): Promise<Record<string, string> | undefined> {
  const production = loadBalancers.find((lb) => lb.advancedConfiguration?.productionListenerRule)?.advancedConfiguration?.productionListenerRule;
  if (!production || !ports.loadBalancers) return undefined;
  const read = async (arn: string) => (await ports.loadBalancers?.readRouteActions({ kind: arn.includes(':listener-rule/') ? 'rule' : 'listener', arn }, signal))?.actions;
  const testRule = testRuleOf(loadBalancers);
  const [productionActions, testActions] = await Promise.all([read(production), testRule ? read(testRule) : Promise.resolve(undefined)]);
  return productionActions ? routeVariablesDuring(loadBalancers, productionActions, testActions, canaryWeight) : undefined;
}

function activeTaskDefinition(service: Service, target: string): string {
  return (service.deployments ?? []).find((d) => d.taskDefinition !== target)?.taskDefinition ?? '';
}
