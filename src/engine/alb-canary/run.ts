import type { AnalysisRunner } from '../../analysis/contract.js';
import { checkPreexistingAlarms } from '../../analysis/preexisting-alarms.js';
import { createAnalysisRunner } from '../../analysis/runner.js';
import { resolveAnalyses, type Analysis, type AnalysisSectionConfig } from '../../spec/analysis.js';
import type { AlbCanarySettings } from '../../spec/alb-canary.js';
import { describeStep } from '../../spec/canary-steps.js';
import { describeCause, RolloutError, systemError } from '../../spec/errors.js';
import type { Clock } from '../clock.js';
import type { DeployResult, RunOptions } from '../deploy.js';
import type { EventBody, EventListener, ServiceEventRecord } from '../events.js';
import type { AlbCanaryPorts } from '../ports.js';
import { runPreflight, type PreflightRequest } from '../preflight.js';
import { withReleaseTags } from '../release-tags.js';
import { planRevision, taskDefinitionLabel } from '../revision.js';
import { CanaryRecorder, type CanaryContext } from './context.js';
import { heartbeatFor, resumePoint, type ResumePoint } from './decisions.js';
import { CanaryInterrupted } from './interruption.js';
import { runCanaryPreflight, type CanaryPreflight } from './preflight.js';
import { bringUpCanary, finish, promoteStable } from './phases.js';
import { revertToStable } from './revert.js';
import { routeLabel } from './route.js';
import { runId, runStartedAt, TAG, type CanaryState } from './state-tag.js';
import { runStep } from './steps.js';
import { pairHealth } from './traffic.js';

export interface AlbCanaryRequest extends PreflightRequest {
  settings: AlbCanarySettings;
  /** How long any one wait on AWS may take (tasks healthy, weights confirmed); pauses and manual gates are not bounded by it. */
  timeoutMs: number;
  pollIntervalMs: number;
  dryRun?: boolean | undefined;
  /** user@host, recorded in the canary's tags. */
  who: string;
  /** Recorded on the new revision as tags (release-tags.ts), with `who`. */
  release?: { commit: string | undefined; deploymentId: string } | undefined;
  /** The analysis: section of ecs-rollout.yaml: the analyses steps may name. */
  analysisConfig?: AnalysisSectionConfig | undefined;
}

export interface AlbCanaryOptions extends RunOptions {
  /** Runs the analysis steps; by default one over the request's analysisConfig and the ports. */
  analysis?: AnalysisRunner | undefined;
}

/** Service events this much older than our start may still be ours (clock skew). */
const CLOCK_SKEW_MS = 60_000;

/**
 * The canary the tool drives itself: register the new revision, run it on
 * the canary service, shift the route's weights step by step (pauses,
 * manual gates, analyses between), then let the stable service take the
 * revision and put all traffic back on it. A failure or an abort sends all
 * traffic to stable first, confirmed, and only then scales the canary down.
 * State lives in the canary service's tags: a rerun of the same deploy
 * resumes where a killed one stopped.
 */
export async function runAlbCanary(ports: AlbCanaryPorts, request: AlbCanaryRequest, options: AlbCanaryOptions): Promise<DeployResult> {
  const { clock, signal } = options;
  const stepClock = options.stepClock?.clock ?? clock;
  const startedAt = clock.now();
  const serviceEvents: ServiceEventRecord[] = [];
  const emit = (event: EventBody): void => {
    if (event.type === 'service-event') serviceEvents.push({ id: event.id, createdAt: event.createdAt, message: event.message });
    options.onEvent?.({ ...event, at: new Date(clock.now()).toISOString() } as Parameters<EventListener>[0]);
  };
  const { cluster, service: stableName, settings } = request;

  const findings = await guard(`run preflight checks for service ${stableName} in cluster ${cluster}`, () => runPreflight(ports, request, emit, signal));
  const analyses = resolveAnalyses(request.analysisConfig);
  const runner = options.analysis ?? (analyses.size > 0 ? createAnalysisRunner({ analyses, metrics: ports.metrics, probes: ports.probes, clock: stepClock, emit }) : undefined);
  const pre = await guard(`check the canary of service ${stableName} in cluster ${cluster}`, () =>
    runCanaryPreflight(ports, { cluster, stableService: findings.service, taskDefinition: findings.taskDefinition, container: findings.container, image: findings.image, settings, analysis: runner }, emit, signal),
  );
  // Alarms already firing cannot judge the new version: checked before the first change, as deploy does for gates.
  const stepAnalyses = analysesOfSteps(settings, analyses);
  const preexistingAlarms = pre.start.kind === 'fresh' && !options.analysis
    ? await guard('check the alarms the analysis steps watch', () => checkPreexistingAlarms(stepAnalyses, ports.metrics, emit, signal))
    : undefined;
  const analysis = preexistingAlarms?.size ? createAnalysisRunner({ analyses, metrics: ports.metrics, probes: ports.probes, clock: stepClock, emit, preexistingAlarms }) : runner;
  emit({
    type: 'canary-planned',
    stableService: stableName,
    canaryService: settings.canaryService,
    route: settings.route.arn,
    canaryCount: pre.canaryCount,
    steps: settings.steps.map(describeStep),
    notes: settings.notes,
  });

  const previousTaskDefinitionArn = findings.service.taskDefinition ?? '';
  const tags = request.release ? withReleaseTags(findings.tags, { ...request.release, who: request.who, image: findings.image, at: clock.now() }) : findings.tags;
  const registration = planRevision(findings.taskDefinition, tags, findings.container, findings.image);
  const result = resultFrame(request, findings.container, findings.image, previousTaskDefinitionArn, startedAt, clock);

  if (request.dryRun) {
    emit({ type: 'revision-planned', family: registration.family ?? '', container: findings.container, image: findings.image, previousImage: findings.previousImage, basedOn: previousTaskDefinitionArn });
    return {
      ...result(undefined, 'planned', undefined),
      message: `dry run: would register a new revision of ${registration.family} with container ${findings.container} running ${findings.image}, run it on ${plural(pre.canaryCount, 'task')} of service ${settings.canaryService} and shift ${routeLabel(settings.route)} through ${plural(settings.steps.length, 'step')}; nothing was changed`,
    };
  }

  const ctx: CanaryContext = {
    ports, clock, signal, emit, cluster, route: settings.route, who: request.who,
    pollIntervalMs: request.pollIntervalMs,
    timeoutMs: request.timeoutMs,
    stepSpeed: options.stepClock?.speed ?? 1,
    stable: pre.stable,
    canary: pre.canary,
  };
  const family = registration.family ?? '';
  const begun = await guard(`start the canary on service ${settings.canaryService}`, () =>
    begin(ctx, pre, { request, registration, family, container: findings.container, image: findings.image, previousImage: findings.previousImage, stableRevision: findings.taskDefinition.revision ?? 0 }),
  );
  const { recorder, taskDefinitionArn } = begun;
  const since = startedAt - CLOCK_SKEW_MS;
  // Events already there when we looked are not news: only what happens from now on is reported.
  const knownEventIds = new Set([...(findings.service.events ?? []).flatMap((e) => (e.id ? [e.id] : [])), ...pre.canary.eventIds]);

  try {
    await guard(`run the canary of ${taskDefinitionLabel(taskDefinitionArn)} on service ${settings.canaryService}`, () =>
      drive(ctx, recorder, { point: begun.point, resumed: begun.resumed, settings, taskDefinitionArn, canaryCount: pre.canaryCount, analysis, since, knownEventIds }),
    );
  } catch (err) {
    if (!(err instanceof CanaryInterrupted)) throw err;
    const aborted = err.outcome === 'aborted';
    emit({ type: 'rolling-back', reason: err.reason, aborted });
    const revisions = { canary: recorder.state.taskDefinition, previousStable: `${family}:${recorder.state.previousRevision}` };
    const reverted = await guard(`send all traffic back to service ${stableName} after: ${err.reason}`, async () => {
      // Recorded first: a revert cut short is finished by the next run, never resumed as a canary.
      await recorder.update({ phase: 'rolling-back', waiting: undefined, until: undefined });
      return revertToStable(ctx, { revisions, keepAbortMarker: false });
    });
    emit({ type: 'rolled-back', reason: err.reason, aborted, stable: 100, canary: 0 });
    const stableOn = reverted.stableRestoredTo ? `, back on ${taskDefinitionLabel(reverted.stableRestoredTo)}` : '';
    return {
      ...result(taskDefinitionArn, aborted ? 'aborted' : 'rolled-back', err.reason),
      serviceEvents,
      stoppedTasks: err.stoppedTasks,
      message: `canary of ${taskDefinitionLabel(taskDefinitionArn)} on service ${settings.canaryService} was ${aborted ? 'aborted' : 'rolled back'}: all traffic is back on service ${stableName}${stableOn} (confirmed on the load balancer) and the canary is scaled to 0: ${err.reason}`,
    };
  }
  return {
    ...result(taskDefinitionArn, 'succeeded', undefined),
    serviceEvents,
    message: `deployed ${taskDefinitionLabel(taskDefinitionArn)} to service ${stableName} in cluster ${cluster} through a canary on ${settings.canaryService} (${plural(settings.steps.length, 'step')}); all traffic is on ${stableName} and the canary is scaled to 0`,
  };
}

interface Begun {
  recorder: CanaryRecorder;
  point: ResumePoint | { kind: 'finish-abort' };
  taskDefinitionArn: string;
  resumed: CanaryState | undefined;
}

interface Beginning {
  request: AlbCanaryRequest;
  registration: ReturnType<typeof planRevision>;
  family: string;
  container: string;
  image: string;
  previousImage: string;
  /** The stable's task definition revision now: where a revert puts it back. */
  stableRevision: number;
}

/** A fresh canary registers its revision and records itself; a recorded one is picked up where it was. */
async function begin(ctx: CanaryContext, pre: CanaryPreflight, b: Beginning): Promise<Begun> {
  const { ports, clock, signal, emit } = ctx;
  const heartbeatMs = heartbeatFor(b.request.pollIntervalMs);
  const start = pre.start;
  if (start.kind === 'resume' || start.kind === 'finish-abort') {
    const state = { ...start.state, weight: pre.split.canaryPercent, heartbeatMs };
    const found = await ports.ecs.readTaskDefinition(state.taskDefinition, signal);
    emit({ type: 'canary-resumed', run: state.run, step: state.step, totalSteps: state.totalSteps, phase: state.phase, weight: state.weight, startedAt: new Date(runStartedAt(state.run)).toISOString() });
    return {
      recorder: new CanaryRecorder(ctx, state),
      point: start.kind === 'finish-abort' ? { kind: 'finish-abort' } : resumePoint(state),
      taskDefinitionArn: found?.taskDefinition.taskDefinitionArn ?? state.taskDefinition,
      resumed: state,
    };
  }
  const registered = await ports.ecs.registerRevision(b.registration, signal);
  const taskDefinitionArn = registered.taskDefinitionArn ?? '';
  emit({ type: 'revision-registered', taskDefinitionArn, container: b.container, image: b.image, previousImage: b.previousImage });
  const now = clock.now();
  const recorder = new CanaryRecorder(ctx, {
    run: runId(now),
    taskDefinition: `${b.family}:${registered.revision ?? ''}`,
    previousRevision: b.stableRevision,
    stableService: pre.stable.name,
    step: 0,
    totalSteps: b.request.settings.steps.length,
    weight: 0,
    phase: 'starting',
    waiting: undefined,
    until: undefined,
    updatedAt: now,
    heartbeatMs,
    by: b.request.who,
  });
  // Markers of an earlier canary name another run and would be ignored; cleared so the tags say only what is true.
  if (pre.record.promote || pre.record.abort) await ports.services.removeTags(pre.canary.arn, [TAG.promote, TAG.abort], signal);
  await recorder.update({});
  await ports.services.writeTags(pre.stable.arn, [{ key: TAG.canaryService, value: pre.canary.name }], signal);
  return { recorder, point: { kind: 'start' }, taskDefinitionArn, resumed: undefined };
}

interface Drive {
  point: Begun['point'];
  resumed: CanaryState | undefined;
  settings: AlbCanarySettings;
  taskDefinitionArn: string;
  canaryCount: number;
  analysis: AnalysisRunner | undefined;
  since: number;
  knownEventIds: Set<string>;
}

/** From where the canary is to its end: canary up, steps, promotion, finish. */
async function drive(ctx: CanaryContext, recorder: CanaryRecorder, d: Drive): Promise<void> {
  const { point, settings, taskDefinitionArn } = d;
  if (point.kind === 'finish-abort') throw new CanaryInterrupted('aborted', 'finishing an ecs-rollout abort that did not complete');
  if (point.kind === 'rollback') throw new CanaryInterrupted('rolled-back', 'finishing a rollback an earlier run began but did not complete');
  const readiness = { since: d.since, knownEventIds: d.knownEventIds };

  if (point.kind === 'step' && recorder.state.weight > 0) {
    // Traffic never goes to a target group with no healthy targets: a canary that died while no deploy watched is a failed canary.
    const health = await pairHealth(ctx);
    if (health.canaryHealthy === 0) throw new CanaryInterrupted('rolled-back', `the canary target group has no healthy targets while it has ${recorder.state.weight}% of the traffic (the canary's tasks stopped while no deploy watched them)`);
  }
  if (point.kind === 'start' || point.kind === 'step') {
    await bringUpCanary(ctx, recorder, { taskDefinitionArn, canaryCount: d.canaryCount, recordStart: point.kind === 'start', ...readiness });
    const first = point.kind === 'step' ? point.index : 0;
    for (let index = first; index < settings.steps.length; index += 1) {
      const step = settings.steps[index];
      if (!step) continue;
      await runStep(ctx, recorder, { step, number: index + 1, total: settings.steps.length, resumed: index === first ? d.resumed : undefined, analysis: d.analysis });
    }
  }
  if (point.kind !== 'finish') await promoteStable(ctx, recorder, { taskDefinitionArn, ...readiness });
  await finish(ctx, recorder);
}

function resultFrame(request: AlbCanaryRequest, container: string, image: string, previousTaskDefinitionArn: string, startedAt: number, clock: Clock) {
  return (taskDefinitionArn: string | undefined, outcome: DeployResult['outcome'], reason: string | undefined): DeployResult => ({
    outcome,
    message: '',
    cluster: request.cluster,
    service: request.service,
    container,
    image,
    strategy: 'canary (alb)',
    previousTaskDefinitionArn,
    taskDefinitionArn,
    deploymentId: undefined,
    serviceDeploymentArn: undefined,
    rollbackDeploymentId: undefined,
    reason,
    serviceEvents: [],
    stoppedTasks: [],
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(clock.now()).toISOString(),
  });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The analyses the steps name, each once, in step order. */
function analysesOfSteps(settings: AlbCanarySettings, analyses: ReadonlyMap<string, Analysis>): Analysis[] {
  const names = [...new Set(settings.steps.flatMap((s) => (s.kind === 'analysis' ? [s.name] : [])))];
  return names.flatMap((name) => {
    const found = analyses.get(name);
    return found ? [found] : [];
  });
}

async function guard<T>(doing: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof RolloutError || err instanceof CanaryInterrupted || isAbort(err)) throw err;
    throw systemError(doing, err);
  }
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || describeCause(err).includes('AbortError'));
}
