import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientEnv, missing, run } from '../support/third-party.js';
import { startTestEmulator } from '../support/emulator.js';
import { uniqueName } from '../support/clients.js';

test('the AWS CLI works against the emulator with --endpoint-url', async (t) => {
  const reason = await missing('aws', ['--version']);
  if (reason) return t.skip(reason);
  const { emulator } = await startTestEmulator(t);
  const cluster = uniqueName('cli');
  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', ['--endpoint-url', emulator.url, '--output', 'json', ...args], { env: clientEnv(emulator.url), timeout: 30_000 });
    return JSON.parse(stdout || '{}') as Record<string, unknown>;
  };
  await aws('ecs', 'create-cluster', '--cluster-name', cluster);
  const clusters = (await aws('ecs', 'list-clusters')) as { clusterArns: string[] };
  assert.ok(clusters.clusterArns.some((arn) => arn.endsWith(`cluster/${cluster}`)));
  const repo = (await aws('ecr', 'create-repository', '--repository-name', cluster)) as { repository: { repositoryUri: string } };
  assert.match(repo.repository.repositoryUri, /\.dkr\.ecr\.us-east-1\.amazonaws\.com\//);
  const tg = (await aws('elbv2', 'create-target-group', '--name', cluster.slice(0, 32), '--protocol', 'HTTP', '--port', '80', '--vpc-id', 'vpc-1', '--target-type', 'ip')) as {
    TargetGroups: Array<{ TargetGroupArn: string; HealthCheckIntervalSeconds: number }>;
  };
  assert.equal(tg.TargetGroups[0]?.HealthCheckIntervalSeconds, 30);
  await assert.rejects(aws('ecs', 'describe-services', '--cluster', `${cluster}-missing`, '--services', 'x'), /ClusterNotFoundException/);
});

test('boto3 works against the emulator with AWS_ENDPOINT_URL', async (t) => {
  const reason = await missing('python3', ['-c', 'import boto3']);
  if (reason) return t.skip('python3 with boto3 is not installed here; install it to run this test');
  const { emulator } = await startTestEmulator(t);
  const name = uniqueName('boto');
  const script = `
import boto3, json, sys
ecs = boto3.client('ecs')
ecs.create_cluster(clusterName=sys.argv[1])
td = ecs.register_task_definition(family=sys.argv[1], containerDefinitions=[{'name': 'app', 'image': 'app:v1', 'memory': 128}])
elb = boto3.client('elbv2')
elb.create_target_group(Name=sys.argv[1][:32], Protocol='HTTP', Port=80, VpcId='vpc-1', TargetType='ip')
groups = elb.describe_target_groups(Names=[sys.argv[1][:32]])['TargetGroups']
try:
    ecs.describe_task_definition(taskDefinition=sys.argv[1] + '-missing')
    err = None
except ecs.exceptions.ClientException as e:
    err = e.response['Error']['Code']
print(json.dumps({'revision': td['taskDefinition']['revision'], 'groups': len(groups), 'error': err}))
`;
  const { stdout } = await run('python3', ['-c', script, name], { env: clientEnv(emulator.url), timeout: 30_000 });
  assert.deepEqual(JSON.parse(stdout), { revision: 1, groups: 1, error: 'ClientException' });
});
