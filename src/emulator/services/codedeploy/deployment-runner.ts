import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '@aws-sdk/client-codedeploy';
import type { AlarmPlane } from '../cloudwatch/alarm-plane.js';
import type { FunctionPlane } from '../lambda/function-plane.js';
import type { HookEvent } from './appspec.js';
import type { Clock } from '../../clock.js';
import type { TaskSetPlane } from '../ecs/task-set-plane.js';
import type { LoadBalancingPlane } from '../elbv2/load-balancing-plane.js';
import { alarmStop } from './deployment-alarms.js';
import { nextAction, type DeploymentAction, type HookProgress } from './deployment-decisions.js';
import { newDeploymentId } from './deployment-ids.js';
import { taskSetsInfo } from './deployment-targets.js';
import { advanceLifecycle, closeLifecycle, diagnosticsFor, eventOfAction, lifecyclePosition } from './lifecycle-events.js';
import type { StoredDeployment } from './model.js';
import { lastSucceededRevision, rollbackDeployment } from './rollback-deployment.js';
import type { CodeDeployStore } from './store.js';

export interface DeploymentRunnerDeps {
  clock: Clock;
  store: CodeDeployStore;
  taskSets: TaskSetPlane;
  loadBalancing: LoadBalancingPlane;
  functions: FunctionPlane;
  /** The CloudWatch alarms deployments watch. */
  alarms: AlarmPlane;
  markDirty(): void;
  log(message: string): void;
}

/** How often, in virtual time, running deployments look at ECS again. */
const TICK_MS = 2_000;

/**
 * Drives ECS blue/green deployments the way CodeDeploy does, through the task
 * set calls it makes on ECS and the listener changes it makes on ELB: each tick
 * observes the replacement task set and the group's alarms, asks
 * deployment-decisions.ts what comes next, applies it, and records the
 * lifecycle events its target shows. Progress lives in the stored deployment,
 * so a tick has no memory of its own.
 */
export class DeploymentRunner {
  private cancel: (() => void) | undefined;
  private closed = false;
  /** Hook invocations under way: runtime only. */
  private readonly invocations = new Set<AbortController>();

  constructor(private readonly deps: DeploymentRunnerDeps) {}

  start(): void {
    this.schedule();
  }

  /** Looks at running deployments soon, off the request that changed them. */
  wake(): void {
    if (!this.closed) this.deps.clock.after(0, () => this.tick());
  }

  close(): void {
    this.closed = true;
    this.cancel?.();
    for (const controller of this.invocations) controller.abort(new Error('the emulator is closing'));
  }

  private schedule(): void {
    if (this.closed) return;
    this.cancel = this.deps.clock.after(TICK_MS, () => {
      this.tick();
      this.schedule();
    });
  }

  /** One pass over every running deployment. */
  tick(): void {
    for (const deployment of this.deps.store.runningDeployments()) {
      try {
        this.step(deployment);
      } catch (err) {
        this.deps.log(`codedeploy: deployment ${deployment.info.deploymentId}: ${(err as Error).message}`);
      }
    }
  }

  private step(d: StoredDeployment): void {
    const { plan } = d;
    const progress = d.progress;
    if (!progress) return;
    const now = this.deps.clock.now();
    if (d.info.status === 'Created') {
      d.info.status = 'InProgress';
      d.info.startTime = new Date(now);
      d.targetUpdatedAt = now;
      this.deps.markDirty();
    }
    const service = this.deps.taskSets.service(plan, plan.cluster, plan.service);
    const replacement = service?.taskSets.find((ts) => ts.id === d.replacementTaskSetId && ts.status !== 'DRAINING');
    const alarm = alarmStop(plan.alarms, (name) => this.deps.alarms.stateOf(plan, name));
    let action: DeploymentAction;
    if (!service?.active) {
      action = { kind: 'fail', code: 'ECS_UPDATE_ERROR', why: `The ECS service ${plan.service} in cluster ${plan.cluster} is no longer active.` };
    } else if (alarm) {
      action = { kind: 'stop', code: 'ALARM_ACTIVE', why: alarm.why, rollbackOn: 'DEPLOYMENT_STOP_ON_ALARM' };
    } else {
      action = nextAction(progress, plan, { exists: replacement !== undefined, steady: replacement?.steady ?? false }, now, this.hookProgress(d));
    }
    this.apply(d, action, now);
  }

  private hookProgress(d: StoredDeployment): HookProgress {
    return { configured: d.plan.hooks.map((h) => h.event), done: d.hooks.done, running: d.hooks.running };
  }

  private apply(d: StoredDeployment, action: DeploymentAction, now: number): void {
    const { plan } = d;
    if (action.kind === 'wait') return;
    // A failure while doing something fails the lifecycle event it belongs to.
    const event = eventOfAction(action);
    if (event) d.lifecycle = advanceLifecycle(d.lifecycle, { event, begun: true }, now);
    d.targetUpdatedAt = now;
    switch (action.kind) {
      case 'create-replacement': {
        try {
          d.replacementTaskSetId = this.deps.taskSets.createTaskSet(plan, plan.cluster, plan.service, {
            taskDefinition: plan.taskDefinition,
            containerName: plan.containerName,
            containerPort: plan.containerPort,
            targetGroupArn: plan.replacementTargetGroupArn,
            externalId: d.info.deploymentId,
          });
        } catch (err) {
          this.fail(d, 'ECS_UPDATE_ERROR', `The ECS service cannot create the replacement task set: ${(err as Error).message}`);
          return;
        }
        d.progress = { phase: 'Install', replacementCreated: true };
        break;
      }
      case 'route-test':
        if (!this.route(d, plan.testListeners, 100)) return;
        d.progress = { phase: 'TestTraffic' };
        break;
      case 'await-ready':
        d.progress = { phase: 'Ready', since: now };
        d.info.status = 'Ready';
        break;
      case 'allow-traffic':
        d.progress = { phase: 'AllowTraffic', startedAt: undefined, stepsDone: 0 };
        break;
      case 'shift': {
        if (!this.route(d, plan.productionListeners, action.percent)) return;
        d.production = action.percent;
        const done = d.progress?.phase === 'AllowTraffic' ? d.progress : undefined;
        if (done) d.progress = { ...done, startedAt: done.startedAt ?? now, stepsDone: done.stepsDone + 1 };
        break;
      }
      case 'start-hook':
        this.startHook(d, action.event, now);
        break;
      case 'hook-succeeded':
        d.hooks.done.push(action.event);
        if (d.hooks.running) d.hooks.finished.push(d.hooks.running.executionId);
        d.hooks.running = undefined;
        break;
      case 'make-primary':
        if (d.replacementTaskSetId) this.deps.taskSets.setPrimary(plan, plan.cluster, plan.service, d.replacementTaskSetId);
        d.progress = { phase: 'TerminationWait', since: now };
        d.info.instanceTerminationWaitTimeStarted = true;
        break;
      case 'terminate-original':
        this.deps.taskSets.deleteTaskSet(plan, plan.cluster, plan.service, plan.originalTaskSetId);
        this.end(d, 'Succeeded');
        break;
      case 'fail':
        this.fail(d, action.code, action.why);
        return;
      case 'stop': {
        const rollback = action.rollbackOn === 'DEPLOYMENT_STOP_ON_ALARM' ? plan.rollbackOnAlarm : plan.rollbackOnFailure;
        this.finish(d, 'Stopped', action.code, action.why, rollback);
        return;
      }
    }
    if (d.progress) d.lifecycle = advanceLifecycle(d.lifecycle, lifecyclePosition(d.progress, plan.steps, this.hookProgress(d)), now);
    this.deps.markDirty();
  }

  /** ContinueDeployment READY_WAIT: production rerouting begins at the runner's next look, which is now. */
  continueFromReady(d: StoredDeployment): void {
    if (d.progress?.phase !== 'Ready') return;
    d.progress = { phase: 'AllowTraffic', startedAt: undefined, stepsDone: 0 };
    d.info.status = 'InProgress';
    d.targetUpdatedAt = this.deps.clock.now();
    this.deps.markDirty();
    this.wake();
  }

  /** ContinueDeployment TERMINATION_WAIT: the original task set goes now, and the deployment succeeds. */
  endTerminationWait(d: StoredDeployment): void {
    if (d.progress?.phase !== 'TerminationWait') return;
    this.apply(d, { kind: 'terminate-original' }, this.deps.clock.now());
  }

  /**
   * CodeDeploy invokes the hook's function with the deployment id and the
   * hook execution id; the function reports with
   * PutLifecycleEventHookExecutionStatus. A function that is missing or fails
   * fails the hook at once.
   */
  private startHook(d: StoredDeployment, event: HookEvent, now: number): void {
    const functionName = d.plan.hooks.find((h) => h.event === event)?.functionName ?? '';
    const executionId = randomUUID();
    d.hooks.running = { event, status: 'InProgress', since: now, executionId };
    const payload = JSON.stringify({ DeploymentId: d.info.deploymentId, LifecycleEventHookExecutionId: executionId });
    const controller = new AbortController();
    this.invocations.add(controller);
    const failed = (why: string): void => {
      const running = d.hooks.running;
      if (running?.executionId !== executionId || running.status !== 'InProgress') return;
      d.hooks.running = { ...running, status: 'Failed', why };
      this.wake();
    };
    this.deps.functions.invoke(d.plan, functionName, payload, controller.signal).then(
      (result) => {
        if (result.kind === 'not-found') failed(`the Lambda function ${functionName} does not exist`);
        else if (result.kind === 'function-error') failed(`the Lambda function ${functionName} failed`);
      },
      () => {
        // Aborted: the emulator is closing.
      },
    ).finally(() => this.invocations.delete(controller));
  }

  /** Points the listeners' forward actions `percent` at the replacement; a listener gone fails the deployment. */
  private route(d: StoredDeployment, listeners: readonly string[], percent: number): boolean {
    const { plan } = d;
    for (const arn of listeners) {
      const ok = this.deps.loadBalancing.setForwardWeights(plan, arn, [
        { targetGroupArn: plan.originalTargetGroupArn, weight: 100 - percent },
        { targetGroupArn: plan.replacementTargetGroupArn, weight: percent },
      ]);
      if (!ok) {
        this.fail(d, 'ELASTIC_LOAD_BALANCING_INVALID', `The listener ${arn} does not exist or does not forward to target groups.`);
        return false;
      }
    }
    return true;
  }

  /** A failed deployment ends Failed; with autoRollbackConfiguration on DEPLOYMENT_FAILURE, CodeDeploy rolls it back. */
  private fail(d: StoredDeployment, code: ErrorCode, message: string): void {
    this.finish(d, 'Failed', code, message, d.plan.rollbackOnFailure);
  }

  /** StopDeployment: the deployment ends Stopped where it is, or rolled back. */
  stop(d: StoredDeployment, rollback: boolean): void {
    this.finish(d, 'Stopped', 'MANUAL_STOP', `Deployment ${d.info.deploymentId} was stopped by a StopDeployment request.`, rollback);
  }

  /** Ends a deployment early: the error it shows, its lifecycle closed, a hook under way abandoned, and the rollback if asked for. */
  private finish(d: StoredDeployment, status: 'Failed' | 'Stopped', code: ErrorCode, message: string, rollback: boolean): void {
    const now = this.deps.clock.now();
    d.info.errorInformation = { code, message };
    const running = d.hooks.running;
    const hookFunction = running ? d.plan.hooks.find((h) => h.event === running.event)?.functionName : undefined;
    if (running) d.hooks.finished.push(running.executionId);
    d.hooks.running = undefined;
    d.lifecycle = closeLifecycle(d.lifecycle, now, diagnosticsFor(code, message, hookFunction));
    d.targetUpdatedAt = now;
    if (rollback) this.rollBack(d, status, now);
    this.end(d, status);
    this.deps.markDirty();
  }

  /**
   * A rollback, as CodeDeploy does it for ECS: every production and test
   * listener forwards all its traffic to the original target group again, the original task
   * set is PRIMARY again, the replacement is deleted; and the move is a
   * deployment of its own (rollback-deployment.ts) that the rolled-back one
   * names in rollbackInfo. A deployment that ends during BeforeInstall has
   * changed nothing, and is not rolled back (the user guide: no rollback is
   * possible at BeforeInstall).
   */
  private rollBack(d: StoredDeployment, status: 'Failed' | 'Stopped', now: number): void {
    const { plan } = d;
    if (d.lifecycle.find((e) => e.name === 'BeforeInstall')?.status !== 'Succeeded') return;
    // Weight 0, not gone: a target group no listener forwards to has no load
    // balancer, and ECS would refuse the next deployment's task set on it.
    for (const arn of [...plan.productionListeners, ...plan.testListeners]) {
      this.deps.loadBalancing.setForwardWeights(plan, arn, [
        { targetGroupArn: plan.originalTargetGroupArn, weight: 100 },
        { targetGroupArn: plan.replacementTargetGroupArn, weight: 0 },
      ]);
    }
    this.deps.taskSets.setPrimary(plan, plan.cluster, plan.service, plan.originalTaskSetId);
    if (d.replacementTaskSetId) this.deps.taskSets.deleteTaskSet(plan, plan.cluster, plan.service, d.replacementTaskSetId);
    d.production = 0;

    const scope = this.deps.store.scope(plan);
    const id = newDeploymentId();
    const sets = taskSetsInfo(d, this.deps.taskSets.service(plan, plan.cluster, plan.service));
    scope.deployments.set(id, rollbackDeployment(d, id, now, lastSucceededRevision(scope, d.info.applicationName, d.info.deploymentGroupName), sets));
    d.info.rollbackInfo = {
      rollbackDeploymentId: id,
      rollbackMessage: `Deployment ${d.info.deploymentId} ${status === 'Failed' ? 'failed' : 'was stopped'} and was rolled back by deployment ${id}: traffic is on the original task set and the replacement task set was deleted.`,
    };
  }

  private end(d: StoredDeployment, status: 'Succeeded' | 'Failed' | 'Stopped'): void {
    const { plan } = d;
    const now = this.deps.clock.now();
    d.info.status = status;
    d.info.completeTime = new Date(now);
    d.progress = undefined;
    d.targetUpdatedAt = now;
    d.taskSetsAtEnd = taskSetsInfo(d, this.deps.taskSets.service(plan, plan.cluster, plan.service));
  }
}
