import type { AnalysisRunner } from '../analysis/contract.js';
import type { Clock } from './clock.js';
import { RolloutError } from '../spec/errors.js';
import type { Gate } from '../spec/strategy.js';
import type { ServiceEventRecord } from './events.js';
import type { FollowContext } from './follow.js';
import { runGates } from './gates.js';
import { nativeAnalysisVariables } from './native-analysis-variables.js';
import { judgeServiceDeployment, showsOperatorStop, type NativeTracking } from './native-verdict.js';
import { newServiceEvents } from './progress.js';
import { RevisionNames } from './revision-names.js';
import { bakeHookOf, bakeOf, snapshotKey, snapshotOf } from './strategies/native-observation.js';

export type NativeFollowEnd =
  | { kind: 'completed' }
  | { kind: 'rolled-back'; reason: string }
  | { kind: 'aborted'; reason: string; rolledBack: boolean }
  | { kind: 'failed'; reason: string }
  | { kind: 'timed-out' };

export interface NativeFollowReport {
  end: NativeFollowEnd;
  serviceEvents: ServiceEventRecord[];
}

const MINUTE_MS = 60_000;

/**
 * Follows a blue/green, canary or linear deployment stage by stage through
 * its service deployment (one DescribeServices for events and one
 * DescribeServiceDeployments per tick), runs the tool's gates when their
 * PAUSE hook waits, and answers the hook: CONTINUE when they pass, ROLLBACK
 * when one fails.
 */
export async function followNativeDeployment(
  ctx: FollowContext & {
    deploymentId: string;
    gates: readonly Gate[];
    analysis?: AnalysisRunner | undefined;
    route?: Readonly<Record<string, string>> | undefined;
    /** ECS's time, that bakes and hook expiries are counted in (the emulator's may run faster); defaults to `clock`. */
    ecsClock?: Clock | undefined;
  },
): Promise<NativeFollowReport> {
  const { ports, clock, signal, emit } = ctx;
  const ecsClock = ctx.ecsClock ?? clock;
  const arn = ctx.serviceDeploymentArn;
  if (!arn) {
    throw new RolloutError('AwsRequestFailed', `service ${ctx.service} in cluster ${ctx.cluster}: the endpoint reports no service deployment for deployment ${ctx.deploymentId}; blue/green, canary and linear are followed through service deployments`);
  }
  const tracking: NativeTracking = { abortSeen: false };
  const serviceEvents: ServiceEventRecord[] = [];
  const names = new RevisionNames(ports.ecs);
  const answered = new Set<string>();
  // Stops answered per stage, so an analysis knows which step of a canary or linear rollout it judges.
  const stops = new Map<string | undefined, number>();
  const hookStates = new Map<string, string>();
  const hookStages = new Map<string, string | undefined>();
  let stage: string | undefined;
  let status: string | undefined;
  let lastKey = '';
  let bake: { key: string; endsAt: number; lastMinute: number } | undefined;

  for (;;) {
    const service = await ports.ecs.findService(ctx.cluster, ctx.service, signal);
    if (!service) throw new RolloutError('AwsRequestFailed', `service ${ctx.service} in cluster ${ctx.cluster} disappeared while deployment ${ctx.deploymentId} was in progress`);
    for (const event of newServiceEvents(service.events ?? [], ctx.since, ctx.knownEventIds)) {
      ctx.knownEventIds.add(event.id);
      serviceEvents.push(event);
      emit({ type: 'service-event', ...event });
    }

    const sd = await ports.ecs.readServiceDeployment(ctx.cluster, arn, signal);
    if (!sd) throw new RolloutError('AwsRequestFailed', `service deployment ${arn} is not described by the endpoint; cannot follow a native deployment without it`);
    const observed = snapshotOf(sd);
    const snap = { ...observed, revisions: await names.name(observed.revisions, signal) };

    if (snap.stage !== undefined && snap.stage !== stage) {
      emit({ type: 'stage-changed', serviceDeploymentArn: arn, stage: snap.stage, previousStage: stage, status: snap.status });
      stage = snap.stage;
    }
    const key = snapshotKey(snap);
    if (key !== lastKey) {
      lastKey = key;
      emit({ type: 'service-deployment-progress', serviceDeploymentArn: arn, status: snap.status, stage: snap.stage, revisions: snap.revisions });
    }

    if (showsOperatorStop(tracking, sd)) tracking.abortSeen = true;
    if (snap.status !== status) {
      if (snap.status.startsWith('ROLLBACK_') && !(status ?? '').startsWith('ROLLBACK_') && snap.status !== 'ROLLBACK_SUCCESSFUL' && snap.status !== 'ROLLBACK_FAILED') {
        emit({ type: 'service-deployment-rolling-back', serviceDeploymentArn: arn, reason: tracking.gateRollback ?? sd.rollback?.reason ?? sd.statusReason ?? (tracking.abortSeen ? 'stopped with StopServiceDeployment' : 'ECS is rolling back') });
      }
      status = snap.status;
    }

    const window = bakeOf(snap);
    if (!window) bake = undefined;
    else {
      if (bake?.key !== window.key) bake = { key: window.key, endsAt: window.endsAt ?? ecsClock.now() + window.durationMs, lastMinute: Number.POSITIVE_INFINITY };
      const remainingMs = Math.max(0, bake.endsAt - ecsClock.now());
      const minute = Math.ceil(remainingMs / MINUTE_MS);
      if (minute < bake.lastMinute) {
        bake.lastMinute = minute;
        emit({ type: 'bake-progress', serviceDeploymentArn: arn, kind: window.kind, remainingMs, endsAt: new Date(bake.endsAt).toISOString(), ...(window.hookId !== undefined ? { promotable: true } : {}) });
      }
    }

    const verdict = judgeServiceDeployment(tracking, sd);
    switch (verdict.kind) {
      case 'completed':
        emit({ type: 'deployment-completed', deploymentId: ctx.deploymentId, taskDefinitionArn: service.taskDefinition ?? '' });
        return { end: verdict, serviceEvents };
      case 'rolled-back':
        emit({ type: 'deployment-rolled-back', deploymentId: ctx.deploymentId, rollbackDeploymentId: arn, reason: verdict.reason });
        return { end: verdict, serviceEvents };
      case 'aborted':
        emit({ type: 'deployment-aborted', deploymentId: ctx.deploymentId, serviceDeploymentArn: arn, reason: verdict.reason });
        return { end: verdict, serviceEvents };
      case 'failed':
        emit({ type: 'deployment-failed', deploymentId: ctx.deploymentId, reason: verdict.reason });
        return { end: verdict, serviceEvents };
      case 'in-progress':
        break;
    }

    const bakeHook = bakeHookOf(snap);
    for (const hook of snap.hooks) {
      // The promotable bake's hook is ECS's to time out (CONTINUE) or a person's to promote; gates never answer it.
      const gates = hook.hookId === bakeHook?.hookId ? [] : ctx.gates.filter((g) => g.stage === snap.stage);
      // A waiting hook is news at every stop; any other state only when it changes.
      const stateKey = hook.status === 'AWAITING_ACTION' ? `${hook.status}:${snap.stage}:${snap.productionWeight}` : `${hook.status}`;
      // A finished hook belongs to the stage it last held, not to the stage the deployment has moved on to.
      if (hook.status === 'AWAITING_ACTION' || hook.status === 'IN_PROGRESS') hookStages.set(hook.hookId, snap.stage);
      if (hookStates.get(hook.hookId) !== stateKey) {
        hookStates.set(hook.hookId, stateKey);
        emit({ type: 'hook-state', serviceDeploymentArn: arn, stage: hookStages.get(hook.hookId), gated: gates.length > 0, ...hook });
      }
      // PRE_PRODUCTION_TRAFFIC_SHIFT pauses before every step, with the same hook: each stop is answered once.
      const stop = `${hook.hookId}:${snap.stage}:${snap.productionWeight}`;
      if (hook.status !== 'AWAITING_ACTION' || gates.length === 0 || answered.has(stop) || snap.status !== 'IN_PROGRESS') continue;
      answered.add(stop);
      const step = (stops.get(snap.stage) ?? 0) + 1;
      stops.set(snap.stage, step);
      const analysis = ctx.analysis ? { runner: ctx.analysis, variables: nativeAnalysisVariables({ cluster: ctx.cluster, service: ctx.service, snapshot: snap, step, route: ctx.route }) } : undefined;
      const outcome = await runGates(gates, ports.gates, clock, emit, signal, analysis);
      if (!outcome.passed && outcome.hold) {
        // onFailure: pause. The hook keeps waiting: ecs-rollout promote or abort decides, or ECS's hook timeout rolls back.
        emit({ type: 'analysis-waiting-for-operator', ...outcome.hold, stage: snap.stage, expiresAt: hook.expiresAt });
        continue;
      }
      const action = outcome.passed ? 'CONTINUE' : 'ROLLBACK';
      if (!outcome.passed) tracking.gateRollback = outcome.reason;
      await ports.ecs.continueServiceDeployment(arn, hook.hookId, action, signal);
      emit({ type: 'hook-continued', serviceDeploymentArn: arn, hookId: hook.hookId, action, stage: snap.stage });
    }

    const remaining = ctx.deadline - clock.now();
    if (remaining <= 0) return { end: { kind: 'timed-out' }, serviceEvents };
    await clock.sleep(Math.min(ctx.pollIntervalMs, remaining), signal);
  }
}
