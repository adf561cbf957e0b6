import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientEnv, missing, run } from '../support/third-party.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

/** CloudWatch Logs through the AWS CLI and boto3, which speak awsJson 1.1 to it as to AWS. */

test('the AWS CLI creates, lists and reads CloudWatch Logs groups and events against the emulator', async (t) => {
  const reason = await missing('aws', ['--version']);
  if (reason) return t.skip(reason);
  const { emulator } = await startTestEmulator(t);
  const group = `/cli/${uniqueName('logs')}`;
  const aws = async (...args: string[]) => {
    const { stdout } = await run('aws', ['--endpoint-url', emulator.url, '--output', 'json', ...args], { env: clientEnv(emulator.url), timeout: 30_000 });
    return JSON.parse(stdout || '{}') as Record<string, unknown>;
  };
  await aws('logs', 'create-log-group', '--log-group-name', group);
  await aws('logs', 'create-log-stream', '--log-group-name', group, '--log-stream-name', 'app/web/1');
  const now = Math.floor(emulator.clock.now());
  const events = JSON.stringify([{ timestamp: now - 1, message: 'first line' }, { timestamp: now, message: 'second line' }]);
  await aws('logs', 'put-log-events', '--log-group-name', group, '--log-stream-name', 'app/web/1', '--log-events', events);

  const groups = (await aws('logs', 'describe-log-groups', '--log-group-name-prefix', group)) as { logGroups: Array<{ logGroupName: string }> };
  assert.deepEqual(groups.logGroups.map((g) => g.logGroupName), [group]);
  const got = (await aws('logs', 'get-log-events', '--log-group-name', group, '--log-stream-name', 'app/web/1', '--start-from-head')) as {
    events: Array<{ message: string; timestamp: number }>;
    nextForwardToken: string;
  };
  assert.deepEqual(got.events.map((e) => [e.timestamp, e.message]), [[now - 1, 'first line'], [now, 'second line']]);
  assert.match(got.nextForwardToken, /^f\/\d{56}\/s$/);
  const filtered = (await aws('logs', 'filter-log-events', '--log-group-name', group, '--filter-pattern', 'second')) as { events: Array<{ message: string }> };
  assert.deepEqual(filtered.events.map((e) => e.message), ['second line']);
  await assert.rejects(
    aws('logs', 'get-log-events', '--log-group-name', `${group}-missing`, '--log-stream-name', 'x'),
    /ResourceNotFoundException.*The specified log group does not exist\./s,
  );
});

test('boto3 creates, lists and reads CloudWatch Logs groups and events against the emulator', async (t) => {
  const reason = await missing('python3', ['-c', 'import boto3']);
  if (reason) return t.skip('python3 with boto3 is not installed here; install it to run this test');
  const { emulator } = await startTestEmulator(t);
  const group = `/boto/${uniqueName('logs')}`;
  const script = `
import boto3, json, sys
group, now = sys.argv[1], int(sys.argv[2])
logs = boto3.client('logs')
logs.create_log_group(logGroupName=group)
logs.create_log_stream(logGroupName=group, logStreamName='s')
logs.put_log_events(logGroupName=group, logStreamName='s', logEvents=[{'timestamp': now, 'message': 'hello from boto3'}])
names = [g['logGroupName'] for page in logs.get_paginator('describe_log_groups').paginate(logGroupNamePrefix=group) for g in page['logGroups']]
events = logs.get_log_events(logGroupName=group, logStreamName='s')['events']
try:
    logs.create_log_group(logGroupName=group)
    err = None
except logs.exceptions.ResourceAlreadyExistsException as e:
    err = [e.response['Error']['Code'], e.response['Error']['Message']]
print(json.dumps({'groups': names, 'events': [[e['timestamp'], e['message']] for e in events], 'error': err}))
`;
  const now = Math.floor(emulator.clock.now());
  const { stdout } = await run('python3', ['-c', script, group, String(now)], { env: clientEnv(emulator.url), timeout: 30_000 });
  assert.deepEqual(JSON.parse(stdout), {
    groups: [group],
    events: [[now, 'hello from boto3']],
    error: ['ResourceAlreadyExistsException', 'The specified log group already exists'],
  });
});
