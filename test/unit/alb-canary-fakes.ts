/**
 * An in-memory AWS for the alb canary driver: two services, a listener rule,
 * target groups whose healthy targets follow the services' tasks, tags, and
 * a log of every intended write in a form a test can compare.
 */
import type { RegisterTaskDefinitionRequest, Service, Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Action, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AnalysisRunner, AnalysisVerdict } from '../../src/analysis/contract.js';
import { taskDefinitionLabel } from '../../src/engine/revision.js';
import type { AlbCanaryPorts, EcsPort, LoadBalancerPort, RouteActions, ServiceControlPort, StartDeploymentRequest } from '../../src/engine/ports.js';
import type { TrafficRoute } from '../../src/spec/alb-canary.js';
import { FakeMetrics, FakeProbes } from './analysis-fakes.js';
import { FakeGateChecks, FakeImages, taskDefinition, TD_ARN } from './engine-fakes.js';

export const CLUSTER = 'prod';
export const RULE = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
export const STABLE_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef';
export const CANARY_TG = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-canary/fedcba9876543210';
const serviceArn = (name: string): string => `arn:aws:ecs:us-east-1:123456789012:service/${CLUSTER}/${name}`;

interface FakeService {
  name: string;
  taskDefinition: string;
  desiredCount: number;
  targetGroupArn: string;
  tags: Tag[];
  /** Tasks of this revision never become healthy: every look adds failed tasks. */
  failing: boolean;
  failedTasks: number;
}

export class CanaryWorld implements EcsPort, ServiceControlPort, LoadBalancerPort {
  /** Intended writes, tags left out: "register web:4", "deploy web-canary web:4 x1", "weights 80/20", "scale web-canary 0". */
  readonly writes: string[] = [];
  /** Tag writes: "tag web-canary ecs-rollout:canary", "untag web ecs-rollout:canary-service". */
  readonly tagWrites: string[] = [];
  readonly services = new Map<string, FakeService>();
  readonly taskDefinitions = new Map<string, TaskDefinition>();
  actions: Action[];
  /** Revisions whose tasks crash. */
  readonly failingRevisions = new Set<string>();
  /** Called on every DescribeServices and ListTagsForResource: lets a test act as another terminal (or kill the deploy) at a moment of its choosing. */
  onLook: ((world: CanaryWorld) => void) | undefined;
  private nextRevision = 4;

  constructor() {
    this.taskDefinitions.set(TD_ARN(3), taskDefinition(3));
    this.services.set('web', { name: 'web', taskDefinition: TD_ARN(3), desiredCount: 4, targetGroupArn: STABLE_TG, tags: [], failing: false, failedTasks: 0 });
    this.services.set('web-canary', { name: 'web-canary', taskDefinition: TD_ARN(3), desiredCount: 0, targetGroupArn: CANARY_TG, tags: [], failing: false, failedTasks: 0 });
    this.actions = [forward(100, 0)];
  }

  ports(): AlbCanaryPorts {
    return { ecs: this, images: new FakeImages(), gates: new FakeGateChecks(), metrics: new FakeMetrics(), probes: new FakeProbes(), services: this, loadBalancers: this };
  }

  weights(): string {
    const groups = this.actions[0]?.ForwardConfig?.TargetGroups ?? [];
    return groups.map((g) => g.Weight).join('/');
  }

  tagsOf(name: string): Map<string, string> {
    return new Map((this.services.get(name)?.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
  }

  // EcsPort

  async findCluster(cluster: string) {
    return { clusterArn: `arn:aws:ecs:us-east-1:123456789012:cluster/${cluster}`, status: 'ACTIVE' };
  }

  async findService(_cluster: string, name: string): Promise<Service | undefined> {
    this.onLook?.(this);
    const s = this.services.get(name);
    if (!s) return undefined;
    const failing = this.failingRevisions.has(taskDefinitionLabel(s.taskDefinition)) && s.desiredCount > 0;
    if (failing) s.failedTasks += 1;
    return {
      serviceName: s.name,
      serviceArn: serviceArn(s.name),
      status: 'ACTIVE',
      desiredCount: s.desiredCount,
      runningCount: failing ? 0 : s.desiredCount,
      taskDefinition: s.taskDefinition,
      loadBalancers: [{ targetGroupArn: s.targetGroupArn, containerName: 'app', containerPort: 8080 }],
      deployments: [
        {
          id: `ecs-svc/${s.name}-${taskDefinitionLabel(s.taskDefinition)}`,
          status: 'PRIMARY',
          taskDefinition: s.taskDefinition,
          desiredCount: s.desiredCount,
          runningCount: failing ? 0 : s.desiredCount,
          pendingCount: 0,
          failedTasks: s.failedTasks,
          rolloutState: failing ? 'IN_PROGRESS' : 'COMPLETED',
        },
      ],
      events: [],
    };
  }

  async readTaskDefinition(arn: string) {
    const found = [...this.taskDefinitions.values()].find((td) => td.taskDefinitionArn === arn || taskDefinitionLabel(td.taskDefinitionArn) === taskDefinitionLabel(arn));
    return found ? { taskDefinition: found, tags: [] } : undefined;
  }

  async registerRevision(request: RegisterTaskDefinitionRequest): Promise<TaskDefinition> {
    const revision = this.nextRevision++;
    const { tags: _tags, ...fields } = request;
    const registered: TaskDefinition = { ...fields, taskDefinitionArn: TD_ARN(revision), revision };
    this.taskDefinitions.set(TD_ARN(revision), registered);
    this.writes.push(`register web:${revision}`);
    return registered;
  }

  async startDeployment(request: StartDeploymentRequest): Promise<Service> {
    const s = this.services.get(request.service);
    if (!s) throw new Error(`no service ${request.service}`);
    s.taskDefinition = request.taskDefinitionArn.startsWith('arn:') ? request.taskDefinitionArn : TD_ARN(Number(request.taskDefinitionArn.split(':')[1]));
    if (request.desiredCount !== undefined) s.desiredCount = request.desiredCount;
    s.failedTasks = 0;
    this.writes.push(`deploy ${s.name} ${taskDefinitionLabel(s.taskDefinition)}${request.desiredCount !== undefined ? ` x${request.desiredCount}` : ''}`);
    return (await this.findService(CLUSTER, s.name)) as Service;
  }

  async findRunningTasks() {
    return [];
  }

  async findStoppedTasks() {
    return [];
  }

  async readServiceDeployment() {
    return undefined;
  }

  async listServiceDeployments() {
    return undefined;
  }

  async readServiceDeployments() {
    return undefined;
  }

  async findStoppedServiceTasks() {
    return [];
  }

  async listRevisions() {
    return [];
  }

  async deregisterRevision() {}

  async readServiceRevisions() {
    return undefined;
  }

  async continueServiceDeployment(): Promise<void> {
    throw new Error('not used by the alb canary');
  }

  async stopServiceDeployment(): Promise<void> {
    throw new Error('not used by the alb canary');
  }

  // ServiceControlPort

  async setDesiredCount(_cluster: string, name: string, desiredCount: number): Promise<void> {
    const s = this.services.get(name);
    if (s) s.desiredCount = desiredCount;
    this.writes.push(`scale ${name} ${desiredCount}`);
  }

  async readTags(arn: string): Promise<Tag[]> {
    this.onLook?.(this);
    return [...(this.byArn(arn)?.tags ?? [])];
  }

  async writeTags(arn: string, tags: readonly Tag[]): Promise<void> {
    const s = this.byArn(arn);
    if (!s) throw new Error(`no service ${arn}`);
    const map = new Map(s.tags.map((t) => [t.key, t.value]));
    for (const t of tags) map.set(t.key, t.value);
    s.tags = [...map].map(([key, value]) => ({ key, value }));
    for (const t of tags) this.tagWrites.push(`tag ${s.name} ${t.key}`);
  }

  async removeTags(arn: string, keys: readonly string[]): Promise<void> {
    const s = this.byArn(arn);
    if (!s) throw new Error(`no service ${arn}`);
    s.tags = s.tags.filter((t) => !keys.includes(t.key ?? ''));
    this.tagWrites.push(`untag ${s.name} ${keys.join(',')}`);
  }

  // LoadBalancerPort

  async readRouteActions(route: TrafficRoute): Promise<RouteActions | undefined> {
    return route.arn === RULE ? { actions: structuredClone(this.actions), isDefaultRule: false } : undefined;
  }

  async writeRouteActions(_route: TrafficRoute, actions: readonly Action[]): Promise<void> {
    this.actions = structuredClone([...actions]);
    this.writes.push(`weights ${this.weights()}`);
  }

  async readTargetHealth(targetGroupArn: string): Promise<TargetHealthDescription[]> {
    const s = [...this.services.values()].find((x) => x.targetGroupArn === targetGroupArn);
    if (!s) return [];
    const failing = this.failingRevisions.has(taskDefinitionLabel(s.taskDefinition));
    return Array.from({ length: s.desiredCount }, (_, i) => ({ Target: { Id: `10.0.0.${i}`, Port: 8080 }, TargetHealth: { State: failing ? 'unhealthy' : 'healthy' } }));
  }

  private byArn(arn: string): FakeService | undefined {
    return [...this.services.values()].find((s) => serviceArn(s.name) === arn);
  }
}

export function forward(stable: number, canary: number): Action {
  return { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: STABLE_TG, Weight: stable }, { TargetGroupArn: CANARY_TG, Weight: canary }] } };
}

/** Answers each analysis run with the next verdict of a script; the last one repeats. */
export class ScriptedAnalysis implements AnalysisRunner {
  readonly runs: Array<{ name: string; variables: Readonly<Record<string, string>> }> = [];
  constructor(private readonly verdicts: Array<Partial<Omit<AnalysisVerdict, 'analysis'>>>) {}
  has(name: string): boolean {
    return name !== 'missing';
  }
  async run(name: string, variables: Readonly<Record<string, string>>): Promise<AnalysisVerdict> {
    this.runs.push({ name, variables });
    const next = this.verdicts.length > 1 ? this.verdicts.shift() : this.verdicts[0];
    return { analysis: name, phase: 'Successful', onFailure: 'rollback', summary: 'ok', ...next };
  }
}
