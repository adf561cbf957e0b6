import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from '../../examples/lib/free-port.js';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { setUp } from './rolling-service.js';

const ACCOUNT = '000000000000';

test('verify names every missing resource a release needs with its fix (exit 2, nothing changed); once they exist it passes and deploy runs the same checks', async (t) => {
  const { cli, cluster, repo, clients, emulator } = await setUp(t);
  const config = { endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS };
  const iam = new IAMClient(config);
  const secrets = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  const logs = new CloudWatchLogsClient(config);
  t.after(async () => [iam, secrets, ssm, logs].forEach((c) => c.destroy()));

  const service = uniqueName('checked');
  const secretName = `${service}/db`;
  // A partial ARN (without the 6 characters AWS appends), as task definitions may name a secret.
  const secretArn = `arn:aws:secretsmanager:${TEST_REGION}:${ACCOUNT}:secret:${secretName}`;
  const tg = (await clients.elbv2.send(new CreateTargetGroupCommand({ Name: uniqueName('tg'), Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-local', TargetType: 'ip' }))).TargetGroups?.[0]?.TargetGroupArn ?? '';
  // ECS takes only a target group a load balancer uses.
  const lb = (await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: uniqueName('lb') }))).LoadBalancers?.[0]?.LoadBalancerArn;
  await clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb, Protocol: 'HTTP', Port: await freePort(), DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));
  const td = await clients.ecs.send(new RegisterTaskDefinitionCommand({
    family: service,
    executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/${service}-exec`,
    taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/app/${service}-task`,
    containerDefinitions: [{
      name: 'app', image: `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com/${repo}:v1`, memory: 128, portMappings: [{ containerPort: 8080 }],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: secretArn }, { name: 'API_KEY', valueFrom: `/${service}/api-key` }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${service}`, 'awslogs-region': TEST_REGION, 'awslogs-stream-prefix': 'web' } },
    }],
  }));
  await clients.ecs.send(new CreateServiceCommand({
    cluster, serviceName: service, taskDefinition: td.taskDefinition?.taskDefinitionArn, desiredCount: 0,
    loadBalancers: [{ targetGroupArn: tg, containerName: 'app', containerPort: 8080 }],
  }));

  const missing = await cli('verify', '--cluster', cluster, '--service', service, '--tag', 'v2');
  assert.equal(missing.code, 2, missing.stdout + missing.stderr);
  const all = missing.stdout + missing.stderr;
  for (const problem of [
    `IAM role arn:aws:iam::${ACCOUNT}:role/${service}-exec (the task definition's execution role) does not exist; create it, or fix executionRoleArn`,
    `IAM role arn:aws:iam::${ACCOUNT}:role/app/${service}-task (the task definition's task role) does not exist; create it, or fix taskRoleArn`,
    `secret DB_PASSWORD of container app: Secrets Manager has no secret ${secretArn}; create it`,
    `secret API_KEY of container app: SSM Parameter Store has no parameter /${service}/api-key; create it`,
    `log group /ecs/${service} in ${TEST_REGION} (awslogs of container app) does not exist, so the task cannot start; create it (aws logs create-log-group) or set awslogs-create-group to "true"`,
  ]) assert.ok(all.includes(problem), `names: ${problem}\n${all}`);
  assert.match(all, /preflight failed: 5 problems: /);
  assert.match(all, /preflight ok: target group \S+ \(container app port 8080\): exists; container app maps port 8080/);

  await iam.send(new CreateRoleCommand({ RoleName: `${service}-exec`, AssumeRolePolicyDocument: '{}' }));
  await iam.send(new CreateRoleCommand({ RoleName: `${service}-task`, Path: '/app/', AssumeRolePolicyDocument: '{}' }));
  await secrets.send(new CreateSecretCommand({ Name: secretName, SecretString: 'hunter2' }));
  await ssm.send(new PutParameterCommand({ Name: `/${service}/api-key`, Value: 'k', Type: 'SecureString' }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: `/ecs/${service}` }));

  const ok = await cli('verify', '--cluster', cluster, '--service', service, '--tag', 'v2');
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /verified: \S+:v2 in container app can be deployed to service \S+ in cluster \S+; nothing was changed/);
  const deployed = await cli('deploy', '--cluster', cluster, '--service', service, '--tag', 'v2', '--timeout', '60s');
  assert.equal(deployed.code, 0, deployed.stdout + deployed.stderr);
  assert.match(deployed.stdout, /preflight ok: task role arn:aws:iam::\S+: exists/, 'deploy runs the same checks');
});
