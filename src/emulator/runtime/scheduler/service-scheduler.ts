import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { Clock } from '../../clock.js';
import type { ImageRegistry } from '../../services/ecr/image-registry.js';
import { randomUuid } from '../../services/ecs/arns.js';
import { rolloutReasons, serviceDeploymentReasons, serviceEvents, stopReasons } from '../../services/ecs/catalogue.js';
import { liveTasksOf, primaryOf, serviceTasks, startDeployment } from '../../services/ecs/deployment-records.js';
import type { EcsScopeState, StoredDeployment, StoredService, StoredServiceDeployment, StoredTask } from '../../services/ecs/model.js';
import { serviceKey, type EcsStore, type Scope } from '../../services/ecs/store.js';
import { findTaskDefinition } from '../../services/ecs/task-definition-lookup.js';
import type { LoadBalancingPlane } from '../../services/elbv2/load-balancing-plane.js';
import type { LogPlane } from '../../services/logs/log-plane.js';
import type { AlarmPlane } from '../../services/cloudwatch/alarm-plane.js';
import type { FunctionPlane } from '../../services/lambda/function-plane.js';
import type { TaskDriver } from '../task-driver.js';
import {
  circuitBreakerThreshold, hasCircuitBreakerTripped, isDeploymentComplete, planRollingStep, rollbackTarget, type LiveTask,
} from './decisions.js';
import { alarmBakeMs, triggeredAlarms } from './deployment-alarms.js';
import { ProgressiveDeployments } from './progressive-deployment.js';
import { TaskLifecycle, type TaskOrigin } from './task-lifecycle.js';
import { TaskSetScheduler } from './task-set-scheduler.js';

export interface SchedulerDeps {
  store: EcsStore;
  clock: Clock;
  registry: ImageRegistry;
  loadBalancing: LoadBalancingPlane;
  /** Where awslogs containers write their output (CloudWatch Logs). */
  logs: LogPlane;
  functions: FunctionPlane;
  /** Deployment alarms' states (CloudWatch). */
  alarms: AlarmPlane;
  driver: TaskDriver;
  markDirty: () => void;
  log: (line: string) => void;
}

/** The floor under event-driven scheduling: one look at every service this often (real ms). */
const TICK_REAL_MS = 100;
/** ECS says "has reached a steady state" again only after hours of quiet. */
const STEADY_STATE_REPEAT_MS = 6 * 60 * 60 * 1000;
/** ECS keeps STOPPED tasks describable for about an hour. */
const STOPPED_TASK_RETENTION_MS = 60 * 60 * 1000;
const MAX_EVENTS = 100;

/**
 * The ECS service scheduler for REPLICA services with the ECS deployment
 * controller and the ROLLING strategy. Woken by API writes and task changes,
 * and by a periodic tick that also notices target health changes.
 */
export class ServiceScheduler {
  private readonly tasks: TaskLifecycle;
  /** BLUE_GREEN, LINEAR and CANARY deployments; ROLLING is this class's own. */
  readonly progressive: ProgressiveDeployments;
  /** Task sets of services with the EXTERNAL or CODE_DEPLOY deployment controller. */
  private readonly taskSets: TaskSetScheduler;
  private cancelTick: (() => void) | undefined;
  private wakePending = false;
  private closed = false;

  constructor(private readonly deps: SchedulerDeps) {
    this.tasks = new TaskLifecycle({
      clock: deps.clock,
      registry: deps.registry,
      loadBalancing: deps.loadBalancing,
      logs: deps.logs,
      driver: deps.driver,
      changed: () => {
        deps.markDirty();
        this.wake();
      },
      event: (_scope, service, message) => this.event(service, message),
      failed: (scope, task) => this.countFailure(scope, task),
      healthy: (scope, task) => this.countHealthy(scope, task),
      serviceOf: (scope, task) => deps.store.state(scope).services.get(serviceKey(task.clusterName, task.serviceName)),
      taskDefinition: (scope, arn) => findTaskDefinition(deps.store.state(scope), arn)?.definition,
      log: deps.log,
    });
    this.progressive = new ProgressiveDeployments({
      clock: deps.clock,
      loadBalancing: deps.loadBalancing,
      functions: deps.functions,
      alarmState: (scope, name) => deps.alarms.stateOf(scope, name),
      wake: () => this.wake(),
      launch: (scope, state, service, deployment, count) => this.launch(scope, state, service, deployment, count),
      stop: (scope, task, reason) => void this.tasks.stop(scope, task, 'ServiceSchedulerInitiated', reason),
      event: (service, message) => this.event(service, message),
      markDirty: deps.markDirty,
    });
    this.taskSets = new TaskSetScheduler({
      clock: deps.clock,
      launch: (scope, state, service, taskSet, count) => this.launch(scope, state, service, taskSet, count),
      stop: (scope, task, reason) => void this.tasks.stop(scope, task, 'ServiceSchedulerInitiated', reason),
      event: (service, message) => this.event(service, message),
      markDirty: deps.markDirty,
    });
  }

  /** Restores runtime after a restart: tasks that were not STOPPED did not survive; ECS replaces them. */
  start(): void {
    for (const { scope, state } of this.deps.store.all()) {
      for (const task of state.tasks.values()) this.tasks.recover(scope, task);
    }
    this.deps.markDirty();
    this.scheduleTick();
    this.wake();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelTick?.();
    this.progressive.close();
    await this.tasks.close();
  }

  /** Look at every service soon (coalesced). */
  wake(): void {
    if (this.wakePending || this.closed) return;
    this.wakePending = true;
    setImmediate(() => {
      this.wakePending = false;
      this.reconcileAll();
    });
  }

  /** StopTask: the user stops a task; the scheduler replaces it. */
  stopTask(scope: Scope, task: StoredTask, reason: string): void {
    void this.tasks.stop(scope, task, 'UserInitiated', reason);
  }

  continueHook(record: StoredServiceDeployment, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): 'ok' | 'unknown-hook' | 'not-waiting' {
    const result = this.progressive.continueHook(record, hookId, action);
    this.deps.markDirty();
    this.wake();
    return result;
  }

  /**
   * StopServiceDeployment. Traffic-shifting deployments roll back in place
   * (blue is still running); a ROLLING one rolls back to the last completed
   * deployment, as the circuit breaker does.
   */
  stopDeployment(scope: Scope, record: StoredServiceDeployment, stopType: 'ROLLBACK' | 'ABORT'): 'ok' | 'not-stoppable' {
    const ongoing = ['PENDING', 'IN_PROGRESS', 'STOP_REQUESTED', 'ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS'];
    if (!ongoing.includes(record.status ?? '')) return 'not-stoppable';
    if (record.status !== 'PENDING' && record.status !== 'IN_PROGRESS') return 'ok';
    const state = this.deps.store.state(scope);
    const service = [...state.services.values()].find((s) => s.serviceArn === record.serviceArn);
    if (!service) return 'not-stoppable';
    if (record.progress || this.progressive.owns(state, service) === record) {
      if (!record.progress) this.progressive.reconcile(scope, state, service, record);
      this.progressive.stop(record, stopType);
    } else {
      this.stopRolling(scope, state, service, record, stopType);
    }
    this.deps.markDirty();
    this.wake();
    return 'ok';
  }

  private stopRolling(scope: Scope, state: EcsScopeState, service: StoredService, record: StoredServiceDeployment, stopType: 'ROLLBACK' | 'ABORT'): void {
    const now = new Date(this.deps.clock.now());
    const primary = primaryOf(service);
    const target = stopType === 'ROLLBACK' && primary?.id === record.deploymentId
      ? rollbackTarget(service.deployments.map((d) => ({ ...d, createdAt: d.createdAt.getTime(), deployment: d })), primary.id)?.deployment
      : undefined;
    if (!target || !primary) {
      record.status = 'STOPPED';
      record.stoppedAt = record.finishedAt = record.updatedAt = now;
      if (primary?.id === record.deploymentId) primary.rolloutState = 'FAILED';
      return;
    }
    primary.rolloutState = 'FAILED';
    record.status = 'ROLLBACK_REQUESTED';
    service.taskDefinition = target.taskDefinition;
    startDeployment(scope, state, service, now, { rollbackTo: target, rollbackCause: rolloutReasons.stopCause });
    if (record.rollback) record.rollback.reason = serviceDeploymentReasons.stopRequested;
    this.event(service, serviceEvents.rollingBack(service.serviceName, target.id));
  }

  private scheduleTick(): void {
    if (this.closed) return;
    this.cancelTick = this.deps.clock.after(TICK_REAL_MS * this.deps.clock.speed, () => {
      this.reconcileAll();
      this.scheduleTick();
    });
  }

  private reconcileAll(): void {
    if (this.closed) return;
    for (const { scope, state } of this.deps.store.all()) {
      for (const task of state.tasks.values()) {
        if (task.lastStatus !== 'STOPPED') this.tasks.observe(scope, task);
      }
      for (const service of state.services.values()) {
        if (service.status === 'INACTIVE') continue;
        try {
          this.reconcile(scope, state, service);
        } catch (err) {
          this.deps.log(`scheduler: service ${service.serviceName}: ${(err as Error).message}`);
        }
      }
      this.pruneStoppedTasks(state);
    }
  }

  private reconcile(scope: Scope, state: EcsScopeState, service: StoredService): void {
    if (service.deploymentController.type === 'EXTERNAL' || service.deploymentController.type === 'CODE_DEPLOY') {
      this.taskSets.reconcile(scope, state, service);
      return;
    }
    const now = this.deps.clock.now();
    const primary = primaryOf(service);
    if (!primary) return;
    const tasks = serviceTasks(state, service);
    const stopping = tasks.filter((t) => t.desiredStatus === 'STOPPED').length;
    const live = (id: string): LiveTask[] =>
      liveTasksOf(state, service, id).map((t) => ({ taskArn: t.taskArn, healthy: t.lastStatus === 'RUNNING' && t.everHealthy, createdAt: t.createdAt.getTime() }));

    const progressive = service.status === 'ACTIVE' ? this.progressive.owns(state, service) : undefined;
    if (progressive) {
      this.progressive.reconcile(scope, state, service, progressive);
      return;
    }
    if (service.status === 'DRAINING') {
      primary.desiredCount = 0;
      service.desiredCount = 0;
    }
    this.checkCircuitBreaker(scope, state, service);
    this.checkAlarms(scope, state, service);
    const current = primaryOf(service) ?? primary;
    const older = service.deployments.filter((d) => d.status === 'ACTIVE');
    const config = service.deploymentConfiguration;
    current.desiredCount = service.desiredCount;

    const step = planRollingStep({
      desiredCount: service.desiredCount,
      maximumPercent: config.maximumPercent ?? 200,
      minimumHealthyPercent: config.minimumHealthyPercent ?? 100,
      primaryMayLaunch: current.rolloutState !== 'FAILED' && service.status === 'ACTIVE',
      primary: live(current.id),
      older: older.map((d) => ({ deploymentId: d.id, desiredCount: d.desiredCount, createdAt: d.createdAt.getTime(), tasks: live(d.id) })),
      stopping,
    });

    let changed = false;
    for (const { deploymentId, desiredCount } of step.olderDesired) {
      const d = older.find((o) => o.id === deploymentId);
      if (d && d.desiredCount !== desiredCount) {
        d.desiredCount = desiredCount;
        d.updatedAt = new Date(now);
        changed = true;
      }
    }
    if (step.stop.length > 0) {
      const stopped = step.stop.map((s) => state.tasks.get(s.taskArn)).filter((t): t is StoredTask => t !== undefined);
      this.event(service, serviceEvents.stoppedTasks(service.serviceName, stopped.map((t) => t.taskId)));
      for (const task of stopped) {
        void this.tasks.stop(scope, task, 'ServiceSchedulerInitiated', stopReasons.scaling(current.id));
      }
      changed = true;
    }
    const started: StoredTask[] = [];
    started.push(...this.launch(scope, state, service, current, step.startPrimary));
    for (const { deploymentId, count } of step.startOlder) {
      const d = older.find((o) => o.id === deploymentId);
      if (d) started.push(...this.launch(scope, state, service, d, count));
    }
    if (started.length > 0) {
      this.event(service, serviceEvents.startedTasks(service.serviceName, started.map((t) => t.taskId)));
      changed = true;
    }
    if (changed) service.steadyAnnouncedAt = undefined;

    this.checkCompletion(scope, state, service, stopping + step.stop.length);
    if (service.status === 'DRAINING' && serviceTasks(state, service).length === 0) {
      service.status = 'INACTIVE';
      for (const d of service.deployments) if (d.status !== 'INACTIVE') d.status = 'INACTIVE';
      changed = true;
    }
    if (changed) this.deps.markDirty();
  }

  private launch(scope: Scope, state: EcsScopeState, service: StoredService, deployment: TaskOrigin & { updatedAt: Date }, count: number): StoredTask[] {
    if (count <= 0) return [];
    const definition: TaskDefinition | undefined = findTaskDefinition(state, deployment.taskDefinition)?.definition;
    if (!definition) return [];
    const out: StoredTask[] = [];
    for (let i = 0; i < count; i += 1) {
      const task = this.tasks.create(scope, service, deployment, definition);
      state.tasks.set(task.taskArn, task);
      out.push(task);
    }
    deployment.updatedAt = new Date(this.deps.clock.now());
    return out;
  }

  private checkCompletion(scope: Scope, state: EcsScopeState, service: StoredService, stopping: number): void {
    const primary = primaryOf(service);
    if (!primary || service.status !== 'ACTIVE') return;
    const primaryTasks = liveTasksOf(state, service, primary.id).map((t) => ({
      taskArn: t.taskArn, healthy: t.lastStatus === 'RUNNING' && t.everHealthy, createdAt: t.createdAt.getTime(),
    }));
    const olderLive = service.deployments
      .filter((d) => d.status === 'ACTIVE')
      .reduce((n, d) => n + liveTasksOf(state, service, d.id).length, 0);
    if (!isDeploymentComplete({ desiredCount: service.desiredCount, primary: primaryTasks, olderLive, stopping })) return;
    const now = new Date(this.deps.clock.now());
    if (primary.rolloutState === 'IN_PROGRESS' && this.inAlarmBake(scope, state, primary, now.getTime())) return;
    if (primary.rolloutState === 'IN_PROGRESS') {
      primary.rolloutState = 'COMPLETED';
      primary.rolloutStateReason = rolloutReasons.completed(primary.id);
      primary.updatedAt = now;
      for (const d of service.deployments) {
        if (d.status === 'ACTIVE') {
          d.status = 'INACTIVE';
          d.updatedAt = now;
        }
      }
      const record = state.serviceDeployments.get(primary.serviceDeploymentArn);
      if (record) {
        record.status = record.rollbackDeploymentId === primary.id ? 'ROLLBACK_SUCCESSFUL' : 'SUCCESSFUL';
        record.finishedAt = now;
        record.updatedAt = now;
        if (record.deploymentCircuitBreaker.status === 'MONITORING') record.deploymentCircuitBreaker.status = 'MONITORING_COMPLETE';
        if (record.alarms?.status === 'MONITORING') record.alarms.status = 'MONITORING_COMPLETE';
      }
      this.event(service, serviceEvents.deploymentCompleted(service.serviceName, primary.id));
      this.deps.markDirty();
    } else if (service.deployments.some((d) => d.status === 'ACTIVE')) {
      for (const d of service.deployments) if (d.status === 'ACTIVE') d.status = 'INACTIVE';
    }
    const announced = service.steadyAnnouncedAt;
    if (announced === undefined || now.getTime() - announced >= STEADY_STATE_REPEAT_MS) {
      service.steadyAnnouncedAt = now.getTime();
      this.event(service, serviceEvents.steadyState(service.serviceName));
      this.deps.markDirty();
    }
  }

  /** Whether a complete rolling deployment is still in its alarm bake (first call starts it). */
  private inAlarmBake(scope: Scope, state: EcsScopeState, primary: StoredDeployment, now: number): boolean {
    const record = state.serviceDeployments.get(primary.serviceDeploymentArn);
    if (!record || record.deploymentId !== primary.id || record.alarms?.status !== 'MONITORING') return false;
    if (primary.alarmBakeUntil === undefined) {
      const windowOf = (name: string) => this.deps.alarms.evaluationWindowSeconds?.(scope, name);
      primary.alarmBakeUntil = now + alarmBakeMs(record.deploymentConfiguration.alarms, windowOf);
      this.deps.markDirty();
    }
    return now < primary.alarmBakeUntil;
  }

  private countFailure(scope: Scope, task: StoredTask): void {
    const service = this.deps.store.state(scope).services.get(serviceKey(task.clusterName, task.serviceName));
    const deployment = service?.deployments.find((d) => d.id === task.startedBy);
    if (!service || !deployment || deployment.status !== 'PRIMARY' || deployment.rolloutState !== 'IN_PROGRESS') return;
    deployment.failedTasks += 1;
    deployment.updatedAt = new Date(this.deps.clock.now());
    const record = this.deps.store.state(scope).serviceDeployments.get(deployment.serviceDeploymentArn);
    if (record && record.deploymentId === deployment.id) record.deploymentCircuitBreaker.failureCount = deployment.failedTasks;
  }

  private countHealthy(scope: Scope, task: StoredTask): void {
    const service = this.deps.store.state(scope).services.get(serviceKey(task.clusterName, task.serviceName));
    const deployment = service?.deployments.find((d) => d.id === task.startedBy);
    if (!service || !deployment || deployment.rolloutState !== 'IN_PROGRESS') return;
    // resetOnHealthyTask defaults to true: a healthy task clears the consecutive failure count.
    if (service.deploymentConfiguration.deploymentCircuitBreaker?.resetOnHealthyTask === false) return;
    deployment.failedTasks = 0;
    const record = this.deps.store.state(scope).serviceDeployments.get(deployment.serviceDeploymentArn);
    if (record && record.deploymentId === deployment.id) record.deploymentCircuitBreaker.failureCount = 0;
  }

  private checkCircuitBreaker(scope: Scope, state: EcsScopeState, service: StoredService): void {
    const breaker = service.deploymentConfiguration.deploymentCircuitBreaker;
    const primary = primaryOf(service);
    if (!breaker?.enable || !primary || primary.rolloutState !== 'IN_PROGRESS') return;
    const threshold = circuitBreakerThreshold(service.desiredCount, breaker.thresholdConfiguration);
    const record = state.serviceDeployments.get(primary.serviceDeploymentArn);
    if (record && record.deploymentId === primary.id) record.deploymentCircuitBreaker.threshold = threshold;
    if (!hasCircuitBreakerTripped(primary.failedTasks, threshold)) return;

    const now = new Date(this.deps.clock.now());
    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = rolloutReasons.circuitBreakerFailed;
    primary.updatedAt = now;
    this.event(service, serviceEvents.deploymentFailed(service.serviceName, primary.id));
    if (record) {
      record.deploymentCircuitBreaker.status = 'TRIGGERED';
      record.updatedAt = now;
    }
    this.failRolling(scope, state, service, primary, record, breaker.rollback === true, rolloutReasons.circuitBreakerFailed);
  }

  /**
   * A deployment alarm in ALARM during a rolling deployment: the deployment
   * fails, and with rollback the service goes back to the last completed
   * deployment the way the circuit breaker takes it there.
   */
  private checkAlarms(scope: Scope, state: EcsScopeState, service: StoredService): void {
    const primary = primaryOf(service);
    if (!primary || primary.rolloutState !== 'IN_PROGRESS') return;
    const record = state.serviceDeployments.get(primary.serviceDeploymentArn);
    // A rollback deployment is not watched again: the record's alarms already triggered.
    if (!record || record.deploymentId !== primary.id || record.alarms?.status !== 'MONITORING') return;
    const config = record.deploymentConfiguration.alarms;
    const triggered = triggeredAlarms(config, (name) => this.deps.alarms.stateOf(scope, name));
    if (triggered.length === 0) return;
    const now = new Date(this.deps.clock.now());
    record.alarms = { status: 'TRIGGERED', alarmNames: [...(config?.alarmNames ?? [])], triggeredAlarmNames: triggered };
    primary.rolloutState = 'FAILED';
    primary.rolloutStateReason = rolloutReasons.alarmFailed(triggered);
    primary.updatedAt = now;
    record.updatedAt = now;
    this.event(service, serviceEvents.deploymentFailedAlarm(service.serviceName, primary.id, triggered));
    this.failRolling(scope, state, service, primary, record, config?.rollback === true, rolloutReasons.alarmFailed(triggered), rolloutReasons.alarmCause(triggered));
    if (record.rollback && config?.rollback) record.rollback.reason = serviceDeploymentReasons.alarmRolledBack(triggered);
  }

  /** A failed rolling deployment: rolled back to the last completed deployment when asked and possible, else stopped. */
  private failRolling(
    scope: Scope, state: EcsScopeState, service: StoredService, primary: StoredDeployment, record: StoredServiceDeployment | undefined,
    rollback: boolean, reason: string, rollbackCause?: string,
  ): void {
    const now = new Date(this.deps.clock.now());
    // A rollback that fails is not rolled back again: ECS reports ROLLBACK_FAILED.
    const isRollback = record?.rollbackDeploymentId === primary.id;
    const target = rollback && !isRollback ? rollbackTarget(
      service.deployments.map((d) => ({ ...d, createdAt: d.createdAt.getTime(), deployment: d })),
      primary.id,
    )?.deployment : undefined;
    if (!target) {
      if (record && record.status === 'IN_PROGRESS') {
        record.status = 'STOPPED';
        record.statusReason = reason;
        record.stoppedAt = now;
        record.finishedAt = now;
      } else if (record && record.status === 'ROLLBACK_IN_PROGRESS') {
        record.status = 'ROLLBACK_FAILED';
        record.finishedAt = now;
      }
      this.deps.markDirty();
      return;
    }
    if (record) record.status = 'ROLLBACK_REQUESTED';
    service.taskDefinition = target.taskDefinition;
    startDeployment(scope, state, service, now, { rollbackTo: target, ...(rollbackCause ? { rollbackCause } : {}) });
    this.event(service, serviceEvents.rollingBack(service.serviceName, target.id));
    this.deps.markDirty();
  }

  private event(service: StoredService, message: string): void {
    service.events.unshift({ id: randomUuid(), createdAt: new Date(this.deps.clock.now()), message });
    if (service.events.length > MAX_EVENTS) service.events.length = MAX_EVENTS;
    this.deps.log(message);
  }

  private pruneStoppedTasks(state: EcsScopeState): void {
    const cutoff = this.deps.clock.now() - STOPPED_TASK_RETENTION_MS;
    for (const [arn, task] of state.tasks) {
      if (task.lastStatus === 'STOPPED' && (task.stoppedAt?.getTime() ?? 0) < cutoff) state.tasks.delete(arn);
    }
  }
}
