/**
 * A CODE_DEPLOY ECS service and its CodeDeploy wiring, built with SDK v3
 * calls against any endpoint: a cluster, an ALB with a production listener
 * (on target group 1) and a test listener (on target group 2), the service
 * running `image` in task sets behind target group 1, and a CodeDeploy
 * application with a deployment group over both.
 */
import {
  CreateApplicationCommand, CreateDeploymentGroupCommand, type AutoRollbackEvent, type CodeDeployClient,
} from '@aws-sdk/client-codedeploy';
import { CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { CreateListenerCommand, CreateLoadBalancerCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from './free-port.js';
import { createSampleTargetGroup } from './sample-stack.js';

/** How the deployment group is set up; absent fields take CodeDeploy's usual choices for ECS. */
export interface GroupOptions {
  config?: string;
  terminationWaitMinutes?: number;
  /** Set: deploymentReadyOption STOP_DEPLOYMENT with this wait; absent: CONTINUE_DEPLOYMENT. */
  readyWaitMinutes?: number;
  rollbackEvents?: AutoRollbackEvent[];
  /** CloudWatch alarm names the group monitors. */
  alarms?: string[];
}

export interface CodeDeployStack {
  name: string;
  application: string;
  service: Service | undefined;
  tg1: string;
  tg2: string;
  prodArn: string;
  testArn: string;
  url: string;
  testUrl: string;
  /** Registers a revision of the service's family running `image` in container app. */
  definition(image: string, containerPort?: number): Promise<string>;
}

const ROLE = 'arn:aws:iam::000000000000:role/ecsCodeDeployRole';

export async function createCodeDeployStack(
  clients: { ecs: ECSClient; elbv2: ElasticLoadBalancingV2Client; codedeploy: CodeDeployClient },
  options: { name: string; image: string; desiredCount?: number; group?: GroupOptions },
): Promise<CodeDeployStack> {
  const { ecs, elbv2, codedeploy } = clients;
  const { name, group = {} } = options;
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Type: 'application', Subnets: ['subnet-local'] }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn;
  const tg1 = await createSampleTargetGroup(elbv2, `${name}-1`, { deregistrationDelaySeconds: 2 });
  const tg2 = await createSampleTargetGroup(elbv2, `${name}-2`, { deregistrationDelaySeconds: 2 });
  const port = await freePort();
  const prod = await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg1 }] }));
  const testPort = await freePort();
  const test = await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: testPort, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg2 }] }));
  const prodArn = prod.Listeners?.[0]?.ListenerArn ?? '';
  const testArn = test.Listeners?.[0]?.ListenerArn ?? '';
  const definition = async (image: string, containerPort = 8080): Promise<string> => (await ecs.send(new RegisterTaskDefinitionCommand({
    family: name,
    containerDefinitions: [{ name: 'app', image, memory: 128, portMappings: [{ containerPort }], stopTimeout: 2 }],
  }))).taskDefinition?.taskDefinitionArn ?? '';
  const service = (await ecs.send(new CreateServiceCommand({
    cluster: name, serviceName: name, desiredCount: options.desiredCount ?? 2, taskDefinition: await definition(options.image), deploymentController: { type: 'CODE_DEPLOY' },
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
  return { name, application, service, tg1, tg2, prodArn, testArn, url: `http://127.0.0.1:${port}/`, testUrl: `http://127.0.0.1:${testPort}/`, definition };
}
