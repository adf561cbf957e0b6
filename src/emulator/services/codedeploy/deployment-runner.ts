import { randomUUID } from 'node:crypto';
import type { ErrorCode } from '@aws-sdk/client-codedeploy';
import type { FunctionPlane } from '../lambda/function-plane.js';
import type { HookEvent } from './appspec.js';
import type { Clock } from '../../clock.js';
import type { TaskSetPlane } from '../ecs/task-set-plane.js';
import type { LoadBalancingPlane } from '../elbv2/load-balancing-plane.js';
import { nextAction, type DeploymentAction } from './deployment-decisions.js';
import type { StoredDeployment } from './model.js';
import type { CodeDeployStore } from './store.js';

export interface DeploymentRunnerDeps {
  clock: Clock;
  store: CodeDeployStore;
  taskSets: TaskSetPlane;
  loadBalancing: LoadBalancingPlane;
  functions: FunctionPlane;
  markDirty(): void;
  log(message: string): void;
}

/** How often, in virtual time, running deployments look at ECS again. */
const TICK_MS = 2_000;

/**
 * Drives ECS blue/green deployments the way CodeDeploy does, through the task
 * set calls it makes on ECS and the listener changes it makes on ELB: each tick
 * observes the replacement task set, asks deployment-decisions.ts what comes
 * next, and applies it. Progress lives in the stored deployment, so a tick has
 * no memory of its own.
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
      this.deps.markDirty();
    }
    const service = this.deps.taskSets.service(plan, plan.cluster, plan.service);
    const replacement = service?.taskSets.find((ts) => ts.id === d.replacementTaskSetId && ts.status !== 'DRAINING');
    const action: DeploymentAction = service?.active
      ? nextAction(progress, plan.steps, plan.terminationWaitMs, { exists: replacement !== undefined, steady: replacement?.steady ?? false }, now, {
        configured: plan.hooks.map((h) => h.event), done: d.hooks.done, running: d.hooks.running,
      })
      : { kind: 'fail', code: 'ECS_UPDATE_ERROR', why: `The ECS service ${plan.service} in cluster ${plan.cluster} is no longer active.` };
    this.apply(d, action, now);
  }

  private apply(d: StoredDeployment, action: DeploymentAction, now: number): void {
    const { plan } = d;
    switch (action.kind) {
      case 'wait':
        return;
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
        d.progress = { phase: 'AllowTraffic', startedAt: now, stepsDone: 0 };
        break;
      case 'shift': {
        if (!this.route(d, plan.productionListeners, action.percent)) return;
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
        break;
      case 'terminate-original':
        this.deps.taskSets.deleteTaskSet(plan, plan.cluster, plan.service, plan.originalTaskSetId);
        this.end(d, 'Succeeded');
        break;
      case 'fail':
        this.fail(d, action.code, action.why);
        return;
    }
    this.deps.markDirty();
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

  /**
   * A failed deployment ends Failed. With autoRollbackConfiguration on
   * DEPLOYMENT_FAILURE, CodeDeploy rolls back: traffic returns to the original
   * task set and the replacement task set is deleted.
   */
  private fail(d: StoredDeployment, code: ErrorCode, message: string): void {
    d.info.errorInformation = { code, message };
    if (d.hooks.running) d.hooks.finished.push(d.hooks.running.executionId);
    d.hooks.running = undefined;
    if (d.plan.rollbackOnFailure) this.rollBack(d);
    this.end(d, 'Failed');
    this.deps.markDirty();
  }

  /** StopDeployment: the deployment ends Stopped where it is, or rolled back. */
  stop(d: StoredDeployment, rollback: boolean): void {
    d.info.errorInformation = { code: 'MANUAL_STOP', message: `Deployment ${d.info.deploymentId} was stopped by a StopDeployment request.` };
    if (d.hooks.running) d.hooks.finished.push(d.hooks.running.executionId);
    d.hooks.running = undefined;
    if (rollback) this.rollBack(d);
    this.end(d, 'Stopped');
    this.deps.markDirty();
  }

  private rollBack(d: StoredDeployment): void {
    const { plan } = d;
    for (const arn of [...plan.productionListeners, ...plan.testListeners]) {
      this.deps.loadBalancing.setForwardWeights(plan, arn, [{ targetGroupArn: plan.originalTargetGroupArn, weight: 100 }]);
    }
    this.deps.taskSets.setPrimary(plan, plan.cluster, plan.service, plan.originalTaskSetId);
    if (d.replacementTaskSetId) this.deps.taskSets.deleteTaskSet(plan, plan.cluster, plan.service, d.replacementTaskSetId);
    d.info.rollbackInfo = { rollbackMessage: `Deployment ${d.info.deploymentId} was rolled back: traffic is on the original task set and the replacement task set was deleted.` };
  }

  private end(d: StoredDeployment, status: 'Succeeded' | 'Failed' | 'Stopped'): void {
    d.info.status = status;
    d.info.completeTime = new Date(this.deps.clock.now());
    d.progress = undefined;
  }
}
