import type { DeploymentLifecycleHook } from '@aws-sdk/client-ecs';
import type { Clock } from '../../clock.js';
import { randomUuid } from '../../services/ecs/arns.js';
import { rolloutReasons, serviceDeploymentReasons, serviceEvents, stopReasons } from '../../services/ecs/catalogue.js';
import { liveTasksOf, serviceTasks } from '../../services/ecs/deployment-records.js';
import type {
  EcsScopeState, ProgressState, StoredDeployment, StoredHookRun, StoredRoute, StoredService, StoredServiceDeployment, StoredTask,
} from '../../services/ecs/model.js';
import type { Scope } from '../../services/ecs/store.js';
import type { LoadBalancingPlane } from '../../services/elbv2/load-balancing-plane.js';
import type { FunctionPlane } from '../../services/lambda/function-plane.js';
import { circuitBreakerThreshold, hasCircuitBreakerTripped } from './decisions.js';
import { triggeredAlarms } from './deployment-alarms.js';
import { hookAnswer, hookPayload, type HookInvocation } from './lambda-hook.js';
import {
  nextStage, percentOf, productionSteps, rollbackMoves, rollbackStage, splitWeights, type ProgressiveStage, type ProgressiveStrategy,
} from './progressive-plan.js';

export interface ProgressiveDeps {
  clock: Clock;
  loadBalancing: LoadBalancingPlane;
  functions: FunctionPlane;
  /** A deployment alarm's state by name in a scope (CloudWatch); undefined when there is no such alarm. */
  alarmState(scope: Scope, name: string): string | undefined;
  /** Look again soon: an invocation answered. */
  wake(): void;
  launch(scope: Scope, state: EcsScopeState, service: StoredService, deployment: StoredDeployment, count: number): StoredTask[];
  stop(scope: Scope, task: StoredTask, reason: string): void;
  event(service: StoredService, message: string): void;
  markDirty(): void;
}

const MINUTE_MS = 60_000;

export const isProgressive = (strategy: string | undefined): strategy is ProgressiveStrategy =>
  strategy === 'BLUE_GREEN' || strategy === 'LINEAR' || strategy === 'CANARY';

/**
 * ECS's BLUE_GREEN, LINEAR and CANARY deployments: green scaled up in the
 * target group not serving production, test then production traffic moved
 * by listener weights, blue kept warm through the bake, then removed. One
 * move per look; everything the machine needs is in the service deployment
 * record, so it survives a restart and reads as DescribeServiceDeployments.
 */
export class ProgressiveDeployments {
  /** Lambda hook invocations under way, by hookId: runtime only, so a restart invokes again. */
  private readonly invoking = new Map<string, AbortController>();

  constructor(private readonly deps: ProgressiveDeps) {}

  /** Ends every hook invocation under way. */
  close(): void {
    for (const controller of this.invoking.values()) controller.abort(new Error('the emulator is closing'));
    this.invoking.clear();
  }

  /** Whether this service's current deployment is one this class runs (and it is not finished). */
  owns(state: EcsScopeState, service: StoredService): StoredServiceDeployment | undefined {
    const record = service.currentServiceDeployment ? state.serviceDeployments.get(service.currentServiceDeployment) : undefined;
    if (!record || !isProgressive(record.deploymentConfiguration.strategy)) return undefined;
    if (record.progress?.phase === 'done') return undefined;
    if (!record.progress && record.status !== 'IN_PROGRESS' && record.status !== 'PENDING') return undefined;
    return record;
  }

  reconcile(scope: Scope, state: EcsScopeState, service: StoredService, record: StoredServiceDeployment): void {
    const green = service.deployments.find((d) => d.id === record.deploymentId);
    if (!green) return;
    const progress = record.progress ?? this.begin(scope, state, service, record, green);
    const blue = service.deployments.filter((d) => progress.blueDeploymentIds.includes(d.id));
    this.keepTasks(scope, state, service, green, blue, progress);
    if (progress.phase === 'forward') this.forward(scope, state, service, record, progress, green, blue);
    else if (progress.phase === 'rollback') this.rollback(scope, state, service, record, progress, green, blue);
    else if (record.status === 'STOP_REQUESTED') {
      // ABORT: the deployment stops where it is; tasks and weights stay as they are.
      record.status = 'STOPPED';
      record.stoppedAt = record.finishedAt = record.updatedAt = new Date(this.deps.clock.now());
      this.deps.markDirty();
    }
  }

  /** ContinueServiceDeployment: resolves an AWAITING_ACTION PAUSE hook. */
  continueHook(record: StoredServiceDeployment, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): 'ok' | 'unknown-hook' | 'not-waiting' {
    const hook = record.progress?.hooks.find((h) => h.hookId === hookId);
    if (!hook) return 'unknown-hook';
    if (hook.status !== 'AWAITING_ACTION' || record.progress?.phase !== 'forward') return 'not-waiting';
    hook.status = action === 'CONTINUE' ? 'SUCCEEDED' : 'FAILED';
    if (action === 'ROLLBACK') this.requestRollback(record, serviceDeploymentReasons.hookRolledBack(hookId));
    record.updatedAt = new Date(this.deps.clock.now());
    return 'ok';
  }

  /** StopServiceDeployment on a traffic-shifting deployment. */
  stop(record: StoredServiceDeployment, stopType: 'ROLLBACK' | 'ABORT'): void {
    const progress = record.progress;
    if (!progress || progress.phase !== 'forward') return;
    if (stopType === 'ROLLBACK') {
      this.requestRollback(record, serviceDeploymentReasons.stopRequested);
    } else {
      record.status = 'STOP_REQUESTED';
      progress.phase = 'stopped';
      // A stopped deployment waits for nothing: ContinueServiceDeployment refuses its hooks, so none may show AWAITING_ACTION.
      for (const hook of progress.hooks) if (isWaiting(hook)) hook.status = 'FAILED';
      this.abortInvocations(progress.hooks);
    }
    record.updatedAt = new Date(this.deps.clock.now());
  }

  private begin(scope: Scope, state: EcsScopeState, service: StoredService, record: StoredServiceDeployment, green: StoredDeployment): ProgressState {
    const plane = this.deps.loadBalancing;
    const routes: StoredRoute[] = [];
    const greenLbs = service.loadBalancers.map((lb) => {
      const adv = lb.advancedConfiguration;
      if (!adv?.alternateTargetGroupArn || !adv.productionListenerRule || !lb.targetGroupArn) return lb;
      // Whichever of the pair production serves now is blue; the other one takes green.
      const weights = plane.forwardWeights(scope, adv.productionListenerRule) ?? [];
      const alternateServes = percentOf(weights, adv.alternateTargetGroupArn) > percentOf(weights, lb.targetGroupArn);
      const blueGroup = alternateServes ? adv.alternateTargetGroupArn : lb.targetGroupArn;
      const greenGroup = alternateServes ? lb.targetGroupArn : adv.alternateTargetGroupArn;
      routes.push({ productionRule: adv.productionListenerRule, testRule: adv.testListenerRule, blueTargetGroup: blueGroup, greenTargetGroup: greenGroup });
      return { ...lb, targetGroupArn: greenGroup };
    });
    green.loadBalancers = greenLbs;
    const blue = service.deployments.filter((d) => d.status === 'ACTIVE');
    for (const d of blue) {
      d.loadBalancers = service.loadBalancers.map((lb, i) => ({ ...lb, targetGroupArn: routes[i]?.blueTargetGroup ?? lb.targetGroupArn }));
    }
    const progress: ProgressState = {
      strategy: record.deploymentConfiguration.strategy as ProgressiveStrategy,
      phase: 'forward',
      stage: 'RECONCILE_SERVICE',
      step: 0,
      entered: false,
      waitUntil: undefined,
      productionPercent: 0,
      testPercent: 0,
      routes,
      blueDeploymentIds: blue.map((d) => d.id),
      hooks: [],
      rollbackMoves: [],
    };
    record.progress = progress;
    this.deps.markDirty();
    return progress;
  }

  /** Green up to the desired count from SCALE_UP on; blue kept at its count until CLEAN_UP; failed tasks replaced. */
  private keepTasks(
    scope: Scope, state: EcsScopeState, service: StoredService, green: StoredDeployment, blue: StoredDeployment[], progress: ProgressState,
  ): void {
    // A deployment stopped (ABORT) before SCALE_UP stays without green tasks: it stopped where it was.
    const beforeScaleUp = (progress.phase === 'forward' || progress.phase === 'stopped') && (progress.stage === 'RECONCILE_SERVICE' || progress.stage === 'PRE_SCALE_UP');
    const greenLeaving = progress.phase === 'rollback' || green.rolloutState === 'FAILED';
    const greenWanted = beforeScaleUp || greenLeaving ? 0 : service.desiredCount;
    const started: StoredTask[] = [];
    const greenLive = liveTasksOf(state, service, green.id).length;
    if (greenLive < greenWanted) started.push(...this.deps.launch(scope, state, service, green, greenWanted - greenLive));
    const blueKept = !(progress.phase === 'forward' && progress.stage === 'CLEAN_UP');
    for (const d of blue) {
      const live = liveTasksOf(state, service, d.id).length;
      if (blueKept && live < d.desiredCount) started.push(...this.deps.launch(scope, state, service, d, d.desiredCount - live));
    }
    if (started.length > 0) {
      this.deps.event(service, serviceEvents.startedTasks(service.serviceName, started.map((t) => t.taskId)));
      service.steadyAnnouncedAt = undefined;
      this.deps.markDirty();
    }
  }

  private forward(
    scope: Scope, state: EcsScopeState, service: StoredService, record: StoredServiceDeployment, progress: ProgressState,
    green: StoredDeployment, blue: StoredDeployment[],
  ): void {
    const now = this.deps.clock.now();
    const config = record.deploymentConfiguration;
    const steps = productionSteps({
      strategy: progress.strategy,
      stepPercent: config.linearConfiguration?.stepPercent,
      stepBakeTimeInMinutes: config.linearConfiguration?.stepBakeTimeInMinutes,
      canaryPercent: config.canaryConfiguration?.canaryPercent,
      canaryBakeTimeInMinutes: config.canaryConfiguration?.canaryBakeTimeInMinutes,
    });

    if (progress.stage === 'SCALE_UP' && this.breakerTripped(state, service, record, green)) return;
    if (this.alarmTriggered(scope, service, record, green)) return;

    if (!progress.entered) {
      this.enter(scope, state, service, record, progress, steps, blue, now);
      progress.entered = true;
      record.updatedAt = new Date(now);
      this.deps.markDirty();
    }

    // Hooks of this stage (and step) first: a timed-out hook takes its timeout action.
    const hooks = progress.hooks.filter((h) => h.stage === progress.stage && h.step === progress.step);
    for (const hook of hooks) {
      if (!isWaiting(hook) || now < hook.expiresAt.getTime()) continue;
      hook.status = 'TIMED_OUT';
      this.abortInvocations([hook]);
      record.updatedAt = new Date(now);
      this.deps.markDirty();
      if (hook.timeoutAction === 'ROLLBACK') {
        this.requestRollback(record, serviceDeploymentReasons.hookTimedOut(hook.hookId));
        return;
      }
    }
    for (const hook of hooks) {
      if (hook.targetType === 'AWS_LAMBDA' && hook.status === 'IN_PROGRESS' && now >= (hook.nextInvokeAt ?? 0)) {
        this.invokeHook(scope, record, progress, hook);
      }
    }
    // PAUSE and Lambda hooks of one stage must all complete before it moves on.
    if (hooks.some(isWaiting)) return;
    if (!this.stageWorkDone(state, service, progress, green, blue, now)) return;

    const move = nextStage(progress.stage, progress.step, steps.length);
    if (move.kind === 'done') {
      this.finish(state, service, record, progress, green, blue, now);
      return;
    }
    progress.stage = move.stage;
    progress.step = move.step;
    progress.entered = false;
    progress.waitUntil = undefined;
    record.updatedAt = new Date(now);
    this.deps.markDirty();
  }

  /** The stage's own action, done once on entry, then its PAUSE hooks. */
  private enter(
    scope: Scope, state: EcsScopeState, service: StoredService, record: StoredServiceDeployment, progress: ProgressState,
    steps: ReturnType<typeof productionSteps>, blue: StoredDeployment[], now: number,
  ): void {
    const config = record.deploymentConfiguration;
    switch (progress.stage) {
      case 'TEST_TRAFFIC_SHIFT':
        for (const route of progress.routes) {
          if (route.testRule) this.setWeights(scope, route.testRule, route, 100);
        }
        progress.testPercent = 100;
        break;
      case 'PRODUCTION_TRAFFIC_SHIFT': {
        const step = steps[progress.step] ?? { percent: 100, bakeMinutes: 0 };
        for (const route of progress.routes) this.setWeights(scope, route.productionRule, route, step.percent);
        progress.productionPercent = step.percent;
        progress.waitUntil = now + step.bakeMinutes * MINUTE_MS;
        this.deps.event(service, serviceEvents.productionTrafficShifted(service.serviceName, record.deploymentId, step.percent));
        break;
      }
      case 'BAKE_TIME':
        progress.waitUntil = now + (config.bakeTimeInMinutes ?? 0) * MINUTE_MS;
        break;
      case 'CLEAN_UP': {
        // The test route follows production: both now serve what was green.
        for (const route of progress.routes) {
          if (route.testRule) this.setWeights(scope, route.testRule, route, 100);
        }
        const old = blue.flatMap((d) => liveTasksOf(state, service, d.id));
        for (const d of blue) d.desiredCount = 0;
        if (old.length > 0) {
          this.deps.event(service, serviceEvents.stoppedTasks(service.serviceName, old.map((t) => t.taskId)));
          for (const task of old) this.deps.stop(scope, task, stopReasons.scaling(record.deploymentId));
        }
        break;
      }
      default:
        break;
    }
    this.scheduleHooks(progress, hooksAt(config.lifecycleHooks, progress.stage), progress.stage, now, false);
  }

  /** Hook runs for a stage: PAUSE hooks wait for ContinueServiceDeployment, Lambda hooks are invoked now. */
  private scheduleHooks(
    progress: ProgressState, hooks: readonly DeploymentLifecycleHook[], stage: ProgressiveStage, now: number, duringRollback: boolean,
  ): void {
    for (const hook of hooks) {
      const minutes = hook.timeoutConfiguration?.timeoutInMinutes ?? 1440;
      const common = {
        hookId: randomUuid(),
        stage,
        step: progress.step,
        expiresAt: new Date(now + minutes * MINUTE_MS),
        timeoutAction: hook.timeoutConfiguration?.action ?? 'ROLLBACK',
        ...(duringRollback ? { duringRollback: true } : {}),
      };
      progress.hooks.push(
        hook.targetType === 'PAUSE'
          ? { ...common, targetType: 'PAUSE', status: 'AWAITING_ACTION' }
          : { ...common, targetType: 'AWS_LAMBDA', targetArn: hook.hookTargetArn, status: 'IN_PROGRESS', nextInvokeAt: now, hookDetails: hook.hookDetails },
      );
    }
  }

  /**
   * The Lambda hooks a rollback re-runs at one stage: invoked, re-invoked
   * after IN_PROGRESS, timed out. True while one still waits. Their answers
   * cannot stop a rollback (there is nothing to roll back to): a FAILED or
   * TIMED_OUT hook is recorded and the rollback carries on.
   */
  private rollbackHooksWaiting(scope: Scope, record: StoredServiceDeployment, progress: ProgressState, stage: ProgressiveStage): boolean {
    const now = this.deps.clock.now();
    const hooks = progress.hooks.filter((h) => h.duringRollback && h.stage === stage);
    for (const hook of hooks) {
      if (!isWaiting(hook)) continue;
      if (now >= hook.expiresAt.getTime()) {
        hook.status = 'TIMED_OUT';
        this.abortInvocations([hook]);
        this.deps.markDirty();
      } else if (now >= (hook.nextInvokeAt ?? 0)) {
        this.invokeHook(scope, record, progress, hook);
      }
    }
    return hooks.some(isWaiting);
  }

  /** Whether what the stage waits for (healthy green, a bake, blue gone) is over. */
  private stageWorkDone(
    state: EcsScopeState, service: StoredService, progress: ProgressState, green: StoredDeployment, blue: StoredDeployment[], now: number,
  ): boolean {
    switch (progress.stage) {
      case 'SCALE_UP': {
        const tasks = liveTasksOf(state, service, green.id);
        return tasks.length === service.desiredCount && tasks.every((t) => t.lastStatus === 'RUNNING' && t.everHealthy);
      }
      case 'PRODUCTION_TRAFFIC_SHIFT':
      case 'BAKE_TIME':
        return now >= (progress.waitUntil ?? 0);
      case 'CLEAN_UP':
        return serviceTasks(state, service).every((t) => !blue.some((d) => d.id === t.startedBy));
      default:
        return true;
    }
  }

  private finish(
    state: EcsScopeState, service: StoredService, record: StoredServiceDeployment, progress: ProgressState,
    green: StoredDeployment, blue: StoredDeployment[], now: number,
  ): void {
    const at = new Date(now);
    progress.phase = 'done';
    green.rolloutState = 'COMPLETED';
    green.rolloutStateReason = rolloutReasons.completed(green.id);
    green.updatedAt = at;
    for (const d of blue) {
      d.status = 'INACTIVE';
      d.updatedAt = at;
    }
    record.status = 'SUCCESSFUL';
    record.finishedAt = at;
    record.updatedAt = at;
    if (record.deploymentCircuitBreaker.status === 'MONITORING') record.deploymentCircuitBreaker.status = 'MONITORING_COMPLETE';
    if (record.alarms?.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
    this.deps.event(service, serviceEvents.deploymentCompleted(service.serviceName, green.id));
    if (serviceTasks(state, service).length === service.desiredCount) {
      service.steadyAnnouncedAt = now;
      this.deps.event(service, serviceEvents.steadyState(service.serviceName));
    }
    this.deps.markDirty();
  }

  private breakerTripped(state: EcsScopeState, service: StoredService, record: StoredServiceDeployment, green: StoredDeployment): boolean {
    const breaker = record.deploymentConfiguration.deploymentCircuitBreaker;
    if (!breaker?.enable) return false;
    const threshold = circuitBreakerThreshold(service.desiredCount, breaker.thresholdConfiguration);
    record.deploymentCircuitBreaker.threshold = threshold;
    if (!hasCircuitBreakerTripped(green.failedTasks, threshold)) return false;
    record.deploymentCircuitBreaker.status = 'TRIGGERED';
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = rolloutReasons.circuitBreakerFailed;
    this.deps.event(service, serviceEvents.deploymentFailed(service.serviceName, green.id));
    if (breaker.rollback) {
      this.requestRollback(record, serviceDeploymentReasons.rollbackReason);
    } else if (record.progress) {
      record.progress.phase = 'stopped';
      record.status = 'STOPPED';
      record.statusReason = rolloutReasons.circuitBreakerFailed;
      record.stoppedAt = record.finishedAt = new Date(this.deps.clock.now());
    }
    this.deps.markDirty();
    return true;
  }

  /** A deployment alarm in ALARM: rolled back like a failed hook (blue still serves), or the deployment stops failed. */
  private alarmTriggered(scope: Scope, service: StoredService, record: StoredServiceDeployment, green: StoredDeployment): boolean {
    const config = record.deploymentConfiguration.alarms;
    const triggered = triggeredAlarms(config, (name) => this.deps.alarmState(scope, name));
    if (triggered.length === 0 || !config) return false;
    record.alarms = { status: 'TRIGGERED', alarmNames: [...(config.alarmNames ?? [])], triggeredAlarmNames: triggered };
    green.rolloutState = 'FAILED';
    green.rolloutStateReason = rolloutReasons.alarmFailed(triggered);
    this.deps.event(service, serviceEvents.deploymentFailedAlarm(service.serviceName, green.id, triggered));
    if (config.rollback) {
      this.requestRollback(record, serviceDeploymentReasons.alarmRolledBack(triggered));
    } else if (record.progress) {
      record.progress.phase = 'stopped';
      this.abortInvocations(record.progress.hooks);
      record.status = 'STOPPED';
      record.statusReason = rolloutReasons.alarmFailed(triggered);
      record.stoppedAt = record.finishedAt = record.updatedAt = new Date(this.deps.clock.now());
    }
    this.deps.markDirty();
    return true;
  }

  private requestRollback(record: StoredServiceDeployment, reason: string): void {
    const progress = record.progress;
    if (!progress) return;
    const now = new Date(this.deps.clock.now());
    progress.phase = 'rollback';
    progress.rollbackMoves = rollbackMoves(progress);
    progress.entered = false;
    for (const hook of progress.hooks) if (isWaiting(hook)) hook.status = 'FAILED';
    this.abortInvocations(progress.hooks);
    record.status = 'ROLLBACK_REQUESTED';
    record.statusReason = reason;
    record.rollback = { reason, startedAt: now, serviceRevisionArn: record.sourceServiceRevisionArns[0] };
    record.updatedAt = now;
  }

  /** One rollback move per look: production back to blue, then test, then green removed. */
  private rollback(
    scope: Scope, state: EcsScopeState, service: StoredService, record: StoredServiceDeployment, progress: ProgressState,
    green: StoredDeployment, blue: StoredDeployment[],
  ): void {
    const now = new Date(this.deps.clock.now());
    if (record.status === 'ROLLBACK_REQUESTED') {
      record.status = 'ROLLBACK_IN_PROGRESS';
      const target = blue[0];
      if (target) {
        // Blue is what the service runs again; green is on its way out.
        green.status = 'ACTIVE';
        green.rolloutState = 'FAILED';
        target.status = 'PRIMARY';
        service.taskDefinition = target.taskDefinition;
        this.deps.event(service, serviceEvents.rollingBack(service.serviceName, target.id));
      }
    }
    const move = progress.rollbackMoves[0];
    if (!move) return;
    const stage = rollbackStage(move);
    progress.stage = stage;
    switch (move.kind) {
      case 'production-to-blue':
      case 'test-to-blue': {
        if (!progress.entered) {
          progress.entered = true;
          for (const route of progress.routes) {
            const rule = move.kind === 'production-to-blue' ? route.productionRule : route.testRule;
            if (rule) this.setWeights(scope, rule, route, 0);
          }
          if (move.kind === 'production-to-blue') progress.productionPercent = 0;
          else progress.testPercent = 0;
          const lambdaHooks = hooksAt(record.deploymentConfiguration.lifecycleHooks, stage).filter((h) => h.targetType !== 'PAUSE');
          this.scheduleHooks(progress, lambdaHooks, stage, now.getTime(), true);
        }
        if (this.rollbackHooksWaiting(scope, record, progress, stage)) {
          record.updatedAt = now;
          this.deps.markDirty();
          return;
        }
        progress.entered = false;
        break;
      }
      case 'remove-green': {
        if (!progress.entered) {
          progress.entered = true;
          green.desiredCount = 0;
          const tasks = liveTasksOf(state, service, green.id);
          if (tasks.length > 0) {
            this.deps.event(service, serviceEvents.stoppedTasks(service.serviceName, tasks.map((t) => t.taskId)));
            for (const task of tasks) this.deps.stop(scope, task, stopReasons.scaling(blue[0]?.id ?? green.id));
          }
        }
        if (serviceTasks(state, service).some((t) => t.startedBy === green.id)) {
          record.updatedAt = now;
          this.deps.markDirty();
          return;
        }
        green.status = 'INACTIVE';
        progress.phase = 'done';
        record.status = blue.length > 0 ? 'ROLLBACK_SUCCESSFUL' : 'ROLLBACK_FAILED';
        record.finishedAt = now;
        for (const d of blue) d.rolloutState = 'COMPLETED';
        break;
      }
    }
    if (move.kind !== 'remove-green') progress.rollbackMoves.shift();
    record.updatedAt = now;
    this.deps.markDirty();
  }

  /**
   * Invokes a Lambda hook's function once, off the reconcile loop; its
   * answer is applied when it comes, if the hook is still waiting for it.
   */
  private invokeHook(scope: Scope, record: StoredServiceDeployment, progress: ProgressState, hook: StoredHookRun): void {
    if (this.invoking.has(hook.hookId) || !hook.targetArn) return;
    const controller = new AbortController();
    this.invoking.set(hook.hookId, controller);
    const payload = JSON.stringify(hookPayload({
      serviceArn: record.serviceArn,
      serviceDeploymentArn: record.serviceDeploymentArn,
      targetServiceRevisionArn: record.targetServiceRevisionArn,
      sourceServiceRevisionArn: record.sourceServiceRevisionArns[0],
      lifecycleStage: hook.stage,
      executionId: hook.hookId,
      productionPercent: progress.productionPercent,
      testPercent: progress.testPercent,
      hookDetails: hook.hookDetails,
    }));
    const answered = (invocation: HookInvocation): void => {
      if (this.invoking.get(hook.hookId) !== controller) return;
      this.invoking.delete(hook.hookId);
      const phase = hook.duringRollback ? 'rollback' : 'forward';
      if (controller.signal.aborted || hook.status !== 'IN_PROGRESS' || progress.phase !== phase) return;
      this.applyAnswer(record, hook, invocation);
      this.deps.markDirty();
      this.deps.wake();
    };
    this.deps.functions.invoke(scope, hook.targetArn, payload, controller.signal).then(answered, (err: unknown) => {
      if (controller.signal.aborted) {
        if (this.invoking.get(hook.hookId) === controller) this.invoking.delete(hook.hookId);
        return;
      }
      // Not an answer from the function: the invocation itself broke; ECS counts that as the function failing.
      answered({ kind: 'function-error', payload: JSON.stringify({ errorMessage: (err as Error).message }) });
    });
  }

  private applyAnswer(record: StoredServiceDeployment, hook: StoredHookRun, invocation: HookInvocation): void {
    const now = this.deps.clock.now();
    const answer = hookAnswer(invocation);
    record.updatedAt = new Date(now);
    switch (answer.kind) {
      case 'succeeded':
        hook.status = 'SUCCEEDED';
        break;
      case 'in-progress':
        hook.nextInvokeAt = now + answer.delaySeconds * 1000;
        if (answer.hookDetails !== undefined) hook.hookDetails = answer.hookDetails;
        break;
      case 'failed':
        hook.status = 'FAILED';
        if (!hook.duringRollback) this.requestRollback(record, serviceDeploymentReasons.hookFailed(hook.hookId, answer.why));
        break;
    }
  }

  private abortInvocations(hooks: readonly StoredHookRun[]): void {
    for (const hook of hooks) {
      const controller = this.invoking.get(hook.hookId);
      if (!controller) continue;
      this.invoking.delete(hook.hookId);
      controller.abort(new Error(`lifecycle hook ${hook.hookId} is no longer waiting`));
    }
  }

  /** Production (or test) weights: `greenPercent` to green, the rest to blue. */
  private setWeights(scope: Scope, arn: string, route: StoredRoute, greenPercent: number): void {
    const { blue, green } = splitWeights(greenPercent);
    this.deps.loadBalancing.setForwardWeights(scope, arn, [
      { targetGroupArn: route.blueTargetGroup, weight: blue },
      { targetGroupArn: route.greenTargetGroup, weight: green },
    ]);
  }
}

/** The hooks (PAUSE and AWS_LAMBDA) configured at a stage. */
function hooksAt(hooks: DeploymentLifecycleHook[] | undefined, stage: ProgressiveStage): DeploymentLifecycleHook[] {
  return (hooks ?? []).filter((h) => (h.lifecycleStages ?? []).includes(stage as never));
}

/** A PAUSE hook waiting for ContinueServiceDeployment, or a Lambda hook whose function has not answered for good. */
const isWaiting = (hook: StoredHookRun): boolean => hook.status === 'AWAITING_ACTION' || hook.status === 'IN_PROGRESS';
