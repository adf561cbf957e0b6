/** A blue/green-ready stack on the real emulator, and ways to watch its service deployments. */
import assert from 'node:assert/strict';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServiceDeploymentsCommand, DescribeServicesCommand,
  RegisterTaskDefinitionCommand, UpdateServiceCommand, type DeploymentConfiguration, type ECSClient, type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DescribeRulesCommand,
  ModifyTargetGroupAttributesCommand, type Action, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from '../../examples/lib/free-port.js';
import { pushSampleVersions } from '../../examples/lib/sample-stack.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { eventually } from './ecs-fakes.js';

const SPEED = 50;
const ROLE = 'arn:aws:iam::000000000000:role/ecs-elb';

export interface Stack {
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  cluster: string;
  service: string;
  blueTg: string;
  greenTg: string;
  productionRule: string;
  testListener: string;
  productionUrl: string;
  images: Map<string, string>;
}

const forward = (blue: string, green: string, blueWeight = 100): Action[] => [
  { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue, Weight: blueWeight }, { TargetGroupArn: green, Weight: 100 - blueWeight }] } },
];

/**
 * Two target groups, a production listener whose rule forwards 100/0 to
 * them, a test listener (its default action is the test route), and a
 * BLUE_GREEN service of the sample app whose first deployment has finished.
 */
export async function blueGreenStack(t: Parameters<typeof startTestEmulator>[0], config: DeploymentConfiguration): Promise<Stack> {
  const { emulator, clients } = await startTestEmulator(t, { speed: SPEED });
  const { ecs, elbv2 } = clients;
  const name = uniqueName('bg');
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }, { tag: 'bad', env: { CRASH_ON_START: '1' } }]);
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Type: 'application', Subnets: ['subnet-local'] }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn;
  const group = async (suffix: string): Promise<string> => {
    const tg = await elbv2.send(new CreateTargetGroupCommand({
      Name: `${name}-${suffix}`, Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-local', TargetType: 'ip', HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
    }));
    const arn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
    await elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '5' }] }));
    return arn;
  };
  const blueTg = await group('blue');
  const greenTg = await group('green');
  const productionPort = await freePort();
  const listener = await elbv2.send(new CreateListenerCommand({
    LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: productionPort,
    DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no route' } }],
  }));
  const rule = await elbv2.send(new CreateRuleCommand({
    ListenerArn: listener.Listeners?.[0]?.ListenerArn, Priority: 10,
    Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }], Actions: forward(blueTg, greenTg),
  }));
  const testListener = await elbv2.send(new CreateListenerCommand({
    LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: await freePort(), DefaultActions: forward(blueTg, greenTg),
  }));
  const td = await ecs.send(new RegisterTaskDefinitionCommand({
    family: name,
    containerDefinitions: [{ name: 'app', image: images.get('v1'), memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 2 }],
  }));
  const stack: Stack = {
    ecs, elbv2, cluster: name, service: name, blueTg, greenTg, images,
    productionRule: rule.Rules?.[0]?.RuleArn ?? '',
    testListener: testListener.Listeners?.[0]?.ListenerArn ?? '',
    productionUrl: `http://127.0.0.1:${productionPort}/`,
  };
  await ecs.send(new CreateServiceCommand({
    cluster: name, serviceName: name, taskDefinition: td.taskDefinition?.taskDefinitionArn, desiredCount: 2,
    deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
    loadBalancers: [{
      targetGroupArn: blueTg, containerName: 'app', containerPort: 8080,
      advancedConfiguration: { alternateTargetGroupArn: greenTg, productionListenerRule: stack.productionRule, testListenerRule: stack.testListener, roleArn: ROLE },
    }],
  }));
  await eventually('the first deployment to finish', async () => (await current(stack))?.status === 'SUCCESSFUL' || undefined, 30_000);
  await ecs.send(new UpdateServiceCommand({ cluster: name, service: name, deploymentConfiguration: config }));
  return stack;
}

export async function current(stack: Stack): Promise<ServiceDeployment | undefined> {
  const svc = (await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  if (!svc?.currentServiceDeployment) return undefined;
  const out = await stack.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [svc.currentServiceDeployment] }));
  return out.serviceDeployments?.[0];
}

/** Deploys v2 (a new task definition revision) and returns the new service deployment's ARN. */
export async function deploy(stack: Stack, tag = 'v2'): Promise<string> {
  const td = await stack.ecs.send(new RegisterTaskDefinitionCommand({
    family: stack.cluster,
    containerDefinitions: [{ name: 'app', image: stack.images.get(tag), memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 2 }],
  }));
  const out = await stack.ecs.send(new UpdateServiceCommand({ cluster: stack.cluster, service: stack.service, taskDefinition: td.taskDefinition?.taskDefinitionArn }));
  return out.service?.currentServiceDeployment ?? '';
}

export async function describe(stack: Stack, arn: string): Promise<ServiceDeployment> {
  const out = await stack.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }));
  const record = out.serviceDeployments?.[0];
  assert.ok(record, `service deployment ${arn}`);
  return record;
}

/** The production rule's weights as DescribeRules shows them: target group ARN -> weight. */
export async function productionWeights(stack: Stack): Promise<Map<string, number>> {
  const out = await stack.elbv2.send(new DescribeRulesCommand({ RuleArns: [stack.productionRule] }));
  const groups = out.Rules?.[0]?.Actions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? [];
  return new Map(groups.map((g) => [g.TargetGroupArn ?? '', g.Weight ?? 0]));
}

export async function versionAt(url: string): Promise<string> {
  const res = await fetch(url);
  return ((await res.json()) as { version: string }).version;
}

/** Samples the deployment until `done` says stop; returns each distinct observation in order. */
export async function follow(stack: Stack, arn: string, done: (d: ServiceDeployment) => boolean, timeoutMs = 30_000) {
  const seen: Array<{ stage: string; status: string; production: number; test: number }> = [];
  await eventually('the deployment to finish', async () => {
    const d = await describe(stack, arn);
    const entry = {
      stage: d.lifecycleStage ?? '', status: d.status ?? '',
      production: d.targetServiceRevision?.requestedProductionTrafficWeight ?? -1, test: d.targetServiceRevision?.requestedTestTrafficWeight ?? -1,
    };
    const last = seen.at(-1);
    if (!last || last.stage !== entry.stage || last.status !== entry.status || last.production !== entry.production || last.test !== entry.test) seen.push(entry);
    return done(d) || undefined;
  }, timeoutMs);
  return seen;
}

export const ORDER = [
  'RECONCILE_SERVICE', 'PRE_SCALE_UP', 'SCALE_UP', 'POST_SCALE_UP', 'TEST_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT', 'PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT', 'BAKE_TIME', 'CLEAN_UP',
];

