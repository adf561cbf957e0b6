import type { Deployment, RegisterTaskDefinitionRequest, Service, ServiceDeployment, ServiceDeploymentBrief, ServiceRevision, Tag, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Clock } from '../../src/engine/clock.js';
import type { EcrImageReference } from '../../src/engine/image.js';
import type { EcsPort, GateAttempt, GateCheckPort, ImageLookup, ImageRegistryPort, Ports, StartDeploymentRequest } from '../../src/engine/ports.js';
import type { GateCheck } from '../../src/spec/strategy.js';
import { FakeMetrics, FakeProbes } from './analysis-fakes.js';

export const T0 = Date.parse('2025-06-01T12:00:00.000Z');
export const ACCOUNT = '123456789012';
export const REPO_URI = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/web`;
export const TD_ARN = (rev: number): string => `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/web:${rev}`;

/** Time passes only when someone sleeps: a deployment runs in no real time. */
export function fakeClock(start = T0): Clock & { sleeps: number[] } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      now += ms;
    },
  };
}

export type Write =
  | { op: 'registerRevision'; request: RegisterTaskDefinitionRequest }
  | { op: 'startDeployment'; request: StartDeploymentRequest }
  | { op: 'continueServiceDeployment'; serviceDeploymentArn: string; hookId: string; action: 'CONTINUE' | 'ROLLBACK' }
  | { op: 'stopServiceDeployment'; serviceDeploymentArn: string; stopType: 'ROLLBACK' | 'ABORT' };

/** One step of ECS's behaviour after the update: changes the service as a poll would see it. */
export type Step = (ecs: FakeEcs) => void;

export function taskDefinition(rev: number, containers = [{ name: 'app', image: `${REPO_URI}:v${rev}` }]): TaskDefinition {
  return {
    taskDefinitionArn: TD_ARN(rev),
    family: 'web',
    revision: rev,
    status: 'ACTIVE',
    containerDefinitions: containers.map((c) => ({ ...c, essential: true, portMappings: [{ containerPort: 8080 }] })),
    cpu: '256',
    memory: '512',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.docker-remote-api.1.18' }],
    registeredAt: new Date(T0 - 86_400_000),
    registeredBy: `arn:aws:iam::${ACCOUNT}:user/dev`,
  };
}

export function deployment(id: string, status: string, rev: number, fields: Partial<Deployment> = {}): Deployment {
  return { id, status, taskDefinition: TD_ARN(rev), desiredCount: 2, pendingCount: 0, runningCount: 0, failedTasks: 0, rolloutState: 'IN_PROGRESS', ...fields };
}

export class FakeEcs implements EcsPort {
  readonly writes: Write[] = [];
  readonly reads: string[] = [];
  clusterStatus: string | undefined = 'ACTIVE';
  service: Service | undefined;
  readonly taskDefinitions = new Map<string, { taskDefinition: TaskDefinition; tags: Tag[] }>();
  runningTasks: Task[] = [];
  stoppedTasks: Task[] = [];
  serviceDeployment: ServiceDeployment | undefined;
  /** What ListServiceDeployments answers; undefined: the endpoint does not offer it. */
  serviceDeploymentBriefs: ServiceDeploymentBrief[] | undefined;
  /** What DescribeServiceRevisions knows; undefined: the endpoint does not offer it. */
  serviceRevisions: ServiceRevision[] | undefined;
  /** Called on ContinueServiceDeployment / StopServiceDeployment: lets a test play ECS's answer. */
  onContinue: ((ecs: FakeEcs, hookId: string, action: 'CONTINUE' | 'ROLLBACK') => void) | undefined;
  onStop: ((ecs: FakeEcs, stopType: 'ROLLBACK' | 'ABORT') => void) | undefined;
  /** Applied one per DescribeServices after the update; the last state stays. */
  steps: Step[] = [];
  newDeploymentId = 'ecs-svc/2000000000000000002';
  private nextRevision = 4;
  private eventCounter = 0;

  constructor(currentRevision = 3, tags: Tag[] = [{ key: 'team', value: 'payments' }]) {
    const td = taskDefinition(currentRevision);
    this.taskDefinitions.set(TD_ARN(currentRevision), { taskDefinition: td, tags });
    this.nextRevision = currentRevision + 1;
    this.service = {
      serviceName: 'web',
      status: 'ACTIVE',
      desiredCount: 2,
      taskDefinition: TD_ARN(currentRevision),
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, maximumPercent: 200, minimumHealthyPercent: 100 },
      deployments: [deployment('ecs-svc/1000000000000000001', 'PRIMARY', currentRevision, { runningCount: 2, rolloutState: 'COMPLETED' })],
      events: [{ id: 'old-event', createdAt: new Date(T0 - 3_600_000), message: '(service web) has reached a steady state.' }],
    };
  }

  addEvent(message: string, at: number): void {
    this.eventCounter += 1;
    this.service?.events?.unshift({ id: `event-${this.eventCounter}`, createdAt: new Date(at), message });
  }

  setDeployments(deployments: Deployment[]): void {
    if (this.service) this.service.deployments = deployments;
  }

  async findCluster(cluster: string) {
    this.reads.push('findCluster');
    return this.clusterStatus ? { clusterArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/${cluster}`, status: this.clusterStatus } : undefined;
  }

  async findService() {
    this.reads.push('findService');
    const updated = this.writes.some((w) => w.op === 'startDeployment');
    if (updated) this.steps.shift()?.(this);
    return this.service && structuredClone(this.service);
  }

  async readTaskDefinition(arn: string) {
    this.reads.push('readTaskDefinition');
    return this.taskDefinitions.get(arn);
  }

  async registerRevision(request: RegisterTaskDefinitionRequest): Promise<TaskDefinition> {
    this.writes.push({ op: 'registerRevision', request: structuredClone(request) });
    const revision = this.nextRevision++;
    const { tags: _tags, ...fields } = request;
    const registered: TaskDefinition = { ...fields, taskDefinitionArn: TD_ARN(revision), revision, status: 'ACTIVE' };
    this.taskDefinitions.set(TD_ARN(revision), { taskDefinition: registered, tags: request.tags ?? [] });
    return registered;
  }

  async startDeployment(request: StartDeploymentRequest): Promise<Service> {
    this.writes.push({ op: 'startDeployment', request: structuredClone(request) });
    const service = this.service as Service;
    const desired = request.desiredCount ?? service.desiredCount ?? 0;
    service.desiredCount = desired;
    service.taskDefinition = request.taskDefinitionArn;
    const previous = (service.deployments ?? []).map((d) => ({ ...d, status: 'ACTIVE' }));
    service.deployments = [
      { id: this.newDeploymentId, status: 'PRIMARY', taskDefinition: request.taskDefinitionArn, desiredCount: desired, pendingCount: 0, runningCount: 0, failedTasks: 0, rolloutState: 'IN_PROGRESS' },
      ...previous,
    ];
    return structuredClone(service);
  }

  async findRunningTasks() {
    this.reads.push('findRunningTasks');
    return this.runningTasks;
  }

  async findStoppedTasks(_cluster: string, deploymentId: string) {
    this.reads.push('findStoppedTasks');
    return this.stoppedTasks.filter((t) => t.startedBy === deploymentId);
  }

  async readServiceDeployment() {
    this.reads.push('readServiceDeployment');
    return this.serviceDeployment && structuredClone(this.serviceDeployment);
  }

  async findStoppedServiceTasks(): Promise<Task[]> {
    return [];
  }

  async listRevisions(): Promise<string[]> {
    return [];
  }

  async deregisterRevision(): Promise<void> {}

  /** Every service deployment by ARN, for history; the one being followed is `serviceDeployment`. */
  serviceDeploymentsByArn = new Map<string, ServiceDeployment>();

  async readServiceDeployments(arns: readonly string[]): Promise<ServiceDeployment[] | undefined> {
    this.reads.push('readServiceDeployments');
    return arns.flatMap((arn) => {
      const found = this.serviceDeploymentsByArn.get(arn);
      return found ? [structuredClone(found)] : [];
    });
  }

  async listServiceDeployments(): Promise<ServiceDeploymentBrief[] | undefined> {
    this.reads.push('listServiceDeployments');
    return this.serviceDeploymentBriefs;
  }

  async readServiceRevisions(arns: readonly string[]): Promise<ServiceRevision[] | undefined> {
    this.reads.push('readServiceRevisions');
    return this.serviceRevisions?.filter((r) => arns.includes(r.serviceRevisionArn ?? ''));
  }

  async continueServiceDeployment(serviceDeploymentArn: string, hookId: string, action: 'CONTINUE' | 'ROLLBACK'): Promise<void> {
    this.writes.push({ op: 'continueServiceDeployment', serviceDeploymentArn, hookId, action });
    this.onContinue?.(this, hookId, action);
  }

  async stopServiceDeployment(serviceDeploymentArn: string, stopType: 'ROLLBACK' | 'ABORT'): Promise<void> {
    this.writes.push({ op: 'stopServiceDeployment', serviceDeploymentArn, stopType });
    this.onStop?.(this, stopType);
  }
}

export class FakeImages implements ImageRegistryPort {
  readonly lookups: EcrImageReference[] = [];
  constructor(private readonly images: Record<string, ImageLookup> = {}) {}
  async findImage(image: EcrImageReference): Promise<ImageLookup> {
    this.lookups.push(image);
    return this.images[`${image.repositoryName}:${image.tag ?? image.digest}`] ?? { found: true, digest: 'sha256:feed' };
  }
}

/** Gate checks that answer from a script, one answer per attempt; the last answer repeats. */
export class FakeGateChecks implements GateCheckPort {
  readonly attempts: GateCheck[] = [];
  constructor(private readonly answers: GateAttempt[] = [{ ok: true, summary: 'ok', lines: [] }]) {}
  async attempt(check: GateCheck): Promise<GateAttempt> {
    this.attempts.push(check);
    const answer = this.answers.length > 1 ? this.answers.shift() : this.answers[0];
    return answer ?? { ok: true, summary: 'ok', lines: [] };
  }
}

export function fakePorts(
  ecs = new FakeEcs(),
  images = new FakeImages(),
  gates = new FakeGateChecks(),
  metrics = new FakeMetrics(),
  probes = new FakeProbes(),
): Ports & { ecs: FakeEcs; images: FakeImages; gates: FakeGateChecks; metrics: FakeMetrics; probes: FakeProbes } {
  return { ecs, images, gates, metrics, probes };
}
