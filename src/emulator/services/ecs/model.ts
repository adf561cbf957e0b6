import type {
  DeploymentConfiguration, DeploymentController, LaunchType, LoadBalancer, NetworkBinding, NetworkConfiguration,
  PropagateTags, Rollback, Scale, ServiceDeploymentAlarms, ServiceDeploymentCircuitBreaker, ServiceDeploymentStatus, ServiceEvent, ServiceRegistry,
  ServiceRevision, Tag, TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { DeploymentLifecycleHookAction, DeploymentLifecycleHookStatus } from '@aws-sdk/client-ecs';
import type { ProgressiveStage, ProgressiveStrategy, RollbackMove } from '../../runtime/scheduler/progressive-plan.js';
import type { TargetRef } from '../elbv2/load-balancing-plane.js';

/** What the ECS store keeps: JSON-able records; Dates survive the state directory as ISO strings. */

export interface StoredCluster {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'INACTIVE';
  tags: Tag[];
}

export interface StoredTaskDefinition {
  definition: TaskDefinition;
  tags: Tag[];
}

export type DeploymentStatus = 'PRIMARY' | 'ACTIVE' | 'INACTIVE';
export type RolloutState = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface StoredDeployment {
  id: string;
  status: DeploymentStatus;
  taskDefinition: string;
  desiredCount: number;
  /** Consecutive failed tasks; the circuit breaker's failure count. */
  failedTasks: number;
  createdAt: Date;
  updatedAt: Date;
  launchType: LaunchType;
  networkConfiguration: NetworkConfiguration | undefined;
  rolloutState: RolloutState;
  rolloutStateReason: string;
  serviceRevisionArn: string;
  serviceDeploymentArn: string;
  /**
   * Where this deployment's tasks register, when not the service's own
   * loadBalancers: blue/green deployments alternate between two target groups.
   */
  loadBalancers?: LoadBalancer[] | undefined;
  /** Rolling with deployment alarms: virtual epoch ms until which the complete deployment is still watched (the alarm bake). */
  alarmBakeUntil?: number | undefined;
}

export interface StoredService {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinition: string;
  launchType: LaunchType;
  deploymentConfiguration: DeploymentConfiguration;
  deploymentController: DeploymentController;
  loadBalancers: LoadBalancer[];
  healthCheckGracePeriodSeconds: number | undefined;
  networkConfiguration: NetworkConfiguration | undefined;
  serviceRegistries: ServiceRegistry[];
  tags: Tag[];
  enableECSManagedTags: boolean;
  propagateTags: PropagateTags;
  enableExecuteCommand: boolean;
  createdAt: Date;
  createdBy: string;
  /** Every deployment, newest first; INACTIVE ones are history (rollback targets), not shown. */
  deployments: StoredDeployment[];
  /** Newest first, at most 100. */
  events: ServiceEvent[];
  currentServiceDeployment: string | undefined;
  /** When "has reached a steady state" was last said; undefined while not steady. */
  steadyAnnouncedAt: number | undefined;
  /** EXTERNAL and CODE_DEPLOY deployment controllers: the task sets that run the service's tasks (absent in records of other services). */
  taskSets?: StoredTaskSet[] | undefined;
}

/** One task set of an EXTERNAL service (CreateTaskSet) or a CODE_DEPLOY one (CodeDeploy); DRAINING ones go once their tasks have stopped. */
export interface StoredTaskSet {
  /** "ecs-svc/" and 19 digits; the tasks it starts carry it as startedBy. */
  id: string;
  taskSetArn: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  externalId: string | undefined;
  taskDefinition: string;
  launchType: LaunchType;
  networkConfiguration: NetworkConfiguration | undefined;
  loadBalancers: LoadBalancer[];
  scale: Required<Scale>;
  stabilityStatus: 'STEADY_STATE' | 'STABILIZING';
  stabilityStatusAt: Date;
  createdAt: Date;
  updatedAt: Date;
  tags: Tag[];
}

export type TaskLastStatus =
  | 'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

export interface StoredContainer {
  containerArn: string;
  name: string;
  image: string;
  imageDigest: string | undefined;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode: number | undefined;
  reason: string | undefined;
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  /** Whether an essential health check decides this container's health. */
  healthChecked: boolean;
  essential: boolean;
  networkBindings: NetworkBinding[];
  runtimeId: string | undefined;
  cpu: string | undefined;
  memory: string | undefined;
  memoryReservation: string | undefined;
}

export interface StoredTask {
  taskArn: string;
  taskId: string;
  clusterArn: string;
  clusterName: string;
  serviceName: string;
  group: string;
  /** The deployment id the task belongs to (ECS: startedBy). */
  startedBy: string;
  taskDefinitionArn: string;
  launchType: LaunchType;
  cpu: string | undefined;
  memory: string | undefined;
  lastStatus: TaskLastStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  healthStatus: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  createdAt: Date;
  pullStartedAt: Date | undefined;
  pullStoppedAt: Date | undefined;
  startedAt: Date | undefined;
  connectivityAt: Date | undefined;
  stoppingAt: Date | undefined;
  stoppedAt: Date | undefined;
  executionStoppedAt: Date | undefined;
  stopCode: string | undefined;
  stoppedReason: string | undefined;
  containers: StoredContainer[];
  tags: Tag[];
  version: number;
  /** Targets registered for this task (deregistered when it stops). */
  targets: TargetRef[];
  /** Reached healthy once: later failures are not start failures. */
  everHealthy: boolean;
}

export interface StoredServiceDeployment {
  serviceDeploymentArn: string;
  serviceArn: string;
  clusterArn: string;
  deploymentId: string;
  createdAt: Date;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  stoppedAt: Date | undefined;
  updatedAt: Date;
  sourceServiceRevisionArns: string[];
  targetServiceRevisionArn: string;
  status: ServiceDeploymentStatus;
  statusReason: string | undefined;
  deploymentConfiguration: DeploymentConfiguration;
  rollback: Rollback | undefined;
  /** The deployment id that runs the rollback, once one started. */
  rollbackDeploymentId: string | undefined;
  deploymentCircuitBreaker: ServiceDeploymentCircuitBreaker;
  /** Deployment alarms; absent in records saved before alarms were monitored (reads as DISABLED). */
  alarms?: ServiceDeploymentAlarms | undefined;
  /** BLUE_GREEN, LINEAR and CANARY deployments: where the stage machine is. */
  progress?: ProgressState | undefined;
}

/** One load balancer's two routes and two target groups in a blue/green deployment. */
export interface StoredRoute {
  productionRule: string;
  testRule: string | undefined;
  blueTargetGroup: string;
  greenTargetGroup: string;
}

/** One lifecycle hook at one stage (PRE_PRODUCTION_TRAFFIC_SHIFT's hooks run again at every step). */
export interface StoredHookRun {
  hookId: string;
  targetType: 'PAUSE' | 'AWS_LAMBDA';
  /** AWS_LAMBDA: the function's ARN. */
  targetArn?: string | undefined;
  stage: ProgressiveStage;
  step: number;
  status: DeploymentLifecycleHookStatus;
  expiresAt: Date;
  timeoutAction: DeploymentLifecycleHookAction;
  /** AWS_LAMBDA: virtual epoch ms of the next invocation (now, or after an IN_PROGRESS answer's callBackDelay). */
  nextInvokeAt?: number | undefined;
  /** AWS_LAMBDA: what the next invocation passes as hookDetails (the hook's, or the function's last IN_PROGRESS answer's). */
  hookDetails?: unknown;
  /** Run again while the deployment rolls back (ECS re-runs TEST_TRAFFIC_SHIFT and PRODUCTION_TRAFFIC_SHIFT hooks). */
  duringRollback?: boolean;
}

export interface ProgressState {
  strategy: ProgressiveStrategy;
  phase: 'forward' | 'rollback' | 'stopped' | 'done';
  stage: ProgressiveStage;
  /** Production step index (LINEAR and CANARY have several). */
  step: number;
  /** The stage's own work (weights, scale-in, hooks) is done; what is left is waiting. */
  entered: boolean;
  /** Virtual epoch ms a bake ends at. */
  waitUntil: number | undefined;
  /** Percent of production / test traffic on the new revision. */
  productionPercent: number;
  testPercent: number;
  routes: StoredRoute[];
  blueDeploymentIds: string[];
  hooks: StoredHookRun[];
  rollbackMoves: RollbackMove[];
}

export type StoredServiceRevision = ServiceRevision & { serviceRevisionArn: string };

/** One account's ECS in one region. */
export interface EcsScopeState {
  clusters: Map<string, StoredCluster>;
  /** family -> revisions, index = revision - 1. */
  taskDefinitions: Map<string, StoredTaskDefinition[]>;
  /** "cluster/service" -> service. */
  services: Map<string, StoredService>;
  tasks: Map<string, StoredTask>;
  serviceDeployments: Map<string, StoredServiceDeployment>;
  serviceRevisions: Map<string, StoredServiceRevision>;
}
