import type { LoadBalancer, Service } from '@aws-sdk/client-ecs';
import type { TrafficRoute } from '../spec/alb-canary.js';
import type { PreexistingAlarms } from '../analysis/providers/alarm.js';
import { checkPreexistingAlarms, deploymentAlarmUses } from '../analysis/preexisting-alarms.js';
import { createAnalysisRunner } from '../analysis/runner.js';
import { analysisBudgets, resolveAnalyses, type Analysis, type AnalysisSectionConfig } from '../spec/analysis.js';
import { describeCause, RolloutError, systemError } from '../spec/errors.js';
import type { Clock } from './clock.js';
import type { EventBody, EventListener, ServiceEventRecord, StoppedTaskRecord } from './events.js';
import { followDeployment, type FollowEnd } from './follow.js';
import { followNativeDeployment, type NativeFollowEnd } from './follow-native.js';
import { followCodeDeployDeployment } from './codedeploy/follow.js';
import { prepareCodeDeploy, startCodeDeploy, type CodeDeployPlan } from './codedeploy/prepare.js';
import { routeVariables } from './native-analysis-variables.js';
import type { Ports } from './ports.js';
import { planNativeDeployment, type NativePlan } from './strategies/native-config.js';
import { runPreflight, type PreflightRequest } from './preflight.js';
import { verifyRelease } from './verify.js';
import { failureDetail, type FailureDetail } from './diagnose.js';
import { acquireLock, LOCK_MARGIN_MS, releaseLock } from './deploy-lock.js';
import { withReleaseTags } from './release-tags.js';
import { planRevision, taskDefinitionLabel } from './revision.js';
import { ECS_STRATEGY, resolveGates, STRATEGY_NAMES, type StrategyConfig, type StrategyName } from '../spec/strategy.js';

export interface DeployRequest extends PreflightRequest {
  desiredCount?: number | undefined;
  /** How long to follow the deployment before giving up on it (it keeps going in ECS). */
  timeoutMs: number;
  pollIntervalMs: number;
  /** Run the preflight and show the revision that would be registered; change nothing. */
  dryRun?: boolean | undefined;
  /**
   * How ECS rolls the revision out. Undefined: as the service is configured
   * (nothing about the deployment configuration is sent).
   */
  strategy?: StrategyName | undefined;
  /** The strategy block of ecs-rollout.yaml: percentages, bakes, listener rules, alarms, gates. */
  strategyConfig?: StrategyConfig | undefined;
  /** The analysis: section of ecs-rollout.yaml: the analyses gates may name. */
  analysisConfig?: AnalysisSectionConfig | undefined;
  /** Recorded on the new revision as tags (release-tags.ts); the image and time are filled in. */
  release?: { commit: string | undefined; who: string; deploymentId: string } | undefined;
  /**
   * Deploy this existing task definition revision instead of registering
   * one (a rollback): preflight still checks its image; nothing is registered.
   */
  revisionArn?: string | undefined;
  /** Check only cluster, service, task definition, container and image, not the roles, secrets, log groups and target groups (verify.ts). */
  skipVerify?: boolean | undefined;
  /** One deploy per service at a time (deploy-lock.ts): whose deploy this is; force takes over a lock someone else holds. */
  lock?: { deploymentId: string; who: string; force: boolean } | undefined;
  /** What a deployment alarm already in ALARM does when the file does not say (strategy.alarms.preexistingAlarm); default stop. */
  preexistingDeploymentAlarm?: 'stop' | 'proceed' | undefined;
  /** strategy.codeDeploy.appSpec, read: the AppSpec a CodeDeploy deployment sends, with the new task definition filled in. */
  appSpecFile?: { path: string; text: string } | undefined;
}

export interface RunOptions {
  /** Real time: polls, --timeout, event times. */
  clock: Clock;
  /**
   * The time the deployment's own durations are counted in (analysis
   * intervals and metric windows, canary pauses): the system clock against
   * AWS, the emulator's (which may run faster) against the emulator.
   * Defaults to `clock`.
   */
  stepClock?: { clock: Clock; speed: number } | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: EventListener | undefined;
}

export type DeployOutcome = 'succeeded' | 'rolled-back' | 'aborted' | 'failed' | 'timed-out' | 'planned';

export interface DeployResult {
  outcome: DeployOutcome;
  /** One sentence for humans. */
  message: string;
  cluster: string;
  service: string;
  container: string;
  image: string;
  /** The strategy ECS ran: the one asked for, or the service's own. */
  strategy: string;
  previousTaskDefinitionArn: string;
  taskDefinitionArn: string | undefined;
  deploymentId: string | undefined;
  /** The ECS service deployment, where the endpoint reports one. */
  serviceDeploymentArn: string | undefined;
  rollbackDeploymentId: string | undefined;
  reason: string | undefined;
  serviceEvents: ServiceEventRecord[];
  stoppedTasks: StoppedTaskRecord[];
  /** On failure: failing health checks and the failing containers' last log lines. */
  failureDetail?: FailureDetail | undefined;
  startedAt: string;
  finishedAt: string;
}

/**
 * Deploys a new image to an ECS service: preflight, register a revision with
 * only one container's image changed, start a deployment, follow it to its
 * end. Preflight misses throw a user error before anything changes; AWS
 * failures throw a system error saying what was being done.
 */
export async function deploy(ports: Ports, request: DeployRequest, options: RunOptions): Promise<DeployResult> {
  const { clock, signal } = options;
  const services = ports.services;
  if (!request.lock || !services || request.dryRun) return deployUnlocked(ports, request, options);
  const emit = (event: EventBody): void => options.onEvent?.({ ...event, at: new Date(clock.now()).toISOString() } as Parameters<EventListener>[0]);
  // A service that is not there, or an endpoint that does not answer, is the preflight's to report.
  const found = await ports.ecs.findService(request.cluster, request.service, signal).catch(() => undefined);
  if (!found?.serviceArn) return deployUnlocked(ports, request, options);
  const serviceArn = found.serviceArn;
  const { deploymentId, who, force } = request.lock;
  await guard(`lock service ${request.service}`, () =>
    acquireLock(services, { serviceArn, service: request.service, deploymentId, who, force, now: clock.now(), ttlMs: request.timeoutMs + LOCK_MARGIN_MS }, emit, signal),
  );
  try {
    return await deployUnlocked(ports, request, options);
  } finally {
    await releaseLock(services, serviceArn, deploymentId);
  }
}

async function deployUnlocked(ports: Ports, request: DeployRequest, options: RunOptions): Promise<DeployResult> {
  const { clock, signal } = options;
  const startedAt = clock.now();
  const deadline = startedAt + request.timeoutMs;
  const emit = (event: EventBody): void => options.onEvent?.({ ...event, at: new Date(clock.now()).toISOString() } as Parameters<EventListener>[0]);
  const { cluster, service: serviceName } = request;

  const check = request.skipVerify ? runPreflight : verifyRelease;
  const findings = await guard(`run preflight checks for service ${serviceName} in cluster ${cluster}`, () => check(ports, request, emit, signal));
  const previousTaskDefinitionArn = findings.service.taskDefinition ?? '';
  const analyses = resolveAnalyses(request.analysisConfig);
  const gates = resolveGates(request.strategyConfig?.gates, analysisBudgets(analyses));
  const codeDeploy = findings.service.deploymentController?.type === 'CODE_DEPLOY'
    ? await guard(`plan the CodeDeploy deployment of service ${serviceName}`, () =>
      prepareCodeDeploy(ports, { ...request, strategy: request.strategy, strategyConfig: request.strategyConfig, appSpecFile: request.appSpecFile }, gates, findings.service, emit, signal))
    : undefined;
  if (codeDeploy && request.desiredCount !== undefined) {
    throw new RolloutError('InvalidArguments', `--desired-count (or desiredCount in the file): a CodeDeploy deployment keeps service ${serviceName}'s task count; change it with ecs-rollout scale, then deploy without it`);
  }
  const plan = codeDeploy ? undefined : await guard(`plan the deployment configuration of service ${serviceName}`, async () => planFor(request, gates, findings.service, emit));
  const strategy = codeDeploy
    ? `CodeDeploy ${codeDeploy.config.name ?? codeDeploy.group.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce'}`
    : plan?.deploymentConfiguration.strategy ?? findings.service.deploymentConfiguration?.strategy ?? 'ROLLING';
  const native = codeDeploy === undefined && strategy !== 'ROLLING';
  // Gates run only at the PAUSE hooks of native strategies and CodeDeploy's ready wait; their analyses' alarms are checked before anything changes.
  const gatedAnalyses = native || codeDeploy ? analysesOfGates(gates, analyses) : [];
  // ECS (and CodeDeploy) watch their deployment alarms from the start: one firing already would roll back a version that did nothing wrong.
  const preexisting = request.strategyConfig?.alarms?.preexistingAlarm ?? request.preexistingDeploymentAlarm ?? 'stop';
  const alarmsConfig = plan?.deploymentConfiguration.alarms ?? findings.service.deploymentConfiguration?.alarms;
  const groupAlarms = codeDeploy?.group.alarmConfiguration;
  const deploymentAlarms = codeDeploy
    ? (groupAlarms?.enabled ? deploymentAlarmUses((groupAlarms.alarms ?? []).flatMap((a) => (a.name ? [a.name] : [])), preexisting) : [])
    : alarmsConfig?.enable ? deploymentAlarmUses(alarmsConfig.alarmNames ?? [], preexisting) : [];
  const preexistingAlarms: PreexistingAlarms = await guard('check the alarms the deployment watches', () =>
    checkPreexistingAlarms(gatedAnalyses, ports.metrics, emit, signal, deploymentAlarms),
  );
  const firingDeploymentAlarms = deploymentAlarms.map((u) => u.alarm).filter((name) => preexistingAlarms.has(name));
  const tags = request.release ? withReleaseTags(findings.tags, { ...request.release, image: findings.image, at: clock.now() }) : findings.tags;
  const registration = planRevision(findings.taskDefinition, tags, findings.container, findings.image);
  const base = {
    cluster,
    service: serviceName,
    container: findings.container,
    image: findings.image,
    strategy,
    previousTaskDefinitionArn,
    serviceDeploymentArn: undefined,
    rollbackDeploymentId: undefined,
    serviceEvents: [],
    stoppedTasks: [],
    startedAt: new Date(startedAt).toISOString(),
  };

  if (request.dryRun) {
    emit({ type: 'revision-planned', family: registration.family ?? '', container: findings.container, image: findings.image, previousImage: findings.previousImage, basedOn: previousTaskDefinitionArn });
    return {
      ...base,
      outcome: 'planned',
      message: request.revisionArn !== undefined
        ? `dry run: would deploy ${taskDefinitionLabel(request.revisionArn)} (container ${findings.container} running ${findings.image}) to service ${serviceName} again, replacing ${taskDefinitionLabel(previousTaskDefinitionArn)}; nothing was changed`
        : `dry run: would register a new revision of ${registration.family} from ${taskDefinitionLabel(previousTaskDefinitionArn)} with container ${findings.container} running ${findings.image}, then deploy it to service ${serviceName}; nothing was changed`,
      taskDefinitionArn: undefined,
      deploymentId: undefined,
      reason: undefined,
      finishedAt: new Date(clock.now()).toISOString(),
    };
  }

  let taskDefinitionArn: string;
  if (request.revisionArn !== undefined) {
    taskDefinitionArn = request.revisionArn;
    emit({ type: 'revision-reused', taskDefinitionArn, container: findings.container, image: findings.image, previousImage: findings.previousImage });
  } else {
    const registered = await guard(`register a new revision of task definition family ${registration.family}`, () => ports.ecs.registerRevision(registration, signal));
    taskDefinitionArn = registered.taskDefinitionArn ?? '';
    emit({ type: 'revision-registered', taskDefinitionArn, container: findings.container, image: findings.image, previousImage: findings.previousImage });
  }

  const knownEventIds = new Set((findings.service.events ?? []).flatMap((e) => (e.id ? [e.id] : [])));
  // Before ECS moves anything: which of the pair green will take, for analyses' {{canary.targetGroup}}.
  const route = native && gates.some((g) => g.check.kind === 'analysis')
    ? await guard(`read the production listener rule of service ${serviceName}`, () => readRoute(ports, plan?.loadBalancers ?? findings.service.loadBalancers ?? [], signal))
    : undefined;
  if (codeDeploy) {
    const description = `ecs-rollout: ${taskDefinitionLabel(taskDefinitionArn)} (${findings.image})${request.release ? ` by ${request.release.who}` : ''}`;
    const deploymentId = await guard(`start a CodeDeploy deployment of service ${serviceName}`, () => startCodeDeploy(codeDeploy, taskDefinitionArn, description, emit, signal, firingDeploymentAlarms));
    return followStarted(ports, options, emit, {
      request, startedAt, deadline, base, knownEventIds, serviceDeploymentArn: undefined, deploymentId, taskDefinitionArn, previousTaskDefinitionArn,
      native: false, gates, analyses, preexistingAlarms, route: undefined, firingDeploymentAlarms, codeDeploy,
    });
  }
  const updateStartedAt = clock.now();
  const updated = await guard(`update service ${serviceName} in cluster ${cluster}`, () =>
    ports.ecs.startDeployment(
      {
        cluster,
        service: serviceName,
        taskDefinitionArn,
        ...(request.desiredCount !== undefined ? { desiredCount: request.desiredCount } : {}),
        ...(plan ? { deploymentConfiguration: plan.deploymentConfiguration } : {}),
        ...(plan?.loadBalancers ? { loadBalancers: plan.loadBalancers } : {}),
      },
      signal,
    ),
  );
  const primary = (updated.deployments ?? []).find((d) => d.status === 'PRIMARY' && d.taskDefinition === taskDefinitionArn) ?? (updated.deployments ?? []).find((d) => d.status === 'PRIMARY');
  if (!primary?.id) {
    throw new RolloutError('AwsRequestFailed', `failed to update service ${serviceName} in cluster ${cluster}: UpdateService returned no PRIMARY deployment to follow`);
  }
  const deploymentId = primary.id;
  emit({ type: 'service-updated', cluster, service: serviceName, taskDefinitionArn, deploymentId, desiredCount: request.desiredCount });

  const serviceDeploymentArn = updated.currentServiceDeployment ?? (await findServiceDeploymentArn(ports, cluster, serviceName, updateStartedAt, signal));

  return followStarted(ports, options, emit, {
    request, startedAt, deadline, base, knownEventIds, serviceDeploymentArn, deploymentId, taskDefinitionArn, previousTaskDefinitionArn,
    native, gates, analyses, preexistingAlarms, route, firingDeploymentAlarms,
  });
}

/** A deployment that is under way: what following it to its end needs. */
export interface Started {
  request: DeployRequest;
  startedAt: number;
  deadline: number;
  base: Omit<DeployResult, 'outcome' | 'message' | 'taskDefinitionArn' | 'deploymentId' | 'reason' | 'finishedAt'>;
  knownEventIds: Set<string>;
  serviceDeploymentArn: string | undefined;
  deploymentId: string;
  taskDefinitionArn: string;
  previousTaskDefinitionArn: string;
  native: boolean;
  gates: ReturnType<typeof resolveGates>;
  analyses: ReadonlyMap<string, Analysis>;
  preexistingAlarms: PreexistingAlarms;
  route: Readonly<Record<string, string>> | undefined;
  firingDeploymentAlarms: readonly string[];
  /** Set: the deployment is CodeDeploy's (a CODE_DEPLOY service), followed through CodeDeploy. */
  codeDeploy?: Pick<CodeDeployPlan, 'port' | 'readyWaitMinutes' | 'testListener' | 'waitForTermination'> | undefined;
}

/** Follows a started (or resumed) deployment to its end and says how it ended. */
export async function followStarted(ports: Ports, options: RunOptions, emit: (event: EventBody) => void, started: Started): Promise<DeployResult> {
  const { clock, signal } = options;
  const { request, startedAt, deadline, base, knownEventIds, serviceDeploymentArn, deploymentId, taskDefinitionArn, previousTaskDefinitionArn, native, gates, analyses, preexistingAlarms, route, firingDeploymentAlarms } = started;
  const { cluster, service: serviceName } = request;
  const followContext = {
    ports,
    clock,
    signal,
    emit,
    cluster,
    service: serviceName,
    pollIntervalMs: request.pollIntervalMs,
    deadline,
    since: startedAt - CLOCK_SKEW_MS,
    knownEventIds,
    serviceDeploymentArn,
  };
  const doing = `follow deployment ${deploymentId} of service ${serviceName} in cluster ${cluster}`;
  let end: FollowEnd | NativeFollowEnd;
  let followed: { serviceEvents: ServiceEventRecord[]; stoppedTasks: StoppedTaskRecord[]; rollbackDeploymentId: string | undefined };
  if (started.codeDeploy) {
    const cd = started.codeDeploy;
    const analysis = createAnalysisRunner({ analyses, metrics: ports.metrics, probes: ports.probes, clock: options.stepClock?.clock ?? clock, emit, preexistingAlarms });
    const report = await guard(`follow CodeDeploy deployment ${deploymentId} of service ${serviceName} in cluster ${cluster}`, () => followCodeDeployDeployment({
      ...followContext, codeDeploy: cd.port, deploymentId, gates, analysis, readyWaitMinutes: cd.readyWaitMinutes, testListener: cd.testListener,
      waitForTermination: cd.waitForTermination, awsClock: options.stepClock?.clock ?? clock,
    }));
    end = report.end;
    followed = { serviceEvents: report.serviceEvents, stoppedTasks: [], rollbackDeploymentId: report.rollbackDeploymentId };
  } else if (native) {
    const analysis = createAnalysisRunner({ analyses, metrics: ports.metrics, probes: ports.probes, clock: options.stepClock?.clock ?? clock, emit, preexistingAlarms });
    const report = await guard(doing, () => followNativeDeployment({ ...followContext, deploymentId, gates, analysis, route, ecsClock: options.stepClock?.clock ?? clock }));
    end = report.end;
    followed = { serviceEvents: report.serviceEvents, stoppedTasks: [], rollbackDeploymentId: undefined };
  } else {
    const report = await guard(doing, () => followDeployment(followContext, { deploymentId, taskDefinitionArn, previousTaskDefinitionArn }));
    end = report.end;
    followed = { serviceEvents: report.serviceEvents, stoppedTasks: report.stoppedTasks, rollbackDeploymentId: report.tracking.rollback?.deploymentId };
  }

  const failed = end.kind === 'rolled-back' || end.kind === 'failed';
  const common = {
    ...base,
    taskDefinitionArn,
    deploymentId,
    serviceDeploymentArn,
    rollbackDeploymentId: followed.rollbackDeploymentId,
    serviceEvents: followed.serviceEvents,
    stoppedTasks: followed.stoppedTasks,
    failureDetail: failed ? await explainFailure(ports, cluster, serviceName, followed.stoppedTasks, signal) : undefined,
    finishedAt: new Date(clock.now()).toISOString(),
  };
  const target = `${taskDefinitionLabel(taskDefinitionArn)} to service ${serviceName} in cluster ${cluster}`;
  switch (end.kind) {
    case 'completed':
      return { ...common, outcome: 'succeeded', reason: undefined, message: `deployed ${target} (deployment ${deploymentId} completed)` };
    case 'rolled-back': {
      const before = firingDeploymentAlarms.filter((name) => end.reason.includes(name));
      const note = before.length
        ? `; ${before.join(', ')} ${before.length > 1 ? 'were' : 'was'} already in ALARM before this deploy (preexistingAlarm: proceed), so this rollback says nothing against the new version`
        : '';
      return { ...common, outcome: 'rolled-back', reason: end.reason, message: `deployment of ${target} failed and was rolled back to ${taskDefinitionLabel(previousTaskDefinitionArn)}: ${end.reason}${note}` };
    }
    case 'aborted':
      return {
        ...common,
        outcome: 'aborted',
        reason: end.reason,
        message: end.rolledBack
          ? `deployment of ${target} was aborted and rolled back to ${taskDefinitionLabel(previousTaskDefinitionArn)}: ${end.reason}`
          : `deployment of ${target} was aborted and left where it stopped: ${end.reason}`,
      };
    case 'failed':
      return { ...common, outcome: 'failed', reason: end.reason, message: `deployment of ${target} failed and was not rolled back: ${end.reason}` };
    case 'timed-out': {
      emit({ type: 'deployment-timed-out', deploymentId, timeoutMs: request.timeoutMs });
      return {
        ...common,
        outcome: 'timed-out',
        reason: `not finished after the timeout`,
        message: `deployment ${deploymentId} of ${target} did not finish within the timeout; it keeps going in ${started.codeDeploy ? 'CodeDeploy' : 'ECS'} (watch it with ecs-rollout status; ecs-rollout deploy --resume follows it again)`,
      };
    }
  }
}

/** What a failure shows beyond events and stopped tasks; never fails the report itself. */
async function explainFailure(ports: Ports, cluster: string, service: string, stopped: readonly StoppedTaskRecord[], signal: AbortSignal | undefined): Promise<FailureDetail | undefined> {
  try {
    const found = await ports.ecs.findService(cluster, service, signal);
    const groups = (found?.loadBalancers ?? []).flatMap((lb) => [lb.targetGroupArn, lb.advancedConfiguration?.alternateTargetGroupArn]).filter((a): a is string => a !== undefined);
    return await failureDetail(ports, [...new Set(groups)], stopped, signal);
  } catch (err) {
    if (isAbort(err)) throw err;
    return undefined;
  }
}

/**
 * The deployment configuration to send, or undefined to send none: no
 * strategy asked for, or rolling asked for on a service that rolls already.
 */
function planFor(request: DeployRequest, gates: ReturnType<typeof resolveGates>, service: Service, emit: (event: EventBody) => void): NativePlan | undefined {
  const current = service.deploymentConfiguration?.strategy;
  // A strategy block without a type configures the strategy the service already has.
  const strategy = request.strategy ?? (request.strategyConfig !== undefined ? STRATEGY_NAMES.find((name) => ECS_STRATEGY[name] === (current ?? 'ROLLING')) : undefined);
  if (strategy === undefined) return undefined;
  if (strategy === 'rolling' && (current === undefined || current === 'ROLLING') && !gates.length && !request.strategyConfig?.alarms?.names) return undefined;
  try {
    const plan = planNativeDeployment(strategy, request.strategyConfig, gates, service);
    emit({ type: 'preflight-passed', check: 'strategy', message: `service ${request.service} can run ${strategy}${request.strategy === undefined ? ' (its current strategy)' : ''}` });
    emit({ type: 'strategy-planned', strategy: plan.deploymentConfiguration.strategy ?? strategy, settings: plan.settings, notes: plan.notes });
    return plan;
  } catch (err) {
    if (err instanceof RolloutError) emit({ type: 'preflight-failed', check: 'strategy', message: err.message });
    throw err;
  }
}

/** The analyses the gates name, each once, in gate order. */
function analysesOfGates(gates: ReturnType<typeof resolveGates>, analyses: ReadonlyMap<string, Analysis>): Analysis[] {
  const names = [...new Set(gates.flatMap((g) => (g.check.kind === 'analysis' ? [g.check.analysis] : [])))];
  return names.flatMap((name) => {
    const analysis = analyses.get(name);
    return analysis ? [analysis] : [];
  });
}

/** AWS's clock and ours may differ a little; events this much older than our start may still be ours. */
const CLOCK_SKEW_MS = 60_000;

/** Service deployments only add detail: when listing them fails we follow without them. */
async function findServiceDeploymentArn(ports: Ports, cluster: string, service: string, since: number, signal: AbortSignal | undefined): Promise<string | undefined> {
  try {
    const recent = await ports.ecs.listServiceDeployments(cluster, service, signal);
    return recent?.find((d) => (d.createdAt?.getTime() ?? 0) >= since - CLOCK_SKEW_MS)?.serviceDeploymentArn;
  } catch (err) {
    if (isAbort(err)) throw err;
    return undefined;
  }
}

async function guard<T>(doing: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof RolloutError || isAbort(err)) throw err;
    throw systemError(doing, err);
  }
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || describeCause(err).includes('AbortError'));
}

/** The target group variables of a blue/green pair, from its production rule as it is before the deployment. */
async function readRoute(ports: Ports, loadBalancers: readonly LoadBalancer[], signal: AbortSignal | undefined): Promise<Record<string, string> | undefined> {
  const rule = loadBalancers.find((lb) => lb.advancedConfiguration?.productionListenerRule)?.advancedConfiguration?.productionListenerRule;
  if (!rule || !ports.loadBalancers) return undefined;
  const route: TrafficRoute = { kind: rule.includes(':listener-rule/') ? 'rule' : 'listener', arn: rule };
  const read = await ports.loadBalancers.readRouteActions(route, signal);
  return read ? routeVariables(loadBalancers, read.actions) : undefined;
}
