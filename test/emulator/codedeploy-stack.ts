/**
 * A CODE_DEPLOY ECS service on the real emulator: real task processes in task
 * sets, two target groups, a production and a test listener, and a CodeDeploy
 * application and deployment group wired to them; and ways to drive and watch
 * its deployments.
 */
import assert from 'node:assert/strict';
import {
  CodeDeployClient, CreateDeploymentCommand, GetDeploymentCommand, GetDeploymentTargetCommand, type DeploymentInfo, type ECSTarget,
} from '@aws-sdk/client-codedeploy';
import { DescribeTaskSetsCommand, type TaskSet } from '@aws-sdk/client-ecs';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createCodeDeployStack, type GroupOptions } from '../../examples/lib/codedeploy-stack.js';
import { pushSampleVersions } from '../../examples/lib/sample-stack.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { eventually } from './ecs-fakes.js';

export type { GroupOptions } from '../../examples/lib/codedeploy-stack.js';

export const SPEED = 50;
export const WAIT_MS = 30_000;

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
  const built = await createCodeDeployStack({ ecs, elbv2, codedeploy }, { name, image: images.get('v1') ?? '', group });
  const { application, service, tg1, tg2, prodArn } = built;
  const definition = async (tag: string, containerPort = 8080): Promise<string> => built.definition(images.get(tag) ?? '', containerPort);
  const td1 = service?.taskDefinition ?? '';
  const td2 = await definition('v2');
  const taskSets = async (): Promise<TaskSet[]> => (await ecs.send(new DescribeTaskSetsCommand({ cluster: name, service: name }))).taskSets ?? [];
  const steadyOriginal = await eventually('the original task set steady', async () => {
    const [only] = await taskSets();
    return only?.stabilityStatus === 'STEADY_STATE' && only.runningCount === 2 ? only : undefined;
  }, WAIT_MS);
  return {
    emulator, ecs, elbv2, codedeploy, name, application, service, tg1, tg2, td1, td2, definition, prodArn, taskSets, steadyOriginal,
    url: built.url, testUrl: built.testUrl,
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
