import type { Clock } from '../../clock.js';
import { EcsMetricPublisher } from '../../runtime/metrics/ecs-metric-publisher.js';
import { createProcessDriver } from '../../runtime/process-driver.js';
import { createTaskSetPlane, type TaskSetPlane } from './task-set-plane.js';
import { ServiceScheduler } from '../../runtime/scheduler/service-scheduler.js';
import type { TaskDriver } from '../../runtime/task-driver.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import type { ImageRegistry } from '../ecr/image-registry.js';
import type { LoadBalancingPlane } from '../elbv2/load-balancing-plane.js';
import type { AlarmPlane } from '../cloudwatch/alarm-plane.js';
import type { MetricPlane } from '../cloudwatch/metric-plane.js';
import type { FunctionPlane } from '../lambda/function-plane.js';
import type { LogPlane } from '../logs/log-plane.js';
import { ecsMetricSource } from './metric-source.js';
import { ecsOperations } from './operations.js';
import { EcsStore } from './store.js';

export interface EcsDeps {
  clock: Clock;
  registry: ImageRegistry;
  loadBalancing: LoadBalancingPlane;
  /** Lambda functions lifecycle hooks invoke; without it no AWS_LAMBDA hook target exists. */
  functions?: FunctionPlane;
  /** CloudWatch alarms deployment alarms read; without it no alarm exists, so none ever triggers. */
  alarms?: AlarmPlane;
  /** Where AWS/ECS CPUUtilization and MemoryUtilization go; without it none are published. */
  metrics?: MetricPlane;
  /** CloudWatch Logs, where awslogs containers write; without it every log group exists and output is dropped. */
  logs?: LogPlane;
  markDirty: () => void;
  log: (line: string) => void;
  driver?: TaskDriver;
}

/** An ECS composed without Lambda: no function exists, so AWS_LAMBDA hooks are refused at CreateService. */
const NO_FUNCTIONS: FunctionPlane = {
  find: () => undefined,
  invoke: async () => ({ kind: 'not-found' }),
};

/** An ECS composed without CloudWatch: deployment alarms are accepted and never trigger. */
const NO_ALARMS: AlarmPlane = { stateOf: () => undefined };

/** An ECS composed without CloudWatch Logs: awslogs containers start and their output goes nowhere. */
const NO_LOGS: LogPlane = { openStream: () => 'opened', write: () => true };

/** The emulated ECS API and the service scheduler that runs its tasks. */
export function createEcs(deps: EcsDeps): { service: EmulatedService; state: Persistent; taskSets: TaskSetPlane; start(): void; close(): Promise<void> } {
  const store = new EcsStore();
  const functions = deps.functions ?? NO_FUNCTIONS;
  const scheduler = new ServiceScheduler({
    store,
    clock: deps.clock,
    registry: deps.registry,
    loadBalancing: deps.loadBalancing,
    logs: deps.logs ?? NO_LOGS,
    functions,
    alarms: deps.alarms ?? NO_ALARMS,
    driver: deps.driver ?? createProcessDriver(),
    markDirty: deps.markDirty,
    log: deps.log,
  });
  const publisher = deps.metrics
    ? new EcsMetricPublisher({ clock: deps.clock, source: ecsMetricSource(store), metrics: deps.metrics, log: deps.log })
    : undefined;
  const context = { store, clock: deps.clock, loadBalancing: deps.loadBalancing, functions, scheduler };
  const service = defineService(
    { name: 'ECS', protocol: 'awsJson1_1', signingName: 'ecs', targetPrefix: 'AmazonEC2ContainerServiceV20141113' },
    ecsOperations(context),
  );
  return {
    service,
    taskSets: createTaskSetPlane(context),
    state: store,
    start() {
      scheduler.start();
      publisher?.start();
    },
    async close() {
      // Published before the tasks stop, so their last minute is not lost.
      await publisher?.close();
      await scheduler.close();
    },
  };
}
