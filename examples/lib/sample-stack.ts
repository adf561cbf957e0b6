import { fileURLToPath } from 'node:url';
import {
  CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, RegisterTaskDefinitionCommand, type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, ModifyTargetGroupAttributesCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { main } from '../../src/cli/main.js';
import { capture } from './capture.js';
import { freePort } from './free-port.js';

/** The compiled sample app every example deploys. */
export const SAMPLE_APP = fileURLToPath(new URL('../sample-app/server.js', import.meta.url));
export const SAMPLE_REPOSITORY = 'sample-app';

export interface SampleVersion {
  tag: string;
  /** Extra environment baked into the image's command, e.g. CRASH_ON_START=1. */
  env?: Record<string, string>;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the ecs-rollout CLI in this process, capturing (and optionally echoing) its output. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv, echo?: NodeJS.WritableStream): Promise<CliRun> {
  const stdout = capture(echo);
  const stderr = capture(echo);
  const code = await main(argv, { stdout, stderr, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/**
 * Pushes the sample app as one image per version with `ecs-rollout emulator push`.
 * A version's environment is part of its image: the command runs through env(1).
 */
export async function pushSampleVersions(endpoint: string, versions: SampleVersion[], env: NodeJS.ProcessEnv = process.env): Promise<Map<string, string>> {
  const uris = new Map<string, string>();
  for (const version of versions) {
    const assignments = Object.entries({ VERSION: version.tag, ...version.env }).map(([k, v]) => `${k}=${v}`);
    const result = await runCli(
      ['emulator', 'push', `${SAMPLE_REPOSITORY}:${version.tag}`, '--endpoint-url', endpoint, '--', '/usr/bin/env', ...assignments, process.execPath, SAMPLE_APP],
      env,
    );
    if (result.code !== 0) throw new Error(`emulator push ${version.tag} failed: ${result.stderr || result.stdout}`);
    uris.set(version.tag, result.stdout.trim().split('\n').pop() ?? '');
  }
  return uris;
}

export interface SampleStack {
  cluster: string;
  service: string;
  container: string;
  listenerUrl: string;
  targetGroupArn: string;
}

export interface SampleStackOptions {
  name: string;
  image: string;
  desiredCount: number;
  /** Seconds a deregistered target drains before its task is stopped. */
  deregistrationDelaySeconds?: number;
  healthCheckIntervalSeconds?: number;
  healthyThresholdCount?: number;
}

/** A cluster, an ALB with one listener and target group, a task definition and a service behind it. */
export async function createSampleStack(ecs: ECSClient, elbv2: ElasticLoadBalancingV2Client, options: SampleStackOptions): Promise<SampleStack> {
  const { name } = options;
  const container = 'app';
  await ecs.send(new CreateClusterCommand({ clusterName: name }));
  const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `${name}-lb`, Type: 'application', Subnets: ['subnet-local'] }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn;
  const targetGroupArn = await createSampleTargetGroup(elbv2, `${name}-tg`, options);
  const port = await freePort();
  await elbv2.send(
    new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: port, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
  );
  const td = await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: name,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [
        { name: container, image: options.image, essential: true, portMappings: [{ containerPort: 8080, protocol: 'tcp' }], stopTimeout: 10 },
      ],
    }),
  );
  await ecs.send(
    new CreateServiceCommand({
      cluster: name,
      serviceName: name,
      taskDefinition: td.taskDefinition?.taskDefinitionArn,
      desiredCount: options.desiredCount,
      launchType: 'FARGATE',
      healthCheckGracePeriodSeconds: 30,
      deploymentConfiguration: {
        maximumPercent: 200,
        minimumHealthyPercent: 100,
        deploymentCircuitBreaker: { enable: true, rollback: true },
      },
      loadBalancers: [{ targetGroupArn, containerName: container, containerPort: 8080 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local'], assignPublicIp: 'DISABLED' } },
    }),
  );
  return { cluster: name, service: name, container, listenerUrl: `http://127.0.0.1:${port}/`, targetGroupArn };
}

/** A target group health-checking the sample app's /health, with short, test-friendly timings. */
export async function createSampleTargetGroup(
  elbv2: ElasticLoadBalancingV2Client,
  name: string,
  options: Pick<SampleStackOptions, 'deregistrationDelaySeconds' | 'healthCheckIntervalSeconds' | 'healthyThresholdCount'> = {},
): Promise<string> {
  const tg = await elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: 'vpc-local',
      TargetType: 'ip',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: options.healthCheckIntervalSeconds ?? 5,
      HealthCheckTimeoutSeconds: 2,
      HealthyThresholdCount: options.healthyThresholdCount ?? 2,
      UnhealthyThresholdCount: 2,
    }),
  );
  const arn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
  await elbv2.send(
    new ModifyTargetGroupAttributesCommand({
      TargetGroupArn: arn,
      Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(options.deregistrationDelaySeconds ?? 10) }],
    }),
  );
  return arn;
}

/** Waits until the service has one deployment, COMPLETED, with every task running. */
export async function waitForSteadyState(ecs: ECSClient, stack: Pick<SampleStack, 'cluster' | 'service'>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }));
    const service = out.services?.[0];
    const deployments = service?.deployments ?? [];
    if (deployments.length === 1 && deployments[0]?.rolloutState === 'COMPLETED' && service?.runningCount === service?.desiredCount) return;
    if (Date.now() > deadline) {
      throw new Error(`service ${stack.service} did not reach a steady state within ${timeoutMs} ms: ${JSON.stringify(deployments.map((d) => [d.status, d.rolloutState, d.runningCount]))}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
