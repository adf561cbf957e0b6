import type { ECSTarget } from '@aws-sdk/client-codedeploy';
import type { AnalysisRunner } from '../../analysis/contract.js';
import { RolloutError, systemError } from '../../spec/errors.js';
import type { Gate } from '../../spec/strategy.js';
import type { Clock } from '../clock.js';
import type { ServiceEventRecord } from '../events.js';
import type { FollowContext } from '../follow.js';
import { runGates } from '../gates.js';
import type { NativeFollowEnd } from '../follow-native.js';
import type { CodeDeployPort } from '../ports.js';
import { newServiceEvents } from '../progress.js';
import { codeDeployAnalysisVariables, inTerminationWait, judgeDeployment, lifecycleChanges, taskSetsOf, type CodeDeployTracking, type CodeDeployVerdict } from './observation.js';
import { namingRollback, untilEnded } from './ongoing.js';
import { ecsTargetId } from './plan.js';

export interface CodeDeployFollow extends FollowContext {
  codeDeploy: CodeDeployPort;
  deploymentId: string;
  gates: readonly Gate[];
  analysis?: AnalysisRunner | undefined;
  /** How long CodeDeploy waits with test traffic on green before stopping; undefined: it does not wait. */
  readyWaitMinutes: number | undefined;
  /** The test listener gates are meant to reach, for the analyses' loadBalancer variable. */
  testListener: string | undefined;
  /** Follow through the wait before the original task set is terminated, instead of ending when production is on green. */
  waitForTermination: boolean;
  /** CodeDeploy's time, that its waits are counted in (the emulator's may run faster). */
  awsClock: Clock;
}

export interface CodeDeployFollowReport {
  end: NativeFollowEnd;
  serviceEvents: ServiceEventRecord[];
  rollbackDeploymentId: string | undefined;
}

/**
 * Follows a CodeDeploy ECS deployment lifecycle event by lifecycle event
 * (GetDeployment and GetDeploymentTarget per tick, DescribeServices for the
 * service's events). While it waits for readiness, the tool's gates run
 * against the test listener: ContinueDeployment when they pass,
 * StopDeployment with rollback when one fails. A rollback CodeDeploy makes
 * is followed to its end, so "rolled back" means production is back.
 */
export async function followCodeDeployDeployment(ctx: CodeDeployFollow): Promise<CodeDeployFollowReport> {
  const { ports, codeDeploy, clock, signal, emit, deploymentId } = ctx;
  const targetId = ecsTargetId(ctx.cluster, ctx.service);
  const tracking: CodeDeployTracking = {};
  const serviceEvents: ServiceEventRecord[] = [];
  const lifecycle = new Map<string, string>();
  let trafficKey = '';
  let readySeen = false;
  let terminationSeen = false;
  const polling = { clock, pollIntervalMs: ctx.pollIntervalMs, deadline: ctx.deadline, signal };
  const end = (verdict: Exclude<CodeDeployVerdict, { kind: 'in-progress' }>, rollbackDeploymentId?: string): CodeDeployFollowReport => ({ end: verdict, serviceEvents, rollbackDeploymentId });

  for (;;) {
    const service = await ports.ecs.findService(ctx.cluster, ctx.service, signal);
    if (!service) throw new RolloutError('AwsRequestFailed', `service ${ctx.service} in cluster ${ctx.cluster} disappeared while CodeDeploy deployment ${deploymentId} was in progress`);
    for (const event of newServiceEvents(service.events ?? [], ctx.since, ctx.knownEventIds)) {
      ctx.knownEventIds.add(event.id);
      serviceEvents.push(event);
      emit({ type: 'service-event', ...event });
    }
    const info = await codeDeploy.readDeployment(deploymentId, signal);
    const target = await codeDeploy.readTarget(deploymentId, targetId, signal);
    for (const change of lifecycleChanges(target, lifecycle)) {
      lifecycle.set(change.name, change.status);
      emit({ type: 'codedeploy-lifecycle', deploymentId, lifecycleEvent: change.name, status: change.status, diagnostics: change.diagnostics });
    }
    const taskSets = taskSetsOf(target);
    const key = JSON.stringify(taskSets);
    if (taskSets.length && key !== trafficKey) {
      trafficKey = key;
      emit({ type: 'codedeploy-traffic', deploymentId, taskSets });
    }

    let verdict = judgeDeployment(info, tracking);
    if (verdict.kind === 'failed' || (verdict.kind === 'aborted' && !verdict.rolledBack)) verdict = judgeDeployment(await namingRollback(codeDeploy, info, polling), tracking);
    switch (verdict.kind) {
      case 'in-progress':
        break;
      case 'completed':
        emit({ type: 'deployment-completed', deploymentId, taskDefinitionArn: service.taskDefinition ?? '' });
        return end(verdict);
      case 'failed':
        emit({ type: 'deployment-failed', deploymentId, reason: verdict.reason });
        return end(verdict);
      case 'rolled-back':
      case 'aborted': {
        const rollback = verdict.rollbackDeploymentId;
        if (rollback !== undefined) {
          const back = await untilEnded(codeDeploy, rollback, polling);
          if (!back.ended) return { end: { kind: 'timed-out' }, serviceEvents, rollbackDeploymentId: rollback };
          if (back.info.status !== 'Succeeded') {
            const reason = `${verdict.reason}; the rollback deployment ${rollback} ended ${back.info.status ?? 'Unknown'}, so production may not be back on the original task set`;
            emit({ type: 'deployment-failed', deploymentId, reason });
            return end({ kind: 'failed', reason }, rollback);
          }
        }
        if (verdict.kind === 'rolled-back') emit({ type: 'deployment-rolled-back', deploymentId, rollbackDeploymentId: rollback ?? deploymentId, reason: verdict.reason });
        else emit({ type: 'deployment-aborted', deploymentId, reason: verdict.reason });
        return end(verdict, rollback);
      }
    }

    if (info.status === 'Ready' && !readySeen) {
      readySeen = true;
      const until = readyWaitEnds(target, ctx.readyWaitMinutes, ctx.awsClock.now());
      emit({ type: 'codedeploy-waiting', deploymentId, wait: 'ready', gated: ctx.gates.length > 0, until });
      if (ctx.gates.length) await gateReadiness(ctx, service, tracking);
    }
    if (inTerminationWait(info, target) && !terminationSeen) {
      terminationSeen = true;
      emit({ type: 'codedeploy-waiting', deploymentId, wait: 'termination', gated: false, until: undefined });
      if (!ctx.waitForTermination) {
        // Production is on the new task set and every hook passed: the release is out. CodeDeploy keeps the original until the wait ends.
        emit({ type: 'deployment-completed', deploymentId, taskDefinitionArn: service.taskDefinition ?? '' });
        return end({ kind: 'completed' });
      }
    }

    const remaining = ctx.deadline - clock.now();
    if (remaining <= 0) return { end: { kind: 'timed-out' }, serviceEvents, rollbackDeploymentId: undefined };
    await clock.sleep(Math.min(ctx.pollIntervalMs, remaining), signal);
  }
}

/**
 * When CodeDeploy stops waiting for ContinueDeployment, in its own time: the
 * wait began when test traffic reached the new tasks (the end of
 * AfterAllowTestTraffic, else AllowTestTraffic), which a resumed deploy sees
 * late; `now` stands in when the target does not say.
 */
export function readyWaitEnds(target: ECSTarget | undefined, minutes: number | undefined, now: number): string | undefined {
  if (minutes === undefined) return undefined;
  const events = target?.lifecycleEvents ?? [];
  const began = ['AfterAllowTestTraffic', 'AllowTestTraffic'].map((name) => events.find((e) => e.lifecycleEventName === name)?.endTime).find((t) => t !== undefined);
  return new Date((began?.getTime() ?? now) + minutes * 60_000).toISOString();
}

/** Runs the gates while test traffic is on green: ContinueDeployment on a pass, StopDeployment with rollback on a failure. */
async function gateReadiness(ctx: CodeDeployFollow, service: Parameters<typeof codeDeployAnalysisVariables>[0]['service'], tracking: CodeDeployTracking): Promise<void> {
  const { ports, codeDeploy, clock, emit, signal, deploymentId } = ctx;
  const analysis = ctx.analysis
    ? { runner: ctx.analysis, variables: codeDeployAnalysisVariables({ cluster: ctx.cluster, service, deploymentId, testListener: ctx.testListener }) }
    : undefined;
  const outcome = await runGates(ctx.gates, ports.gates, clock, emit, signal, analysis);
  if (!outcome.passed && outcome.hold) {
    // onFailure: pause. CodeDeploy keeps waiting: ecs-rollout promote or abort decides, or the ready wait runs out and stops it.
    emit({ type: 'analysis-waiting-for-operator', ...outcome.hold, stage: 'POST_TEST_TRAFFIC_SHIFT', expiresAt: undefined });
    return;
  }
  if (outcome.passed) {
    const continued = await unlessMovedOn(() => codeDeploy.continueDeployment(deploymentId, 'READY_WAIT', signal), `continue CodeDeploy deployment ${deploymentId} (ContinueDeployment READY_WAIT)`);
    if (continued) emit({ type: 'codedeploy-continued', deploymentId, wait: 'READY_WAIT' });
    return;
  }
  tracking.gateRollback = outcome.reason;
  emit({ type: 'codedeploy-stopping', deploymentId, rollback: true, reason: outcome.reason });
  const stopped = await unlessMovedOn(() => codeDeploy.stopDeployment(deploymentId, true, signal), `stop CodeDeploy deployment ${deploymentId} with rollback`);
  // It had ended already (someone else stopped it, or the wait ran out): how it ended is CodeDeploy's to say, not the gate's.
  if (!stopped) tracking.gateRollback = undefined;
}

/** What CodeDeploy answers when the deployment left the ready wait while the gates ran (a person's promote or abort, the wait running out). */
const MOVED_ON = new Set(['DeploymentIsNotInReadyStateException', 'DeploymentAlreadyCompletedException']);

/**
 * Acts on the deployment; false when it had moved on meanwhile, which the
 * next look at it reports. Any other failure says what was being done.
 */
async function unlessMovedOn(action: () => Promise<void>, what: string): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    if (err instanceof Error && MOVED_ON.has(err.name)) return false;
    throw systemError(what, err);
  }
}
