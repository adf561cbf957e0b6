import type { Clock } from '../../clock.js';
import { defineService, type EmulatedService } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import type { AlarmPlane } from '../cloudwatch/alarm-plane.js';
import type { TaskSetPlane } from '../ecs/task-set-plane.js';
import type { LoadBalancingPlane } from '../elbv2/load-balancing-plane.js';
import type { FunctionPlane } from '../lambda/function-plane.js';
import { DeploymentRunner } from './deployment-runner.js';
import { codeDeployOperations } from './operations.js';
import { CodeDeployStore } from './store.js';

export interface CodeDeployDeps {
  clock: Clock;
  taskSets: TaskSetPlane;
  loadBalancing: LoadBalancingPlane;
  functions: FunctionPlane;
  /** CloudWatch alarms, which deployments with alarmConfiguration watch. */
  alarms: AlarmPlane;
  markDirty(): void;
  log(message: string): void;
}

/**
 * The emulated CodeDeploy API for the ECS compute platform (awsJson 1.1, the
 * only protocol its SDK v3 client, botocore and the AWS CLI speak):
 * applications, deployment groups, deployment configurations, and blue/green
 * deployments of CODE_DEPLOY services, which the runner drives through ECS
 * task sets and ELB listeners while it watches their CloudWatch alarms.
 */
export function createCodeDeploy(deps: CodeDeployDeps): { service: EmulatedService; state: Persistent; start(): void; close(): void } {
  const store = new CodeDeployStore();
  const runner = new DeploymentRunner({ ...deps, store });
  const service = defineService(
    { name: 'CodeDeploy', protocol: 'awsJson1_1', signingName: 'codedeploy', targetPrefix: 'CodeDeploy_20141006' },
    codeDeployOperations(store, {
      clock: deps.clock,
      taskSets: deps.taskSets,
      deployments: { clock: deps.clock, taskSets: deps.taskSets, loadBalancing: deps.loadBalancing, wake: () => runner.wake() },
      control: {
        wake: () => runner.wake(),
        stop: (deployment, rollback) => runner.stop(deployment, rollback),
        continueFromReady: (deployment) => runner.continueFromReady(deployment),
        endTerminationWait: (deployment) => runner.endTerminationWait(deployment),
      },
    }),
  );
  return { service, state: store, start: () => runner.start(), close: () => runner.close() };
}
