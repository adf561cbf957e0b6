import {
  CreateClusterCommand, CreateServiceCommand, RegisterTaskDefinitionCommand, type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from './free-port.js';
import { createSampleTargetGroup } from './sample-stack.js';

export interface AlbCanaryStack {
  cluster: string;
  /** The stable service: the one `deploy --service` names. */
  service: string;
  canaryService: string;
  container: string;
  stableTargetGroupArn: string;
  canaryTargetGroupArn: string;
  listenerArn: string;
  /** The rule forwarding stable 100 / canary 0; the canary moves its weights. */
  ruleArn: string;
  /** The listener, through the rule. */
  url: string;
}

export interface AlbCanaryStackOptions {
  name: string;
  image: string;
  desiredCount: number;
  deregistrationDelaySeconds?: number;
}

/**
 * The classic two-service canary that teams run by hand, and that
 * `deploy --executor alb` drives: one load balancer, a listener whose rule
 * forwards to two target groups with weights (stable 100 / canary 0), a
 * stable service of the sample app in the first group, and a canary service
 * of the same task definition at 0 tasks in the second.
 */
export async function createAlbCanaryStack(ecs: ECSClient, elbv2: ElasticLoadBalancingV2Client, options: AlbCanaryStackOptions): Promise<AlbCanaryStack> {
  const { name } = options;
  const container = 'app';
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Type: 'application', Subnets: ['subnet-local'] }));
  const groupOptions = { deregistrationDelaySeconds: options.deregistrationDelaySeconds ?? 5 };
  const stableTg = await createSampleTargetGroup(elbv2, `${name}-stable`, groupOptions);
  const canaryTg = await createSampleTargetGroup(elbv2, `${name}-canary`, groupOptions);
  const port = await freePort();
  const listener = await elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
      Protocol: 'HTTP',
      Port: port,
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'no route' } }],
    }),
  );
  const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
  const rule = await elbv2.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn,
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
      Actions: [{ Type: 'forward', ForwardConfig: { TargetGroups: [{ TargetGroupArn: stableTg, Weight: 100 }, { TargetGroupArn: canaryTg, Weight: 0 }] } }],
    }),
  );
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      containerDefinitions: [{ name: container, image: options.image, memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 5 }],
    }),
  );
  const service = async (serviceName: string, targetGroupArn: string, desiredCount: number): Promise<void> => {
    await ecs.send(
      new CreateServiceCommand({
        cluster: name,
        serviceName,
        taskDefinition: td.taskDefinition?.taskDefinitionArn,
        desiredCount,
        healthCheckGracePeriodSeconds: 30,
        deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } },
        loadBalancers: [{ targetGroupArn, containerName: container, containerPort: 8080 }],
      }),
    );
  };
  await service(name, stableTg, options.desiredCount);
  await service(`${name}-canary`, canaryTg, 0);
  return {
    cluster: name,
    service: name,
    canaryService: `${name}-canary`,
    container,
    stableTargetGroupArn: stableTg,
    canaryTargetGroupArn: canaryTg,
    listenerArn,
    ruleArn: rule.Rules?.[0]?.RuleArn ?? '',
    url: `http://127.0.0.1:${port}/`,
  };
}
