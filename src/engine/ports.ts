import type { CompositeAlarm, MessageData, MetricAlarm, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import type { DeploymentConfiguration, LoadBalancer, Service, ServiceDeployment, ServiceDeploymentBrief, ServiceRevision, Tag, Task, TaskDefinition, RegisterTaskDefinitionRequest } from '@aws-sdk/client-ecs';
import type { Action, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AlarmConfiguration, DeploymentConfigInfo, DeploymentGroupInfo, DeploymentInfo, DeploymentStatus, DeploymentWaitType, ECSTarget, TrafficRoutingConfig } from '@aws-sdk/client-codedeploy';
import type { TrafficRoute } from '../spec/alb-canary.js';
import type { GateCheck } from '../spec/strategy.js';
import type { EcrImageReference } from './image.js';

/**
 * What the engine needs from AWS, in its own verbs. Adapters in src/aws
 * implement these with SDK v3 clients; tests implement them in memory.
 * Data keeps AWS's shapes (types only) so nothing is lost in translation.
 * Every call takes the deployment's abort signal.
 */
export interface EcsPort {
  /** The cluster, or undefined when ECS reports it MISSING. */
  findCluster(cluster: string, signal?: AbortSignal): Promise<{ clusterArn: string; status: string } | undefined>;
  /** The service, or undefined when ECS reports it MISSING. */
  findService(cluster: string, service: string, signal?: AbortSignal): Promise<Service | undefined>;
  /** A task definition with its tags, or undefined when it does not exist. */
  readTaskDefinition(taskDefinition: string, signal?: AbortSignal): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] } | undefined>;
  /** The family's ACTIVE revisions (task definition ARNs), newest first, every page. */
  listRevisions(family: string, signal?: AbortSignal): Promise<string[]>;
  /** Deregisters one revision (it becomes INACTIVE: running tasks go on, nothing new starts from it). */
  deregisterRevision(taskDefinitionArn: string, signal?: AbortSignal): Promise<void>;
  /** Registers a new revision of a family. */
  registerRevision(request: RegisterTaskDefinitionRequest, signal?: AbortSignal): Promise<TaskDefinition>;
  /**
   * Starts a new deployment of the service with this task definition (always a new deployment, even for the same revision).
   * A strategy's deployment configuration and load balancer wiring go in the same write.
   */
  startDeployment(request: StartDeploymentRequest, signal?: AbortSignal): Promise<Service>;
  /** Tasks the service wants running now, described. */
  findRunningTasks(cluster: string, service: string, signal?: AbortSignal): Promise<Task[]>;
  /** The service's stopped tasks (ECS keeps them for about an hour), described. */
  findStoppedServiceTasks(cluster: string, service: string, signal?: AbortSignal): Promise<Task[]>;
  /** Stopped tasks that a deployment started (ECS keeps them for about an hour), described. */
  findStoppedTasks(cluster: string, deploymentId: string, signal?: AbortSignal): Promise<Task[]>;
  /** A service deployment by ARN; undefined when unknown or when the endpoint does not offer service deployments. */
  readServiceDeployment(cluster: string, serviceDeploymentArn: string, signal?: AbortSignal): Promise<ServiceDeployment | undefined>;
  /** Recent service deployments (at most `limit`, default 20), newest first; undefined when the endpoint does not offer them. */
  listServiceDeployments(cluster: string, service: string, signal?: AbortSignal, limit?: number): Promise<ServiceDeploymentBrief[] | undefined>;
  /** Service deployments by ARN, described in batches; unknown ones are left out; undefined when the endpoint does not offer them. */
  readServiceDeployments(serviceDeploymentArns: readonly string[], signal?: AbortSignal): Promise<ServiceDeployment[] | undefined>;
  /**
   * Service revisions by ARN (what each one runs: its task definition); unknown ARNs are left out.
   * Undefined when the endpoint does not offer service revisions.
   */
  readServiceRevisions(serviceRevisionArns: readonly string[], signal?: AbortSignal): Promise<ServiceRevision[] | undefined>;
  /** Resolves a PAUSE lifecycle hook that is AWAITING_ACTION. */
  continueServiceDeployment(serviceDeploymentArn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK', signal?: AbortSignal): Promise<void>;
  /** Stops an ongoing service deployment; ROLLBACK sends the service back to the previous revision. */
  stopServiceDeployment(serviceDeploymentArn: string, stopType: 'ROLLBACK' | 'ABORT', signal?: AbortSignal): Promise<void>;
}

export interface StartDeploymentRequest {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  desiredCount?: number;
  deploymentConfiguration?: DeploymentConfiguration;
  loadBalancers?: LoadBalancer[];
}

/** One try of a gate's check. A check that cannot run (refused, timed out) is a failed attempt, not a throw. */
export interface GateAttempt {
  ok: boolean;
  /** Why it failed, or what passed, in a few words. */
  summary: string;
  /** Output worth keeping in the deployment log (response body, command output). */
  lines: string[];
}

/** Runs the checks of the tool's own gates: HTTP requests and local commands, each bounded by its timeout. */
export interface GateCheckPort {
  attempt(check: GateCheck, signal?: AbortSignal): Promise<GateAttempt>;
}

export type ImageLookup =
  | { found: true; digest: string | undefined }
  | { found: false; missing: 'repository' | 'image' };

export interface ImageRegistryPort {
  findImage(image: EcrImageReference, signal?: AbortSignal): Promise<ImageLookup>;
}

/** What metric analysis reads from CloudWatch. Failures throw; the analysis turns them into measurements with phase Error. */
export interface MetricsPort {
  /** GetMetricData over [startTime, endTime), every page; results keep AWS's shape (Timestamps with Values, StatusCode). */
  getMetricData(request: { queries: MetricDataQuery[]; startTime: Date; endTime: Date }, signal?: AbortSignal): Promise<{ results: MetricDataResult[]; messages: MessageData[] }>;
  /** The alarms of these names, metric and composite; a name CloudWatch does not know is absent from the answer. */
  describeAlarms(names: readonly string[], signal?: AbortSignal): Promise<Array<MetricAlarm | CompositeAlarm>>;
}

export type HttpProbe =
  | { kind: 'answered'; status: number; body: string }
  | { kind: 'failed'; reason: string };

export type CommandProbe =
  | { kind: 'exited'; exitCode: number; stdout: string; lines: string[] }
  | { kind: 'failed'; reason: string; lines: string[] };

/**
 * Reads for the http and command metrics of an analysis: one GET, one
 * command, each bounded by its timeout. Refused, timed out or killed is a
 * `failed` probe, never a throw (except the deployment's own abort).
 */
export interface ProbePort {
  httpGet(url: string, options: { timeoutMs: number; headers: Readonly<Record<string, string>> }, signal?: AbortSignal): Promise<HttpProbe>;
  runCommand(run: string, options: { timeoutMs: number }, signal?: AbortSignal): Promise<CommandProbe>;
}

/**
 * What verify reads about the resources a release names besides ECS and
 * ECR: IAM roles, secrets (Secrets Manager, SSM), log groups, target groups.
 * Each answers found or not; an AWS error other than "not found" throws.
 */
export interface ReleaseResourcePort {
  /** By role ARN (arn:aws:iam::ACCOUNT:role/PATH/NAME). */
  roleExists(roleArn: string, signal?: AbortSignal): Promise<boolean>;
  /** By the secret's ARN as a container's valueFrom names it (a JSON key and version after the name are ignored). */
  secretExists(secretArn: string, signal?: AbortSignal): Promise<boolean>;
  /** Which of these SSM parameters (names or ARNs) do not exist. */
  missingParameters(names: readonly string[], signal?: AbortSignal): Promise<string[]>;
  logGroupExists(name: string, region: string | undefined, signal?: AbortSignal): Promise<boolean>;
  /** Target groups by ARN; the ones that do not exist are left out. */
  targetGroupPorts(arns: readonly string[], signal?: AbortSignal): Promise<Map<string, { port: number | undefined }>>;
}

/** The last lines a container wrote, where its awslogs driver sent them. */
export interface LogTailPort {
  /** Newest `lines` events of the stream, oldest first; undefined when the group or stream does not exist. */
  tail(group: string, stream: string, region: string | undefined, lines: number, signal?: AbortSignal): Promise<string[] | undefined>;
}

export interface Ports {
  ecs: EcsPort;
  images: ImageRegistryPort;
  gates: GateCheckPort;
  metrics: MetricsPort;
  probes: ProbePort;
  /** Listener rules and target health; deploy reads a blue/green's production rule to name its target groups to analyses. */
  loadBalancers?: LoadBalancerPort | undefined;
  /** Service tags and desired count; deploy keeps its lock in a service tag. */
  services?: ServiceControlPort | undefined;
  /** Roles, secrets, log groups and target groups a release names (verify). */
  resources?: ReleaseResourcePort | undefined;
  /** Container logs, for what a failure shows. */
  logs?: LogTailPort | undefined;
  /** Deployments of services with the CODE_DEPLOY deployment controller. */
  codeDeploy?: CodeDeployPort | undefined;
}

/** A deployment to create: where, with which configuration and AppSpec; `alarms` overrides the group's alarm monitoring for this one. */
export interface CreateCodeDeployDeployment {
  application: string;
  group: string;
  config: string | undefined;
  appSpec: string;
  description: string;
  alarms?: AlarmConfiguration | undefined;
}

/** A CodeDeploy deployment group, with the application it belongs to. */
export interface CodeDeployGroup {
  application: string;
  group: DeploymentGroupInfo;
}

/**
 * What blue/green through CodeDeploy needs: the deployment group of a
 * service, its deployment configurations, and deployments: create, read,
 * continue past a wait, stop.
 */
export interface CodeDeployPort {
  /** The group by application and group name; undefined when either does not exist. */
  readGroup(application: string, group: string, signal?: AbortSignal): Promise<CodeDeployGroup | undefined>;
  /** The ECS deployment groups that deploy this service (their ecsServices name it), across every ECS application. */
  findGroupsOf(cluster: string, service: string, signal?: AbortSignal): Promise<CodeDeployGroup[]>;
  /** A deployment configuration, predefined or created; undefined when it does not exist. */
  readConfig(name: string, signal?: AbortSignal): Promise<DeploymentConfigInfo | undefined>;
  /** Creates an ECS deployment configuration. */
  createConfig(name: string, routing: TrafficRoutingConfig, signal?: AbortSignal): Promise<void>;
  /** Creates a deployment from AppSpec content; returns its id. */
  createDeployment(request: CreateCodeDeployDeployment, signal?: AbortSignal): Promise<string>;
  readDeployment(deploymentId: string, signal?: AbortSignal): Promise<DeploymentInfo>;
  /** The deployment's ECS target (lifecycle events, task sets and their traffic); undefined until CodeDeploy has one. */
  readTarget(deploymentId: string, targetId: string, signal?: AbortSignal): Promise<ECSTarget | undefined>;
  /** The group's deployment ids, newest first; only those in `statuses` when given. */
  listDeployments(application: string, group: string, statuses: readonly DeploymentStatus[] | undefined, signal?: AbortSignal): Promise<string[]>;
  continueDeployment(deploymentId: string, wait: DeploymentWaitType, signal?: AbortSignal): Promise<void>;
  stopDeployment(deploymentId: string, rollback: boolean, signal?: AbortSignal): Promise<void>;
}

/** What the tool's own canary (executor alb) needs from ECS beyond EcsPort: scaling and the state it keeps in tags. */
export interface ServiceControlPort {
  /** Changes only the desired count (no new deployment). */
  setDesiredCount(cluster: string, service: string, desiredCount: number, signal?: AbortSignal): Promise<void>;
  /** Tags of an ECS resource by ARN. */
  readTags(resourceArn: string, signal?: AbortSignal): Promise<Tag[]>;
  /** Adds or overwrites tags by key. */
  writeTags(resourceArn: string, tags: readonly Tag[], signal?: AbortSignal): Promise<void>;
  removeTags(resourceArn: string, keys: readonly string[], signal?: AbortSignal): Promise<void>;
}

/** The load balancer as the tool's canary moves traffic on it. */
export interface LoadBalancerPort {
  /** A listener rule's actions or a listener's default actions; undefined when the rule or listener does not exist. */
  readRouteActions(route: TrafficRoute, signal?: AbortSignal): Promise<RouteActions | undefined>;
  /** Replaces them in one call (ModifyRule, or ModifyListener for a default action). */
  writeRouteActions(route: TrafficRoute, actions: readonly Action[], signal?: AbortSignal): Promise<void>;
  /** Every registered target of a target group with its health. */
  readTargetHealth(targetGroupArn: string, signal?: AbortSignal): Promise<TargetHealthDescription[]>;
}

export interface RouteActions {
  actions: Action[];
  /** A rule ARN that names a listener's default rule: ALB refuses ModifyRule on it. */
  isDefaultRule: boolean;
}

export interface AlbCanaryPorts extends Ports {
  services: ServiceControlPort;
  loadBalancers: LoadBalancerPort;
}
