import {
  CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, type DeploymentConfiguration, type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, type Action, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from './free-port.js';
import { createSampleTargetGroup } from './sample-stack.js';

/** The IAM role ECS would assume to change the listener rules (any ARN does on the emulator). */
export const ELB_ROLE_ARN = 'arn:aws:iam::000000000000:role/ecs-infrastructure-elb';

export interface BlueGreenStack {
  cluster: string;
  service: string;
  container: string;
  blueTargetGroupArn: string;
  greenTargetGroupArn: string;
  productionRuleArn: string;
  testRuleArn: string;
  productionUrl: string;
  testUrl: string;
}

export interface BlueGreenStackOptions {
  name: string;
  image: string;
  desiredCount: number;
  /** The service's deployment configuration; BLUE_GREEN with no bake when absent. */
  deploymentConfiguration?: DeploymentConfiguration;
  deregistrationDelaySeconds?: number;
}

const forwardAll = (to: string, other: string): Action[] => [
  { Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: to, Weight: 100 }, { TargetGroupArn: other, Weight: 0 }] } },
];
const noRoute: Action[] = [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no route' } }];

/**
 * The wiring ECS's own blue/green, canary and linear deployments need: two
 * target groups, a production listener and a test listener, each with a rule
 * forwarding 100/0 between the groups, and a service of the sample app whose
 * load balancer names the alternate group and both rules.
 */
export async function createBlueGreenStack(ecs: ECSClient, elbv2: ElasticLoadBalancingV2Client, options: BlueGreenStackOptions): Promise<BlueGreenStack> {
  const { name } = options;
  const container = 'app';
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Type: 'application', Subnets: ['subnet-local'] }));
  const loadBalancerArn = lb.LoadBalancers?.[0]?.LoadBalancerArn;
  const groupOptions = { deregistrationDelaySeconds: options.deregistrationDelaySeconds ?? 5 };
  const blue = await createSampleTargetGroup(elbv2, `${name}-blue`, groupOptions);
  const green = await createSampleTargetGroup(elbv2, `${name}-green`, groupOptions);

  const routedListener = async (): Promise<{ ruleArn: string; url: string }> => {
    const port = await freePort();
    const listener = await elbv2.send(new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: noRoute }));
    const rule = await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listener.Listeners?.[0]?.ListenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        Actions: forwardAll(blue, green),
      }),
    );
    return { ruleArn: rule.Rules?.[0]?.RuleArn ?? '', url: `http://127.0.0.1:${port}/` };
  };
  const production = await routedListener();
  const test = await routedListener();

  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      containerDefinitions: [{ name: container, image: options.image, memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 5 }],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: name,
      serviceName: name,
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: options.desiredCount,
      deploymentConfiguration: options.deploymentConfiguration ?? { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 },
      loadBalancers: [
        {
          targetGroupArn: blue,
          containerName: container,
          containerPort: 8080,
          advancedConfiguration: { alternateTargetGroupArn: green, productionListenerRule: production.ruleArn, testListenerRule: test.ruleArn, roleArn: ELB_ROLE_ARN },
        },
      ],
    }),
  );
  return {
    cluster: name,
    service: name,
    container,
    blueTargetGroupArn: blue,
    greenTargetGroupArn: green,
    productionRuleArn: production.ruleArn,
    testRuleArn: test.ruleArn,
    productionUrl: production.url,
    testUrl: test.url,
  };
}
