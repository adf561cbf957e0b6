/** A blue/green-ready stack on the real emulator, and ways to watch its service deployments. */
import assert from 'node:assert/strict';
import {
  DescribeServiceDeploymentsCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand, type DeploymentConfiguration, type ECSClient, type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import {
  DescribeRulesCommand, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createBlueGreenStack } from '../../examples/lib/blue-green-stack.js';
import { pushSampleVersions } from '../../examples/lib/sample-stack.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { eventually } from './ecs-fakes.js';

const SPEED = 50;

export interface Stack {
  /** The emulator's endpoint URL. */
  endpoint: string;
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  cluster: string;
  service: string;
  blueTg: string;
  greenTg: string;
  productionRule: string;
  testRule: string;
  productionUrl: string;
  images: Map<string, string>;
}

/**
 * The sample blue/green stack (examples/lib/blue-green-stack.ts): two target
 * groups, production and test listener rules forwarding 100/0, and a
 * BLUE_GREEN service of the sample app whose first deployment has finished.
 */
export async function blueGreenStack(t: Parameters<typeof startTestEmulator>[0], config: DeploymentConfiguration): Promise<Stack> {
  const { emulator, clients } = await startTestEmulator(t, { speed: SPEED });
  const { ecs, elbv2 } = clients;
  const name = uniqueName('bg');
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }, { tag: 'bad', env: { CRASH_ON_START: '1' } }]);
  const created = await createBlueGreenStack(ecs, elbv2, { name, image: images.get('v1') ?? '', desiredCount: 2 });
  const stack: Stack = {
    endpoint: emulator.url, ecs, elbv2, cluster: name, service: name, images,
    blueTg: created.blueTargetGroupArn,
    greenTg: created.greenTargetGroupArn,
    productionRule: created.productionRuleArn,
    testRule: created.testRuleArn,
    productionUrl: created.productionUrl,
  };
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

