/**
 * A CODE_DEPLOY ECS service on the real emulator: real task processes in task
 * sets, two target groups, a production and a test listener, and a CodeDeploy
 * application and deployment group wired to them; and ways to drive and watch
 * its deployments.
 */
import assert from 'node:assert/strict';
import {
  CodeDeployClient, CreateApplicationCommand, CreateDeploymentCommand, CreateDeploymentGroupCommand, GetDeploymentCommand, GetDeploymentTargetCommand,
  type AutoRollbackEvent, type DeploymentInfo, type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { CreateClusterCommand, CreateServiceCommand, DescribeTaskSetsCommand, RegisterTaskDefinitionCommand, type TaskSet } from '@aws-sdk/client-ecs';
import { CreateListenerCommand, CreateLoadBalancerCommand, DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createSampleTargetGroup, pushSampleVersions } from '../../examples/lib/sample-stack.js';
import { freePort } from '../../examples/lib/free-port.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { eventually } from './ecs-fakes.js';

/** How the deployment group is set up; absent fields take the defaults the tests mostly want. */
export interface GroupOptions {
  config?: string;
  terminationWaitMinutes?: number;
  /** Set: deploymentReadyOption STOP_DEPLOYMENT with this wait; absent: CONTINUE_DEPLOYMENT. */
  readyWaitMinutes?: number;
  rollbackEvents?: AutoRollbackEvent[];
  /** CloudWatch alarm names the group monitors. */
  alarms?: string[];
}

export const SPEED = 50;
export const WAIT_MS = 30_000;
const ROLE = 'arn:aws:iam::000000000000:role/ecsCodeDeployRole';

export async function rejects(call: Promise<unknown>, name: string, message: RegExp): Promise<void> {
  await assert.rejects(call, (err: Error) => {
    assert.equal(err.name, name, `error name (message: ${err.message})`);
    assert.match(err.message, message);
    return true;
  });
}

export const appSpec = (taskDefinition: string, port = 8080, extra = ''): string => `version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "${taskDefinition}"
        LoadBalancerInfo:
          ContainerName: "app"
          ContainerPort: ${port}
${extra}`;

/** A CODE_DEPLOY service running v1 behind tg1, and a CodeDeploy application and group wired to tg1/tg2 and both listeners. */
export async function codeDeployStack(t: Parameters<typeof startTestEmulator>[0], group: GroupOptions = {}) {
  const { emulator, clients } = await startTestEmulator(t, { speed: SPEED });
  const { ecs, elbv2 } = clients;
  const codedeploy = new CodeDeployClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(async () => codedeploy.destroy());
  const name = uniqueName('cd');
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }]);
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Type: 'application', Subnets: ['subnet-local'] }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn;
  const tg1 = await createSampleTargetGroup(elbv2, `${name}-1`, { deregistrationDelaySeconds: 2 });
  const tg2 = await createSampleTargetGroup(elbv2, `${name}-2`, { deregistrationDelaySeconds: 2 });
  const port = await freePort();
  const prod = await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg1 }] }));
  const testPort = await freePort();
  const testListener = await elbv2.send(new CreateListenerCommand({
    LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: testPort, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg2 }],
  }));
  const prodArn = prod.Listeners?.[0]?.ListenerArn ?? '';
  const testArn = testListener.Listeners?.[0]?.ListenerArn ?? '';
  const definition = async (tag: string, containerPort = 8080): Promise<string> => (await ecs.send(new RegisterTaskDefinitionCommand({
    family: name,
    containerDefinitions: [{ name: 'app', image: images.get(tag), memory: 128, portMappings: [{ containerPort }], stopTimeout: 2 }],
  }))).taskDefinition?.taskDefinitionArn ?? '';
  const td1 = await definition('v1');
  const td2 = await definition('v2');

  const service = (await ecs.send(new CreateServiceCommand({
    cluster: name, serviceName: name, desiredCount: 2, taskDefinition: td1, deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [{ targetGroupArn: tg1, containerName: 'app', containerPort: 8080 }],
  }))).service;
  const application = `${name}-app`;
  await codedeploy.send(new CreateApplicationCommand({ applicationName: application, computePlatform: 'ECS' }));
  await codedeploy.send(new CreateDeploymentGroupCommand({
    applicationName: application,
    deploymentGroupName: name,
    serviceRoleArn: ROLE,
    deploymentConfigName: group.config ?? 'CodeDeployDefault.ECSAllAtOnce',
    ecsServices: [{ clusterName: name, serviceName: name }],
    loadBalancerInfo: {
      targetGroupPairInfoList: [{
        targetGroups: [{ name: `${name}-1` }, { name: `${name}-2` }], prodTrafficRoute: { listenerArns: [prodArn] }, testTrafficRoute: { listenerArns: [testArn] },
      }],
    },
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: group.readyWaitMinutes === undefined
        ? { actionOnTimeout: 'CONTINUE_DEPLOYMENT' }
        : { actionOnTimeout: 'STOP_DEPLOYMENT', waitTimeInMinutes: group.readyWaitMinutes },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: group.terminationWaitMinutes ?? 0 },
    },
    autoRollbackConfiguration: { enabled: true, events: group.rollbackEvents ?? ['DEPLOYMENT_FAILURE'] },
    ...(group.alarms ? { alarmConfiguration: { enabled: true, alarms: group.alarms.map((alarm) => ({ name: alarm })) } } : {}),
  }));
  const taskSets = async (): Promise<TaskSet[]> => (await ecs.send(new DescribeTaskSetsCommand({ cluster: name, service: name }))).taskSets ?? [];
  const steadyOriginal = await eventually('the original task set steady', async () => {
    const [only] = await taskSets();
    return only?.stabilityStatus === 'STEADY_STATE' && only.runningCount === 2 ? only : undefined;
  }, WAIT_MS);
  return {
    emulator, ecs, elbv2, codedeploy, name, application, service, tg1, tg2, td1, td2, definition, prodArn, taskSets, steadyOriginal,
    url: `http://127.0.0.1:${port}/`, testUrl: `http://127.0.0.1:${testPort}/`,
  };
}

export type Stack = Awaited<ReturnType<typeof codeDeployStack>>;

export async function deploy(stack: Stack, taskDefinition: string, port = 8080): Promise<string> {
  const out = await stack.codedeploy.send(new CreateDeploymentCommand({
    applicationName: stack.application, deploymentGroupName: stack.name,
    revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appSpec(taskDefinition, port) } },
  }));
  assert.match(out.deploymentId ?? '', /^d-[A-Z0-9]{9}$/);
  return out.deploymentId ?? '';
}

export async function deployment(stack: Stack, id: string): Promise<DeploymentInfo> {
  const info = (await stack.codedeploy.send(new GetDeploymentCommand({ deploymentId: id }))).deploymentInfo;
  assert.ok(info, `deployment ${id}`);
  return info;
}

export async function ended(stack: Stack, id: string): Promise<DeploymentInfo> {
  return eventually(`deployment ${id} to end`, async () => {
    const info = await deployment(stack, id);
    return ['Succeeded', 'Failed', 'Stopped'].includes(info.status ?? '') ? info : undefined;
  }, WAIT_MS);
}

export async function productionWeights(stack: Stack): Promise<Map<string, number>> {
  const out = await stack.elbv2.send(new DescribeListenersCommand({ ListenerArns: [stack.prodArn] }));
  const groups = out.Listeners?.[0]?.DefaultActions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? [];
  return new Map(groups.map((g) => [g.TargetGroupArn ?? '', g.Weight ?? 0]));
}

/** The deployment's one ECS target, as GetDeploymentTarget shows it. */
export async function target(stack: Stack, id: string): Promise<ECSTarget> {
  const out = await stack.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId: id, targetId: `${stack.name}:${stack.name}` }));
  assert.equal(out.deploymentTarget?.deploymentTargetType, 'ECSTarget');
  assert.ok(out.deploymentTarget?.ecsTarget, `deployment ${id}'s target`);
  return out.deploymentTarget.ecsTarget;
}

/** Lifecycle events as "name:status", in order. */
export const eventStatuses = (t: ECSTarget): string[] => (t.lifecycleEvents ?? []).map((e) => `${e.lifecycleEventName}:${e.status}`);

/** Each task set of the target as [label, ECS status, trafficWeight, target group name]. */
export const taskSetWeights = (t: ECSTarget): Array<[string | undefined, string | undefined, number | undefined, string | undefined]> =>
  (t.taskSetsInfo ?? []).map((ts) => [ts.taskSetLabel, ts.status, ts.trafficWeight, ts.targetGroup?.name]);
